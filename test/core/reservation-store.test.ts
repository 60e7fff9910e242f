import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { ApiError, NetworkError } from '../../src/core/api-client.js';
import { ReservationStore, reservationStore } from '../../src/core/reservation-store.js';
import { createDrop, productInput } from '../helpers/host-api.js';
import { until } from '../helpers/until.js';
import { withFetch } from '../helpers/with-fetch.js';

describe('reservationStore', function () {
  this.timeout(20_000);

  it('reuses the idempotency key when the shopper tries again after every retry was lost', async () => {
    const t = await createDrop();
    const store = reservationStore(t.backend.url, t.id);
    const keys: string[] = [];
    // Fault injection: every answer to a reservation is lost, though the server acts on it.
    const lost = await withFetch(
      (realFetch) => async (input, init) => {
        const res = await realFetch(input, init);
        if (init?.method === 'POST' && String(input).endsWith('/reservations')) {
          keys.push(new Headers(init.headers).get('idempotency-key')!);
          await res.text();
          throw new TypeError('Failed to fetch');
        }
        return res;
      },
      () => store.reserve('tee', 'l'),
    );
    expect(lost).to.equal(undefined);
    const hold = store.$holds.get().tee;
    expect(hold?.phase === 'failed' && hold.error).to.be.instanceOf(NetworkError);
    expect(new Set(keys).size).to.equal(1);

    const reservation = await store.reserve('tee', 'l');
    expect(reservation?.status).to.equal('held');
    expect((await t.reservations()).length, 'the server made one reservation').to.equal(1);
  });

  it('returns the same reservation on the next click after a gateway error whose reservation the server made', async () => {
    const t = await createDrop({ products: [productInput('tee', { s: 10, m: 10, l: 10 }, { limitPerCustomer: 1 })] });
    type Proxy = { id: string; url: string };
    const proxy = await executeServerCommand<Proxy, { target: string }>('fault-proxy:start', { target: t.backend.url });
    try {
      // The load balancer gives up on every reservation, each after the server has carried it out.
      await executeServerCommand('fault-proxy:fail-answers', { id: proxy.id, method: 'POST', path: '/reservations$', status: 502 });
      const store = new ReservationStore(proxy.url, t.id);
      expect(await store.reserve('tee', 'l')).to.equal(undefined);
      const hold = store.$holds.get().tee;
      expect(hold?.phase === 'failed' && (hold.error as ApiError).status).to.equal(502);
      const made = await t.reservations();
      expect(made.length, 'the server made the reservation').to.equal(1);

      await executeServerCommand('fault-proxy:restore', { id: proxy.id });
      const again = await store.reserve('tee', 'l');
      expect(again?.id, 'the same reservation, not a second hold nor limit-exceeded').to.equal(made[0].id);
      expect((await t.reservations()).length).to.equal(1);
    } finally {
      await executeServerCommand('fault-proxy:stop', { id: proxy.id });
    }
  });

  it('shows a held reservation again in a new page of the same tab', async () => {
    const t = await createDrop();
    const first = reservationStore(t.backend.url, t.id);
    const reservation = await first.reserve('tee', 's');
    // What a reload does: a fresh store, the same sessionStorage.
    const afterReload = new ReservationStore(t.backend.url, t.id);
    await until(() => afterReload.$holds.get().tee?.phase === 'held', 'the hold is restored');
    const hold = afterReload.$holds.get().tee;
    expect(hold?.phase === 'held' && hold.reservation.id).to.equal(reservation!.id);
    await first.release('tee');
    expect(sessionStorage.getItem(`live-drop:holds:${t.backend.url} ${t.id}`)).to.equal(null);
  });

  it('asks the server about nothing when the tab remembers holds in a format it does not read', async () => {
    const t = await createDrop();
    sessionStorage.setItem(`live-drop:holds:${t.backend.url} ${t.id}`, '["rsv_from_an_older_version"]');
    const asked: string[] = [];
    await withFetch(
      (realFetch) => (input, init) => {
        if (String(input).includes('/reservations/')) asked.push(String(input));
        return realFetch(input, init);
      },
      async () => {
        const store = new ReservationStore(t.backend.url, t.id);
        await new Promise((r) => setTimeout(r, 500));
        expect(store.$holds.get()).to.deep.equal({});
      },
    );
    expect(asked).to.deep.equal([]);
  });

  it('shows every held product again after a reload, and none that was released', async () => {
    const t = await createDrop({ products: [productInput('tee'), productInput('cap'), productInput('bag')] });
    const first = new ReservationStore(t.backend.url, t.id);
    const tee = await first.reserve('tee', 's');
    const bag = await first.reserve('bag', 'm');
    await first.reserve('cap', 'l');
    await first.release('cap');
    const afterReload = new ReservationStore(t.backend.url, t.id);
    await until(() => afterReload.$holds.get().bag?.phase === 'held', 'the last hold is restored');
    const held = Object.entries(afterReload.$holds.get()).map(([productId, h]) => [productId, h?.phase === 'held' && h.reservation.id]);
    expect(Object.fromEntries(held)).to.deep.equal({ tee: tee!.id, bag: bag!.id });
  });
});

describe('reservationStore at the start moment', function () {
  this.timeout(20_000);

  it('tries again with a fresh key when the server has not quite started the drop', async () => {
    const t = await createDrop();
    const store = reservationStore(t.backend.url, t.id);
    const keys: string[] = [];
    const notStarted = { type: 'urn:live-drop:problem:drop-not-started', code: 'drop-not-started', title: 'Not started', status: 409 };
    // Fault injection: the first answer says the server's start timer has not fired yet.
    const reservation = await withFetch(
      (realFetch) => async (input, init) => {
        if (init?.method === 'POST' && String(input).endsWith('/reservations')) {
          keys.push(new Headers(init.headers).get('idempotency-key')!);
          if (keys.length === 1)
            return new Response(JSON.stringify(notStarted), { status: 409, headers: { 'content-type': 'application/problem+json' } });
        }
        return realFetch(input, init);
      },
      () => store.reserve('tee', 'm'),
    );
    expect(reservation?.status).to.equal('held');
    expect(keys).to.have.length(2);
    expect(keys[1]).not.to.equal(keys[0]);
  });

  it('does not retry a refusal that time will not fix', async () => {
    const t = await createDrop({ products: [productInput('tee', { m: 0, l: 1 })] });
    const store = reservationStore(t.backend.url, t.id);
    expect(await store.reserve('tee', 'm')).to.equal(undefined);
    const hold = store.$holds.get().tee;
    expect(hold?.phase === 'failed' && (hold.error as ApiError).code).to.be.oneOf(['sold-out', 'insufficient-stock']);
    expect(await t.reservations()).to.deep.equal([]);
  });
});
