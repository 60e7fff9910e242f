import { expect, fixture, html } from '@open-wc/testing';
import '../../src/elements/drop-product-card/drop-product-card.js';
import '../../src/elements/drop-countdown/drop-countdown.js';
import type { DropProductCard } from '../../src/elements/drop-product-card/drop-product-card.js';
import type { DropLine } from '../../src/elements/drop-line/drop-line.js';
import { joinUrl, routes } from '../../src/protocol/routes.js';
import { configure } from '../../src/core/config.js';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { button, pickSize, textOf, untilState } from '../helpers/card.js';
import { createDrop, hostCall, otherShopper, serverTime, type TestDrop } from '../helpers/host-api.js';
import { until } from '../helpers/until.js';

/** The `<drop-line>` inside an element, once its lazy chunk has rendered it. */
const lineOf = (el: Element) => until(() => el.shadowRoot!.querySelector<DropLine>('drop-line'), `${el.localName} shows the line`, 10_000);
const lineText = (line: DropLine) => (line.shadowRoot!.textContent ?? '').replace(/\s+/g, ' ').trim();
const announcement = (line: DropLine) => line.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim();

/** A drop with a line opening now and starting in an hour (the test moves the start to draw). */
const lineDrop = async (queue: Record<string, unknown> = {}) =>
  createDrop({
    startsAt: (await serverTime()) + 3_600_000,
    queue: { joinWindowMs: 7_200_000, graceMs: 0, admitPerSecond: 50, passMs: 60_000, ...queue } as never,
  });

async function othersJoin(t: TestDrop, n: number) {
  for (let i = 0; i < n; i++) {
    const other = await otherShopper(t.backend);
    await fetch(joinUrl(t.backend.url, routes.line(t.id)), { method: 'POST', headers: { authorization: `Bearer ${other.shopperToken}` } });
  }
}

describe('<drop-line> in the card and the countdown', function () {
  this.timeout(40_000);

  it('joins with one click, shows the commitment, then the place behind the others and the turn, and the card reserves with the pass', async () => {
    const t = await lineDrop();
    await othersJoin(t, 3);
    const card = await fixture<DropProductCard>(
      html`<drop-product-card backend=${t.backend.url} drop=${t.id} product="tee" lang="en"></drop-product-card>`,
    );
    const line = await lineOf(card);
    await untilState(line, 'open');
    expect(lineText(line)).to.contain('joining early gives no advantage');
    await expectNoAxeViolations(card, 'the line open to join');
    button(line, 'Join the line').click();
    await untilState(line, 'joined');
    expect(lineText(line)).to.contain("You're in the line");
    expect(lineText(line)).to.contain(t.drop.queue!.commitment.slice(0, 16));
    expect(announcement(line)).to.contain("You're in the line");

    // The host pauses admission and starts: the draw gives a place, nobody is admitted yet.
    await hostCall(t.backend, 'POST', routes.host.linePause(t.id));
    await t.patch({ startsAt: await serverTime() });
    await until(
      () => line.state === 'waiting' || line.state === 'turn',
      () => `the place after the draw (${line.state}: ${lineText(line)})`,
      15_000,
    );
    expect(lineText(line)).to.match(/\d ahead of you\. Admission is paused\./);
    const ahead = Number(/(\d) ahead of you/.exec(lineText(line))![1]);
    expect(lineText(line)).to.contain(`Place ${ahead + 1} of 4`);
    expect(lineText(line)).to.contain('Seed revealed');
    await until(() => button(card, 'Reserve').disabled, 'Reserve waits for the turn');

    await hostCall(t.backend, 'POST', routes.host.lineResume(t.id));
    await untilState(line, 'turn', 15_000);
    expect(lineText(line)).to.match(/It's your turn! Reserve within [01]:\d\d\./);
    await until(() => !button(card, 'Reserve').disabled, 'Reserve opens with the turn');
    await expectNoAxeViolations(card, "the shopper's turn");
    await pickSize(card, 'M');
    button(card, 'Reserve').click();
    await untilState(card, 'reserved');
  });

  it('says the turn was missed when the pass lapses unused', async () => {
    const t = await lineDrop({ passMs: 2000 });
    const card = await fixture<DropProductCard>(
      html`<drop-product-card backend=${t.backend.url} drop=${t.id} product="tee"></drop-product-card>`,
    );
    const line = await lineOf(card);
    await untilState(line, 'open');
    button(line, 'Join the line').click();
    await untilState(line, 'joined');
    await t.patch({ startsAt: await serverTime() });
    await untilState(line, 'turn', 15_000);
    await untilState(line, 'missed', 10_000);
    expect(lineText(line)).to.contain('You missed your turn.');
    expect(announcement(line)).to.equal('You missed your turn.');
    expect(button(card, 'Reserve').disabled).to.equal(true);
  });

  it('speaks German in a German page, and shows in the countdown too', async () => {
    const t = await lineDrop();
    const countdown = await fixture(html`<drop-countdown backend=${t.backend.url} drop=${t.id} lang="de"></drop-countdown>`);
    const line = await lineOf(countdown);
    await untilState(line, 'open');
    expect(button(line, 'In die Warteschlange')).to.exist;
    expect(lineText(line)).to.contain('Früher beitreten bringt keinen Vorteil');
  });

  it('joins by itself when the site configures lineAutoJoin', async () => {
    const t = await lineDrop();
    configure({ lineAutoJoin: true });
    try {
      const card = await fixture<DropProductCard>(
        html`<drop-product-card backend=${t.backend.url} drop=${t.id} product="tee"></drop-product-card>`,
      );
      const line = await lineOf(card);
      await untilState(line, 'joined', 10_000);
      expect(lineText(line)).to.contain("You're in the line");
    } finally {
      configure({ lineAutoJoin: false });
    }
  });

  it('shows nothing for a drop without a line, and the card works as before', async () => {
    const t = await createDrop();
    const card = await fixture<DropProductCard>(
      html`<drop-product-card backend=${t.backend.url} drop=${t.id} product="tee"></drop-product-card>`,
    );
    await untilState(card, 'available');
    expect(card.shadowRoot!.querySelector('drop-line')).to.equal(null);
    expect(textOf(card)).not.to.contain('line');
  });
});
