/**
 * The proof of issue 20: latency no longer decides. Two equal groups of
 * shoppers, one behind a proxy that adds 150 ms each way, every connection
 * path already warm. Without a line the near group takes (nearly) every unit;
 * with the line, everyone who joined on time is drawn into a random order and
 * the far group's share of the units is near half.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startDelayProxy, type DelayProxy } from '../../bench/lib/delay-proxy.js';
import { parseLineEvent, parseLinePlace } from '../../src/protocol/parse-line.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { apiFor, tee, type Api } from './support/api-client.js';
import { openEvents, type EventClient } from './support/event-client.js';
import { joinLine, newShoppers, pool, reserveOne, type Shopper } from './support/line.js';

const GROUP = 300;
const FAR_MS = 150;

describe(`two groups of ${GROUP} shoppers, one ${FAR_MS} ms farther away each way`, () => {
  let server: RunningServer;
  let proxy: DelayProxy;
  let near: Api;
  let far: Api;
  const streams: EventClient[] = [];
  before(async () => {
    server = await startReferenceServer();
    proxy = await startDelayProxy(server.url, FAR_MS);
    near = apiFor(server);
    far = apiFor({ url: proxy.url, hostToken: server.hostToken });
  });
  after(async () => {
    streams.forEach((s) => s.close());
    await proxy?.close();
    await server?.stop();
  });

  const groups = async (offset: number) => ({
    nearGroup: await newShoppers(near, GROUP, 32, offset),
    farGroup: await newShoppers(far, GROUP, 64, offset + GROUP),
  });

  it('without a line, the near group takes nearly every unit (the setting discriminates)', async (t) => {
    const startsAt = Date.now() + 8000;
    const dropId = await near.createDrop({ startsAt, products: [tee('tee', { s: 100 }, { limitPerCustomer: 1 })] });
    const { nearGroup, farGroup } = await groups(0);
    assert.ok(Date.now() < startsAt - 500, 'shoppers ready before the start');
    // Everyone presses Reserve at zero (same machine: the local clock is the server's).
    await new Promise((r) => setTimeout(r, startsAt - Date.now() + 5));
    const tries = await Promise.all([...nearGroup.map((s) => reserveOne(near, dropId, s)), ...farGroup.map((s) => reserveOne(far, dropId, s))]);
    const farUnits = tries.slice(GROUP).filter((r) => r.status === 201).length;
    const units = tries.filter((r) => r.status === 201).length;
    t.diagnostic(`without a line: far group ${farUnits} of ${units} units`);
    assert.equal(units, 100);
    assert.ok(farUnits / units < 0.4, `far group's share ${farUnits}/${units}`);
  });

  it('with the line (following stock), the far group gets 40–60 % of the units', async (t) => {
    const units = 200;
    const dropId = await near.createDrop({
      startsAt: Date.now() + 3_600_000,
      products: [tee('tee', { s: units }, { limitPerCustomer: 1 })],
      queue: { joinWindowMs: 7_200_000, graceMs: 0, admitPerSecond: null, passMs: 60_000 } as any,
    });
    const { nearGroup, farGroup } = await groups(2 * GROUP);
    await joinLine(near, dropId, nearGroup);
    await joinLine(far, dropId, farGroup, 64);
    // Each group watches the drop's stream over its own path.
    const nearEvents = await openEvents(`${server.url}/v1/drops/${dropId}/events`);
    const farEvents = await openEvents(`${proxy.url}/v1/drops/${dropId}/events`);
    streams.push(nearEvents, farEvents);
    await Promise.all([nearEvents.next('snapshot'), farEvents.next('snapshot')]);
    await near.host('PATCH', `/v1/host/drops/${dropId}`, { startsAt: Date.now() });

    // A shopper learns its position after the draw, then reserves the moment its stream says it is admitted.
    const shop = async (api: Api, events: EventClient, s: Shopper) => {
      await events.next('line', (e) => e.data.drawnAt !== null, 30_000);
      const place = parseLinePlace((await api.call('GET', `/v1/drops/${dropId}/line`, { token: s.token, from: s.from })).body);
      const admitted = events.next('line', (e) => parseLineEvent(e.data).admittedThrough >= place.position!, 60_000).then(() => true);
      const soldOut = events.next('stock', (e) => e.data.levels.some((l: { available: number }) => l.available === 0), 60_000).then(() => false);
      admitted.catch(() => {});
      soldOut.catch(() => {});
      // Positions after the last unit are never admitted (admission follows stock): they see it sell out.
      if (!(await Promise.race([admitted, soldOut]))) return 0;
      return (await reserveOne(api, dropId, s)).status;
    };
    const results = await pool(2 * GROUP, 2 * GROUP, (i) => (i < GROUP ? shop(near, nearEvents, nearGroup[i]) : shop(far, farEvents, farGroup[i - GROUP])));
    const granted = results.filter((s) => s === 201).length;
    const farUnits = results.slice(GROUP).filter((s) => s === 201).length;
    assert.equal(granted, units, 'every unit went to an admitted shopper');
    const share = farUnits / granted;
    t.diagnostic(`with the line: far group ${farUnits} of ${granted} units (${(share * 100).toFixed(1)} %)`);
    // Hypergeometric: 200 of 600, half far: standard deviation 2.9 %, so 40–60 % is ±3.4 of them.
    assert.ok(share >= 0.4 && share <= 0.6, `far group's share ${farUnits}/${granted} = ${(share * 100).toFixed(1)} %`);
  });
});
