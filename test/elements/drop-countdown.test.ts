import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/elements/drop-countdown/drop-countdown.js';
import type { DropCountdown } from '../../src/elements/drop-countdown/drop-countdown.js';
import { expectNoAxeViolations } from '../helpers/axe.js';
import { untilState } from '../helpers/card.js';
import { createDrop, serverTime } from '../helpers/host-api.js';
import { testBackend } from '../helpers/backend.js';
import { until } from '../helpers/until.js';

const values = (el: DropCountdown) => [...el.shadowRoot!.querySelectorAll('[part="value"]')].map((v) => v.textContent);
const unitLabels = (el: DropCountdown) => [...el.shadowRoot!.querySelectorAll('[part="unit-label"]')].map((v) => v.textContent);
const announcement = (el: DropCountdown) => el.shadowRoot!.querySelector('[role="status"]')!.textContent!.trim();

async function countdown(backend: string, drop: string, lang = 'en') {
  return fixture<DropCountdown>(html`<drop-countdown backend=${backend} drop=${drop} lang=${lang}></drop-countdown>`);
}

describe('<drop-countdown>', function () {
  this.timeout(20_000);

  it('counts days, hours, minutes and seconds to the drop start', async () => {
    const t = await createDrop({ startsAt: (await serverTime()) + ((2 * 24 + 3) * 60 + 4) * 60_000 + 30_500 });
    const el = await countdown(t.backend.url, t.id);
    await untilState(el, 'counting');
    const [d, h, m, s] = values(el);
    expect([d, h, m]).to.deep.equal(['02', '03', '04']);
    expect(Number(s)).to.be.within(20, 31);
    expect(unitLabels(el)).to.deep.equal(['Days', 'Hours', 'Min', 'Sec']);
    expect(el.shadowRoot!.querySelector('[part="digits"]')!.getAttribute('aria-hidden')).to.equal('true');
    expect(announcement(el)).to.equal('The drop starts in 2 days.');
  });

  it('turns live at zero and fires drop-started', async () => {
    const t = await createDrop({ startsAt: (await serverTime()) + 2_500 });
    const el = await countdown(t.backend.url, t.id);
    await untilState(el, 'counting');
    const { detail } = await oneEvent(el, 'drop-started');
    expect(detail).to.deep.equal({ dropId: t.id, startsAt: t.drop.startsAt });
    expect(el.state).to.equal('live');
    expect(el.shadowRoot!.querySelector('[part="live"]')!.textContent).to.contain('Live now');
    expect(announcement(el)).to.equal('The drop is live now.');
  });

  it('turns live when the host starts the drop early, and says so when it ends', async () => {
    const t = await createDrop({ startsAt: (await serverTime()) + 3_600_000 });
    const el = await countdown(t.backend.url, t.id);
    await untilState(el, 'counting');
    const started = oneEvent(el, 'drop-started');
    await t.start();
    await started;
    expect(el.state).to.equal('live');
    await t.end();
    await untilState(el, 'ended');
    expect(el.shadowRoot!.textContent).to.contain('This drop has ended');
  });

  it('announces the time left in calm steps while the digits tick every second', async () => {
    const { url } = await testBackend();
    const target = (await serverTime()) + 48_500;
    const el = await fixture<DropCountdown>(html`<drop-countdown backend=${url} target=${String(target)} lang="en"></drop-countdown>`);
    await untilState(el, 'counting');
    const seen = { digits: new Set<string>(), announcements: new Set<string>() };
    const deadline = performance.now() + 3_000;
    while (performance.now() < deadline) {
      seen.digits.add(values(el).join(':'));
      seen.announcements.add(announcement(el));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen.digits.size, 'visible ticks').to.be.at.least(3);
    // Ten-second steps: three seconds cross at most one step boundary.
    expect(seen.announcements.size, [...seen.announcements].join(' / ')).to.be.at.most(2);
    expect([...seen.announcements][0]).to.match(/^The drop starts in (50|40) seconds\.$/);
  });

  it('takes a target as an ISO date-time', async () => {
    const { url } = await testBackend();
    const target = new Date((await serverTime()) + 90 * 60_000 + 30_000).toISOString();
    const el = await fixture<DropCountdown>(html`<drop-countdown backend=${url} target=${target}></drop-countdown>`);
    await untilState(el, 'counting');
    expect(values(el).slice(0, 2)).to.deep.equal(['01', '30']);
  });

  it("counts to a fixed target without any backend, on the visitor's clock, and reports no error", async () => {
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const el = await fixture<DropCountdown>(
        html`<drop-countdown target=${String(Date.now() + 2 * 3_600_000 + 30_000)} lang="en"></drop-countdown>`,
      );
      await untilState(el, 'counting');
      expect(values(el).slice(0, 2)).to.deep.equal(['02', '00']);
      expect(errors, 'console errors').to.deep.equal([]);
    } finally {
      console.error = original;
    }
  });

  it('speaks German under lang="de"', async () => {
    const t = await createDrop({ startsAt: (await serverTime()) + 26 * 3_600_000 });
    const el = await countdown(t.backend.url, t.id, 'de');
    await untilState(el, 'counting');
    expect(el.shadowRoot!.querySelector('[part="label"]')!.textContent).to.equal('Drop startet in');
    expect(unitLabels(el)).to.deep.equal(['Tage', 'Std', 'Min', 'Sek']);
    expect(announcement(el)).to.equal('Der Drop startet in 1 Tag.');
  });

  it('shows an error and fires drop-error for a backend that cannot be reached', async () => {
    const el = await fixture<DropCountdown>(html`<drop-countdown backend="http://127.0.0.1:9" drop="demo"></drop-countdown>`);
    const { detail } = await oneEvent(el, 'drop-error');
    expect(detail.code).to.equal('network');
    expect(el.state).to.equal('error');
    expect(el.shadowRoot!.textContent).to.contain('Could not reach the shop');
  });

  it('shows an error for a malformed backend URL', async () => {
    const el = await fixture<DropCountdown>(html`<drop-countdown backend="ftp://nope" drop="demo"></drop-countdown>`);
    await untilState(el, 'error');
    expect(el.shadowRoot!.textContent).to.contain('not set up');
  });

  it('has no axe violations while counting, live and in error', async () => {
    const t = await createDrop({ startsAt: (await serverTime()) + 2_000 });
    const el = await countdown(t.backend.url, t.id);
    await untilState(el, 'counting');
    await expectNoAxeViolations(el, 'counting');
    await untilState(el, 'live');
    await expectNoAxeViolations(el, 'live');
    const broken = await fixture<DropCountdown>(html`<drop-countdown backend="http://127.0.0.1:9" drop="x"></drop-countdown>`);
    await until(() => broken.state === 'error', 'the countdown shows its error');
    await expectNoAxeViolations(broken, 'error');
  });
});
