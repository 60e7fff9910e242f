import { expect } from '@open-wc/testing';
import { reservationStore } from '../../src/core/reservation-store.js';
import { confirmReservation, sendReaction } from '../../src/core/shopper-actions.js';
import { shopperToken } from '../../src/core/shopper-session.js';
import { createDrop } from '../helpers/host-api.js';
import { withFetch } from '../helpers/with-fetch.js';

describe('shopper actions', function () {
  this.timeout(20_000);

  it('confirms the shopper’s own hold as an order once, however often the answer is lost', async () => {
    const t = await createDrop();
    const store = reservationStore(t.backend.url, t.id);
    const reservation = (await store.reserve('tee', 'm'))!;
    const token = await shopperToken(t.backend.url);
    let sent = 0;
    // Fault injection: the first two answers are lost, though the server acts on them.
    const order = await withFetch(
      (realFetch) => async (input, init) => {
        const res = await realFetch(input, init);
        if (String(input).endsWith('/confirm') && sent++ < 2) {
          await res.text();
          throw new TypeError('Failed to fetch');
        }
        return res;
      },
      () => confirmReservation(t.backend.url, reservation.id, token),
    );
    expect(sent).to.equal(3);
    expect(order.reservation).to.include({ id: reservation.id, status: 'confirmed' });
    expect((await t.reservations()).map((r) => r.status)).to.deep.equal(['confirmed']);
  });

  it('sends a reaction, and shrugs off one that cannot be sent', async () => {
    const t = await createDrop();
    const sent: number[] = [];
    await withFetch(
      (realFetch) => async (input, init) => {
        const res = await realFetch(input, init);
        if (String(input).endsWith('/reactions')) sent.push(res.status);
        return res;
      },
      () => sendReaction(t.backend.url, t.id, 'heart'),
    );
    expect(sent).to.deep.equal([202]);
    // Nothing listens on port 9: the promise still resolves, without an error for the page.
    expect(await sendReaction('http://127.0.0.1:9', t.id, 'heart')).to.equal(undefined);
  });
});
