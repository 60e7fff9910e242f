import { expect } from '@open-wc/testing';
import { apiClient } from '../../src/core/api-client.js';
import { estimateOffset, ServerClock } from '../../src/core/server-clock.js';
import { consoleLines } from '../helpers/console-lines.js';
import { withFetch } from '../helpers/with-fetch.js';
import { testBackend } from '../helpers/backend.js';
import { until } from '../helpers/until.js';

describe('server clock', () => {
  it('trusts the samples with the shortest round trips', () => {
    const samples = [
      { offset: 900, rtt: 1_800 },
      { offset: 10, rtt: 20 },
      { offset: 14, rtt: 24 },
      { offset: -400, rtt: 800 },
    ];
    expect(estimateOffset(samples)).to.equal(12);
  });

  it('measures the offset to the server when first listened to, and again when the page becomes visible', async () => {
    const { url } = await testBackend();
    const clock = new ServerClock(url);
    let samples = 0;
    const counting =
      (realFetch: typeof fetch): typeof fetch =>
      (input, init) => {
        if (String(input).endsWith('/v1/time')) samples++;
        return realFetch(input, init);
      };
    await withFetch(counting, async () => {
      const off = clock.$offset.listen(() => {});
      await until(() => clock.synced, 'the first measurement is in');
      // Same machine: the offset is tiny, and now() follows the server.
      expect(Math.abs(clock.$offset.get()!)).to.be.lessThan(250);
      expect(samples).to.be.at.least(3);
      const before = samples;
      document.dispatchEvent(new Event('visibilitychange'));
      await until(() => samples >= before + 3, 'a new measurement on visibilitychange');
      off();
    });
  });
});

describe('server clock without /v1/time', () => {
  it('falls back to the local clock instead of never being ready', async () => {
    const clock = new ServerClock('https://no-time.example');
    apiClient('https://no-time.example').retries = 0;
    // Fault injection: the time route is unreachable.
    const unreachable = (): typeof fetch => async () => {
      throw new TypeError('Failed to fetch');
    };
    const warnings = await consoleLines('warn', () => withFetch(unreachable, () => clock.sync()));
    expect(clock.synced).to.equal(true);
    expect(clock.$offset.get()).to.equal(0);
    expect(warnings.join()).to.contain('no server time, so the device clock for now: https://no-time.example');
  });
});
