import { expect, waitUntil } from '@open-wc/testing';

// The script-tag build's loader: the player's code arrives only once the page uses it.
describe('player loader (script-tag build)', () => {
  it('fetches <live-drop-player> only when one is added to the page, then upgrades it', async () => {
    await import('../../src/player-loader.js');
    await new Promise((r) => setTimeout(r, 100));
    expect(customElements.get('live-drop-player'), 'not loaded for a page without a player').to.equal(undefined);

    const wrapper = document.createElement('section');
    wrapper.innerHTML = '<live-drop-player backend="http://127.0.0.1:9" drop="demo"></live-drop-player>';
    document.body.append(wrapper);
    await waitUntil(() => customElements.get('live-drop-player'), 'player registered after it was added', { timeout: 8000 });
    expect(wrapper.firstElementChild).to.be.instanceOf(customElements.get('live-drop-player')!);
    wrapper.remove();
  });
});
