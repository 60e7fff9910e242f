import { expect, fixture, html } from '@open-wc/testing';
import '../../src/elements/drop-countdown/drop-countdown.js';
import '../../src/elements/drop-product-card/drop-product-card.js';
import '../../src/elements/live-drop-player/live-drop-player.js';
import '../../src/elements/drop-chat/drop-chat.js';
import { untilState } from '../helpers/card.js';
import { createDrop, serverTime } from '../helpers/host-api.js';
import { until } from '../helpers/until.js';

/** Text styles a site's stylesheet might set on body; inherited, they would reach into shadow trees. */
const SITE_BODY = {
  textTransform: 'uppercase',
  letterSpacing: '3px',
  wordSpacing: '12px',
  textAlign: 'right',
  whiteSpace: 'pre',
} as const;
const PROPERTIES = ['textTransform', 'letterSpacing', 'wordSpacing', 'textAlign', 'whiteSpace'] as const;

describe('every element on a page that styles the text of its body', function () {
  this.timeout(20_000);
  afterEach(() => document.body.removeAttribute('style'));

  it('looks the same inside as on a page without those styles', async () => {
    const t = await createDrop({ startsAt: (await serverTime()) - 1_000 });
    const box = await fixture(html`<div>
      <drop-product-card backend=${t.backend.url} drop=${t.id} product="tee" lang="en"></drop-product-card>
      <drop-countdown target="4102444800000" lang="en"></drop-countdown>
      <live-drop-player lang="en"></live-drop-player>
    </div>`);
    const [card, countdown, player] = [...box.children] as (HTMLElement & { state: string })[];
    await untilState(card, 'available');
    await untilState(countdown, 'counting');
    await untilState(player, 'error');
    const texts: [string, Element][] = [
      ['card title', card.shadowRoot!.querySelector('[part="title"]')!],
      ['card description', card.shadowRoot!.querySelector('[part="description"]')!],
      ['card stock line', card.shadowRoot!.querySelector('[part="stock"]')!],
      ['countdown label', countdown.shadowRoot!.querySelector('[part="label"]')!],
      ['countdown value', countdown.shadowRoot!.querySelector('[part="value"]')!],
      ['player message', player.shadowRoot!.querySelector('[part="message"] p:last-of-type')!],
    ];
    const read = () => texts.map(([name, el]) => [name, Object.fromEntries(PROPERTIES.map((p) => [p, getComputedStyle(el)[p]]))]);
    const plain = read();
    Object.assign(document.body.style, SITE_BODY);
    expect(getComputedStyle(document.body).textTransform, 'the site style applies outside').to.equal('uppercase');
    expect(read()).to.deep.equal(plain);
  });

  it("writes in the page's font family, or in --drop-font where the site sets it", async () => {
    const t = await createDrop({
      startsAt: (await serverTime()) + 3_600_000,
      queue: { joinWindowMs: 7_200_000, graceMs: 0, admitPerSecond: 50, passMs: 60_000 } as never,
    });
    const box = await fixture(html`<div>
      <drop-product-card backend=${t.backend.url} drop=${t.id} product="tee" lang="en"></drop-product-card>
      <drop-countdown target="4102444800000" lang="en"></drop-countdown>
      <live-drop-player lang="en"></live-drop-player>
      <drop-chat backend=${t.backend.url} drop=${t.id} name="Ada" lang="en"></drop-chat>
    </div>`);
    const [card, countdown, player, chat] = [...box.children] as (HTMLElement & { state: string })[];
    await untilState(countdown, 'counting');
    await untilState(player, 'error');
    await until(() => chat.state !== 'loading', 'the chat has loaded', 15_000);
    const line = await until(
      () => card.shadowRoot!.querySelector('drop-line')?.shadowRoot?.querySelector('[part="title"]'),
      'the card shows its line',
      15_000,
    );
    const texts: [string, Element][] = [
      ['card title', card.shadowRoot!.querySelector('[part="title"]')!],
      ['card line', line],
      ['countdown label', countdown.shadowRoot!.querySelector('[part="label"]')!],
      ['player message', player.shadowRoot!.querySelector('[part="message"] p:last-of-type')!],
      ['chat composer', chat.shadowRoot!.querySelector('input[name=text]')!],
    ];
    const fonts = () => Object.fromEntries(texts.map(([name, el]) => [name, getComputedStyle(el).fontFamily]));
    const everywhere = (font: string) => Object.fromEntries(texts.map(([name]) => [name, font]));

    document.body.style.fontFamily = '"Courier New", monospace';
    expect(fonts(), "the page's font").to.deep.equal(everywhere('"Courier New", monospace'));
    document.body.style.setProperty('--drop-font', 'Georgia, serif');
    expect(fonts(), '--drop-font').to.deep.equal(everywhere('Georgia, serif'));
  });
});
