// The visitor's clock is 3 hours behind: this import must come first.
import { SKEW_MS, trueNow } from '../helpers/skewed-clock.js';
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/elements/drop-countdown/drop-countdown.js';
import type { DropCountdown } from '../../src/elements/drop-countdown/drop-countdown.js';
import { untilState } from '../helpers/card.js';
import { createDrop, serverTime } from '../helpers/host-api.js';

describe('<drop-countdown> on a visitor clock that is hours off', function () {
  this.timeout(20_000);

  it('reaches zero in step with the server clock, not the visitor clock', async () => {
    expect(Math.abs(Date.now() - trueNow() - SKEW_MS)).to.be.lessThan(50, 'the page clock is skewed');
    const t = await createDrop({ startsAt: (await serverTime()) + 4_000 });
    const el = await fixture<DropCountdown>(html`<drop-countdown backend=${t.backend.url} drop=${t.id} lang="en"></drop-countdown>`);
    await untilState(el, 'counting');
    // Hours off would show 3:00:0x; the server says a few seconds.
    const shown = [...el.shadowRoot!.querySelectorAll('[part="value"]')].map((v) => Number(v.textContent));
    expect(shown.slice(0, 2)).to.deep.equal([0, 0]);
    expect(shown[2]).to.be.within(1, 4);

    await oneEvent(el, 'drop-started');
    const firedAt = performance.now();
    // Where was the server's clock when the countdown hit zero? One fresh sample, walked back.
    const serverAtFire = (await serverTime()) - (performance.now() - firedAt);
    expect(el.state).to.equal('live');
    expect(serverAtFire - t.drop.startsAt, 'ms between the server start time and the zero on screen').to.be.within(-150, 1_000);
  });
});
