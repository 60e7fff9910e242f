import { expect } from '@open-wc/testing';
import { sendReaction } from '../../src/core/shopper-actions.js';
import { createDrop } from '../helpers/host-api.js';
import { withFetch } from '../helpers/with-fetch.js';

describe('shopper actions', function () {
  this.timeout(20_000);

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
