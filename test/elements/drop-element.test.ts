import { expect, fixture, html } from '@open-wc/testing';
import { unsafeStatic, html as staticHtml } from 'lit/static-html.js';
import '../../src/elements/drop-countdown/drop-countdown.js';
import '../../src/elements/drop-product-card/drop-product-card.js';
import '../../src/elements/live-drop-player/live-drop-player.js';
import type { DropEventDetails } from '../../src/core/events.js';
import { consoleLines } from '../helpers/console-lines.js';
import { until } from '../helpers/until.js';

type Detail = DropEventDetails['drop-error'];

/**
 * Mounts `tag` with `attrs`, listening for drop-error from before its first
 * render (a listener added after fixture() would miss an error of the first update).
 */
async function mount(tag: string, attrs: string): Promise<{ el: HTMLElement & { state: string }; errors: Detail[] }> {
  const errors: Detail[] = [];
  const onError = (e: CustomEvent<Detail>) => errors.push(e.detail);
  let el!: HTMLElement & { state: string };
  await consoleLines('error', async () => {
    const box = await fixture<HTMLElement>(
      html`<div @drop-error=${onError}>${staticHtml`<${unsafeStatic(tag)} ${unsafeStatic(attrs)}></${unsafeStatic(tag)}>`}</div>`,
    );
    el = box.firstElementChild as HTMLElement & { state: string };
    await until(
      () => el.state === 'error',
      () => `<${tag} ${attrs}> shows its error (it is ${el.state})`,
    );
    // Give a late event the chance to arrive, so "exactly one" means something.
    await new Promise((r) => setTimeout(r, 50));
  });
  return { el, errors };
}

describe('every element, set up wrong from the start', () => {
  for (const tag of ['drop-countdown', 'drop-product-card', 'live-drop-player']) {
    it(`<${tag}> without a drop fires one drop-error with code "config" that names the attribute`, async () => {
      const { errors } = await mount(tag, 'backend="http://127.0.0.1:9" product="tee"');
      expect(errors.map((e) => e.code)).to.deep.equal(['config']);
      expect(errors[0].message).to.contain(`<${tag}> needs a drop="…" attribute`);
    });

    it(`<${tag}> with a malformed backend URL fires one drop-error with code "config"`, async () => {
      const { el, errors } = await mount(tag, 'backend="ftp://nope" drop="demo" product="tee"');
      expect(errors.map((e) => e.code)).to.deep.equal(['config']);
      expect(errors[0].message).to.contain('"ftp://nope" is not an http or https URL');
      expect(el.shadowRoot!.textContent).to.contain('not set up');
    });
  }
});
