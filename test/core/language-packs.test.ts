/**
 * Built-in languages besides English are chunks of their own: a page loads a
 * language pack only when an element speaks it, and shows its loading state,
 * not English, until the pack is in. (Its own file: a pack, once loaded, stays.)
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/elements/drop-countdown/drop-countdown.js';
import type { DropCountdown } from '../../src/elements/drop-countdown/drop-countdown.js';
import { until } from '../helpers/until.js';

const germanPackRequested = () => performance.getEntriesByType('resource').some((e) => /strings-de/.test(e.name));
const inAnHour = () => String(Date.now() + 3_600_000);

describe('language packs', () => {
  it('an English page never fetches the German texts', async () => {
    const el = await fixture<DropCountdown>(html`<drop-countdown lang="en-US" target=${inAnHour()}></drop-countdown>`);
    await until(() => el.state === 'counting', 'the countdown counts');
    expect(el.shadowRoot!.textContent).to.contain('Hours');
    expect(germanPackRequested(), 'German pack requested').to.equal(false);
  });

  it('a German element fetches the German pack and shows German, never English, once it counts', async () => {
    const seen: string[] = [];
    const el = document.createElement('drop-countdown');
    el.lang = 'de';
    el.setAttribute('target', inAnHour());
    const observer = new MutationObserver(() => seen.push(`${el.state}: ${el.shadowRoot?.textContent ?? ''}`));
    document.body.append(el);
    observer.observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true });
    try {
      await until(() => el.state === 'counting', 'the countdown counts');
      expect(el.shadowRoot!.textContent).to.contain('Std');
      expect(germanPackRequested(), 'German pack requested').to.equal(true);
      expect(
        seen.filter((s) => s.startsWith('counting') && s.includes('Hours')),
        'English text while counting',
      ).to.deep.equal([]);
    } finally {
      observer.disconnect();
      el.remove();
    }
  });
});
