/**
 * The proof of issue 20: latency no longer decides. Two equal groups of
 * shoppers, one behind a proxy that adds 150 ms each way, every connection
 * path already warm. Without a line the near group takes (nearly) every unit;
 * with the line, everyone who joined on time is drawn into a random order and
 * the far group's share of the units is near half. (bench/line.ts runs the
 * issue's own numbers, 600 + 600 shoppers for 100 units.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDelayProxy, type DelayProxy } from '../../bench/lib/delay-proxy.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { apiFor, type Api } from './support/api-client.js';
import { openEvents } from './support/event-client.js';
import { fairnessRun } from './support/line.js';

const GROUP = 150;
const FAR_MS = 150;

describe(`two groups of ${GROUP} shoppers, one ${FAR_MS} ms farther away each way`, () => {
  let server: RunningServer;
  let proxy: DelayProxy;
  let near: Api;
  let far: Api;
  before(async () => {
    server = await startReferenceServer();
    proxy = await startDelayProxy(server.url, FAR_MS);
    near = apiFor(server);
    far = apiFor({ url: proxy.url, hostToken: server.hostToken });
  });
  after(async () => {
    await proxy?.close();
    await server?.stop();
  });

  it('without a line, the near group takes nearly every unit (the setting discriminates)', async (t) => {
    const { units, farUnits } = await fairnessRun(near, far, { group: GROUP, units: 50, line: false, openEvents });
    t.diagnostic(`without a line: far group ${farUnits} of ${units} units`);
    assert.equal(units, 50);
    assert.ok(farUnits / units < 0.4, `far group's share ${farUnits}/${units}`);
  });

  it('with the line (following stock), the far group gets 40–60 % of the units', async (t) => {
    // 150 units of 300 shoppers, half far: the far share's standard deviation is 2.9 %, so 40–60 % is ±3.4 of them.
    const { units, farUnits } = await fairnessRun(near, far, { group: GROUP, units: 150, line: true, offset: 2 * GROUP, openEvents });
    const share = farUnits / units;
    t.diagnostic(`with the line: far group ${farUnits} of ${units} units (${(share * 100).toFixed(1)} %)`);
    assert.equal(units, 150, 'every unit went to an admitted shopper');
    assert.ok(share >= 0.4 && share <= 0.6, `far group's share ${farUnits}/${units} = ${(share * 100).toFixed(1)} %`);
  });
});
