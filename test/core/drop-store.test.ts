import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { dropStore } from '../../src/core/drop-store.js';
import { sendReaction } from '../../src/core/shopper-actions.js';
import { dropProducts, dropStatus, dropStock, featuredProduct, variantStock } from '../../src/core/drop-views.js';
import { ProtocolError } from '../../src/protocol/parse.js';
import { spyOnEventSource } from '../helpers/event-source-spy.js';
import { createDrop, productInput } from '../helpers/host-api.js';
import { until } from '../helpers/until.js';

describe('dropStore', function () {
  this.timeout(20_000);

  it('is one store per backend and drop, loads the drop and follows stock events', async () => {
    const t = await createDrop();
    const store = dropStore(t.backend.url, t.id);
    expect(dropStore(t.backend.url, t.id)).to.equal(store);
    const $m = variantStock(store, 'tee', 'm');
    const off = $m.listen(() => {});
    try {
      await until(() => store.$connection.get() === 'open', 'the stream opens');
      expect($m.get()).to.equal(10);
      expect(store.$drop.get()!.title).to.equal('Test Drop');
      expect(
        dropProducts(store)
          .get()
          .map((p) => p.id),
      ).to.deep.equal(['tee']);
      await t.setStock('tee', 'm', 3);
      await until(() => $m.get() === 3, 'the stock event arrives');
      expect(dropStock(store).get()['tee/s']).to.equal(10);
    } finally {
      off();
    }
  });

  it('offers views that follow one piece of the drop, one shared atom each, on the same stream', async () => {
    const t = await createDrop({ live: false, startsAt: Date.now() + 3_600_000 });
    const store = dropStore(t.backend.url, t.id);
    expect(dropStatus(store)).to.equal(dropStatus(store));
    expect(variantStock(store, 'tee', 's')).to.equal(variantStock(store, 'tee', 's'));
    const offs = [dropStatus(store), featuredProduct(store), variantStock(store, 'tee', 's')].map(($a) => $a.listen(() => {}));
    try {
      await until(() => dropStatus(store).get() === 'scheduled', 'the drop loads');
      expect(featuredProduct(store).get()).to.equal(null);
      await t.start();
      await t.feature('tee');
      await until(() => dropStatus(store).get() === 'live', 'the status event arrives');
      await until(() => featuredProduct(store).get()?.productId === 'tee', 'the featured event arrives');
      await t.setStock('tee', 's', 4);
      await until(() => variantStock(store, 'tee', 's').get() === 4, 'the stock event arrives');
      expect(variantStock(store, 'tee', 'nope').get()).to.equal(undefined);
    } finally {
      offs.forEach((off) => off());
    }
  });

  it('reconnects after a cut connection and resumes with Last-Event-ID, catching up on what it missed', async () => {
    const t = await createDrop({ products: [productInput('tee', { m: 10 })] });
    const proxy = await executeServerCommand<{ id: string; url: string }, { target: string }>('fault-proxy:start', {
      target: t.backend.url,
    });
    const spy = spyOnEventSource();
    const store = dropStore(proxy.url, t.id);
    const $m = variantStock(store, 'tee', 'm');
    const off = $m.listen(() => {});
    try {
      await until(() => store.$connection.get() === 'open', 'the stream opens');
      await t.setStock('tee', 'm', 8);
      await until(() => $m.get() === 8, 'a first stock event arrives');
      // The network goes away for a second; meanwhile the stock changes.
      await executeServerCommand('fault-proxy:refuse', { id: proxy.id, ms: 1_000 });
      await until(() => store.$connection.get() === 'reconnecting', 'the store notices');
      await t.setStock('tee', 'm', 2);
      await until(() => $m.get() === 2, 'the missed stock change arrives after reconnecting', 15_000);
      expect(store.$connection.get()).to.equal('open');
      const urls = spy.urls();
      expect(urls.length).to.be.at.least(2);
      expect(new URL(urls[0]).searchParams.has('lastEventId')).to.equal(false);
      expect(Number(new URL(urls.at(-1)!).searchParams.get('lastEventId'))).to.be.greaterThan(0);
    } finally {
      off();
      spy.restore();
      await executeServerCommand('fault-proxy:stop', { id: proxy.id });
    }
  });

  it('reports a malformed event in $error and keeps applying the next ones', async () => {
    const t = await createDrop();
    const spy = spyOnEventSource();
    const store = dropStore(t.backend.url, t.id);
    const off = store.$drop.listen(() => {});
    try {
      await until(() => store.$connection.get() === 'open', 'the stream opens');
      // Fault injection: a message that does not match the protocol, on the real connection.
      spy.opened[0].dispatchEvent(new MessageEvent('stock', { data: '{"levels":[{"productId":"tee","variantId":"m","available":-4}]}' }));
      expect(store.$error.get()).to.be.instanceOf(ProtocolError);
      expect(store.$connection.get()).to.equal('open');
      expect(dropStock(store).get()['tee/m']).to.equal(10);
      await t.setStock('tee', 'm', 1);
      await until(() => dropStock(store).get()['tee/m'] === 1, 'the next real event is applied');
    } finally {
      off();
      spy.restore();
    }
  });

  it('tells the listeners of each view only of changes to its own piece', async () => {
    const t = await createDrop();
    const store = dropStore(t.backend.url, t.id);
    const drops: unknown[] = [];
    const reactions: unknown[] = [];
    const offs = [store.$drop.listen((d) => drops.push(d)), store.$reactions.listen((r) => reactions.push(r))];
    try {
      await until(() => store.$connection.get() === 'open' && drops.length > 0, 'the drop loads');
      drops.length = 0;
      await sendReaction(t.backend.url, t.id, 'heart');
      await until(() => store.$reactions.get().heart === 1, 'the reactions event arrives');
      expect(reactions).to.deep.equal([{ heart: 1 }]);
      expect(drops, 'the drop did not change').to.deep.equal([]);
      await t.setStock('tee', 'm', 3);
      await until(() => drops.length === 1, 'the stock event arrives');
      expect(reactions, 'no reaction came').to.have.length(1);
    } finally {
      offs.forEach((off) => off());
    }
  });

  it('closes the stream when the last subscriber leaves, and opens it again for the next', async () => {
    const t = await createDrop();
    const spy = spyOnEventSource();
    const store = dropStore(t.backend.url, t.id);
    const mine = () => spy.opened.filter((es) => es.url.includes(`/drops/${t.id}/`));
    try {
      const off1 = store.$drop.listen(() => {});
      const off2 = store.$viewers.listen(() => {});
      await until(() => store.$connection.get() === 'open', 'the stream opens');
      off1();
      await new Promise((r) => setTimeout(r, 1_300));
      expect(mine()[0].readyState, 'one subscriber left: still open').to.equal(EventSource.OPEN);
      off2();
      await until(() => mine()[0].readyState === EventSource.CLOSED, 'the stream closes after the last one left');
      const off3 = store.$drop.listen(() => {});
      await until(
        () => mine().length === 2 && mine()[1].readyState === EventSource.OPEN,
        () => `a new subscriber opens it again (${mine().length} opened, ${store.$connection.get()})`,
      );
      off3();
    } finally {
      spy.restore();
    }
  });
});
