// The visitor's clock is 3 hours behind: this import must come first.
import { SKEW_MS, trueNow } from '../helpers/skewed-clock.js';
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/elements/drop-product-card/drop-product-card.js';
import type { DropProductCard } from '../../src/elements/drop-product-card/drop-product-card.js';
import { textOf, untilState } from '../helpers/card.js';
import { createDrop, productInput, serverTime } from '../helpers/host-api.js';

describe('<drop-product-card> on a visitor clock that is hours off', function () {
  this.timeout(20_000);

  it('unlocks at the server start time, and times the hold by the server clock', async () => {
    expect(Math.abs(Date.now() - trueNow() - SKEW_MS)).to.be.lessThan(50, 'the page clock is skewed');
    const t = await createDrop({ startsAt: (await serverTime()) + 3_000, holdMs: 90_000, products: [productInput('tee', { m: 9 })] });
    const el = await fixture<DropProductCard>(
      html`<drop-product-card backend=${t.backend.url} drop=${t.id} product="tee" lang="en"></drop-product-card>`,
    );
    await untilState(el, 'locked');
    // The start time in the visitor's zone, with the weekday because the server says it is soon.
    const unlocks = new Intl.DateTimeFormat('en', { weekday: 'short', hour: 'numeric', minute: '2-digit' }).format(t.drop.startsAt);
    expect(textOf(el)).to.contain(`Unlocks ${unlocks}`);
    await untilState(el, 'available');
    const unlockedAt = performance.now();
    const serverAtUnlock = (await serverTime()) - (performance.now() - unlockedAt);
    expect(serverAtUnlock - t.drop.startsAt, 'ms between the server start time and the unlock').to.be.within(-150, 1_000);

    el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="button"]')!.click();
    await untilState(el, 'reserved');
    expect(el.shadowRoot!.querySelector('[part="timer"]')!.textContent).to.match(/Held for 1:(30|29|28)/);
  });
});
