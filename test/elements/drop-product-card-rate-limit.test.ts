/**
 * A card whose reservations the real server refuses with 429 (its
 * reservation limit reached from this address): the card says "Too many
 * tries, wait a moment", tries again after Retry-After, and never crashes.
 * The `tight` test server allows 3 reservation requests per 4 s per address.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/elements/drop-product-card/drop-product-card.js';
import type { DropProductCard } from '../../src/elements/drop-product-card/drop-product-card.js';
import { joinUrl, routes } from '../../src/protocol/routes.js';
import { testBackend } from '../helpers/backend.js';
import { button, pickSize, shadow, textOf, untilState } from '../helpers/card.js';
import { createDrop, type TestDrop } from '../helpers/host-api.js';
import { until } from '../helpers/until.js';

/** Spends this address's reservation window with requests the server refuses anyway (no token); resolves with their statuses. */
async function spendReservationWindow(t: TestDrop): Promise<number[]> {
  const statuses: number[] = [];
  for (;;) {
    const res = await fetch(joinUrl(t.backend.url, routes.reservations(t.id)), { method: 'POST' });
    statuses.push(res.status);
    if (res.status === 429) return statuses;
  }
}

describe('<drop-product-card> over the server’s rate limit', function () {
  this.timeout(30_000);

  for (const [lang, message] of [
    ['en-US', 'Too many tries, wait a moment.'],
    ['de-DE', 'Zu viele Versuche, bitte warte einen Moment.'],
  ]) {
    it(`shows “${message}” on a 429 and reserves by itself after Retry-After (${lang})`, async () => {
      const t = await createDrop({ backend: await testBackend('tight') });
      const el = await fixture<DropProductCard>(
        html`<drop-product-card backend=${t.backend.url} drop=${t.id} product="tee" lang=${lang}></drop-product-card>`,
      );
      await untilState(el, 'available');
      await pickSize(el, 'M');

      const refused = await spendReservationWindow(t);
      expect(refused.at(-1)).to.equal(429);
      const reserved = oneEvent(el, 'drop-reserved');
      button(el, lang === 'en-US' ? 'Reserve' : 'Reservieren').click();

      const alert = await until(() => shadow(el).querySelector('[part~="error"][role="alert"]'), 'the card says why', 10_000);
      expect(alert.textContent!.trim()).to.equal(message);
      expect(el.state, 'not an error card: the product stays on show').to.not.equal('error');
      expect(textOf(el)).to.contain('Signal Tee');

      const { reservation } = (await reserved).detail;
      expect(reservation).to.include({ productId: 'tee', variantId: 'm', status: 'held' });
      await untilState(el, 'reserved');
      expect(shadow(el).querySelector('[part~="error"][role="alert"]')).to.equal(null);
      expect((await t.reservations()).map((r) => r.status)).to.deep.equal(['held'], 'one hold, however many tries');
    });
  }
});
