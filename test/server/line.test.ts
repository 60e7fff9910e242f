import assert from 'node:assert/strict';
import type { QueueSettings } from '../../src/protocol/types.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { drawOrder, placeIdOf } from '../../server/services/line-draw.js';
import { parseDropQueue, parseLineEvent, parseLinePlace, parseLineRecord } from '../../src/protocol/parse-line.js';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { apiFor, eventually, tee, type Api } from './support/api-client.js';
import { openEvents, type EventClient } from './support/event-client.js';
import { skipWithoutPostgres } from './support/postgres.js';
import { joinLine, newShoppers, reserveOne } from './support/line.js';
import { twoPostgresNodes } from './support/two-nodes.js';

const run = promisify(execFile);
const verifyDraw = (backend: string, dropId: string, ...extra: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'scripts/verify-draw.ts', backend, dropId, ...extra]).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
  );

/** Spearman's rank correlation of two equally long lists of distinct numbers. */
function spearman(a: number[], b: number[]): number {
  const ranks = (xs: number[]) => {
    const order = xs.map((x, i) => [x, i]).sort((p, q) => p[0] - q[0]);
    const r = new Array(xs.length);
    order.forEach(([, i], rank) => (r[i] = rank));
    return r as number[];
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const d2 = ra.reduce((sum, r, i) => sum + (r - rb[i]) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

describe('the draw (line-draw.ts)', () => {
  it('is a permutation that does not favour early joiners, over 2,000 draws with fresh seeds', () => {
    const n = 50;
    const ids = Array.from({ length: n }, (_, i) => placeIdOf('d', `token-${i}`)); // in arrival order
    const draws = 2000;
    const firstBins = new Array(10).fill(0);
    const lastBins = new Array(10).fill(0);
    let rhoSum = 0;
    for (let d = 0; d < draws; d++) {
      const seed = Buffer.from(Array.from({ length: 32 }, () => Math.floor(Math.random() * 256))).toString('hex');
      const order = drawOrder(seed, ids);
      assert.deepEqual([...order].sort(), [...ids].sort());
      const position = new Map(order.map((id, i) => [id, i]));
      firstBins[Math.floor((position.get(ids[0])! * 10) / n)]++;
      lastBins[Math.floor((position.get(ids[n - 1])! * 10) / n)]++;
      rhoSum += spearman(
        ids.map((_, i) => i),
        ids.map((id) => position.get(id)!),
      );
    }
    // The first and the last arrival land in each tenth of the line alike: χ² with 9 degrees of freedom, p = 0.001 at 27.88.
    const chi2 = (bins: number[]) => bins.reduce((sum, o) => sum + (o - draws / 10) ** 2 / (draws / 10), 0);
    assert.ok(chi2(firstBins) < 27.88, `first arrival's tenths ${firstBins} (χ² ${chi2(firstBins).toFixed(1)})`);
    assert.ok(chi2(lastBins) < 27.88, `last arrival's tenths ${lastBins} (χ² ${chi2(lastBins).toFixed(1)})`);
    // Arrival order and position are uncorrelated: the mean of 2,000 Spearman ρ has a standard error of about 0.0032.
    assert.ok(Math.abs(rhoSum / draws) < 0.015, `mean ρ between arrival and position ${(rhoSum / draws).toFixed(4)}`);
  });

  it('is the same for the same seed whatever order the list comes in', () => {
    const ids = Array.from({ length: 20 }, (_, i) => placeIdOf('d', `t${i}`));
    const seed = 'ab'.repeat(32);
    assert.deepEqual(drawOrder(seed, ids), drawOrder(seed, [...ids].reverse()));
  });
});

describe('a drop with a waiting line (one node, PGlite)', () => {
  let server: RunningServer;
  let api: Api;
  const clients: EventClient[] = [];
  before(async () => {
    server = await startReferenceServer();
    api = apiFor(server);
  });
  after(async () => {
    clients.forEach((c) => c.close());
    await server?.stop();
  });

  /** A drop whose line is open now; its start is at `startsIn` ms (the host moves it with PATCH to draw). */
  const lineDrop = (queue: Partial<QueueSettings>, stock: Record<string, number> = { s: 50, m: 50 }, startsIn = 3_600_000) =>
    api.createDrop({
      startsAt: Date.now() + startsIn,
      products: [tee('tee', stock, { limitPerCustomer: 1 })],
      queue: { joinWindowMs: 7_200_000, graceMs: 0, ...queue },
    });
  const startNow = (dropId: string) => api.host('PATCH', `/v1/host/drops/${dropId}`, { startsAt: Date.now() });
  const drawn = (dropId: string) =>
    eventually(
      async () => {
        const d = (await api.call('GET', `/v1/drops/${dropId}`)).body;
        return d.queue?.drawnAt !== null && d.queue;
      },
      { what: 'the draw' },
    );

  it('gives 2,000 shoppers who joined before the start the positions 1 … 2,000 in a random order, and verify-draw agrees', async () => {
    const dropId = await lineDrop({ admitPerSecond: 1 });
    const before = parseDropQueue((await api.call('GET', `/v1/drops/${dropId}`)).body.queue)!;
    assert.equal(before.seed, null, 'the seed stays secret until the draw');
    assert.match(before.commitment, /^[0-9a-f]{64}$/);
    const who = await newShoppers(api, 2000);
    const joined = await joinLine(api, dropId, who);
    assert.equal(new Set(joined.map((p) => p.placeId)).size, 2000);
    joined.forEach((p, i) => assert.equal(p.placeId, placeIdOf(dropId, who[i].token), 'the place id is the one the shopper can compute'));
    assert.equal(
      (await api.call('POST', `/v1/drops/${dropId}/line`, { token: who[0].token, from: who[0].from })).status,
      200,
      'one place per shopper token',
    );
    const [twin] = await newShoppers(api, 1, 1, 2500);
    const twice = await Promise.all(
      [1, 2, 3].map(() => api.call('POST', `/v1/drops/${dropId}/line`, { token: twin.token, from: twin.from })),
    );
    assert.deepEqual(twice.map((r) => r.status).sort(), [200, 200, 201], 'joining three times at once makes one place');
    assert.equal(new Set(twice.map((r) => r.body.placeId)).size, 1);

    await startNow(dropId);
    const queue = parseDropQueue(await drawn(dropId))!;
    assert.equal(queue.commitment, before.commitment, 'the commitment did not change');
    assert.ok(queue.seed);

    const record = parseLineRecord((await api.call('GET', `/v1/drops/${dropId}/line/places`)).body);
    assert.equal(record.onTime, 2001);
    assert.deepEqual(
      record.places.map((p) => p.position),
      Array.from({ length: 2001 }, (_, i) => i + 1),
      'positions are a permutation of 1 … 2,001',
    );
    // Arrival order tells nothing about the position (|ρ| < 0.1 is 4.5 standard errors for 2,000 places).
    const arrival = new Map([...joined.map((p, i): [string, number] => [p.placeId, i]), [twice[0].body.placeId, joined.length]]);
    const rho = spearman(
      record.places.map((p) => arrival.get(p.placeId)!),
      record.places.map((p) => p.position!),
    );
    assert.ok(Math.abs(rho) < 0.1, `ρ(arrival, position) = ${rho.toFixed(3)}`);
    assert.deepEqual(
      record.places.map((p) => p.placeId),
      drawOrder(queue.seed!, [...arrival.keys()]),
    );

    const mine = parseLinePlace((await api.call('GET', `/v1/drops/${dropId}/line`, { token: who[7].token })).body);
    assert.equal(mine.position, record.places.findIndex((p) => p.placeId === mine.placeId) + 1);
    assert.equal(mine.onTime, true);

    const ok = await verifyDraw(server.url, dropId, '--token', who[7].token);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, new RegExp(`position ${mine.position} \\(in the draw\\)`));
  });

  for (const batching of ['on', 'off'] as const)
    it(`lets nobody reserve before their admission, with reservation batching ${batching}`, async () => {
      const node = batching === 'on' ? server : await startReferenceServer({ env: { RESERVATION_BATCHING: 'off' } });
      const nodeApi = apiFor(node);
      try {
        const dropId = await nodeApi.createDrop({
          startsAt: Date.now() + 3_600_000,
          products: [tee('tee', { s: 50 }, { limitPerCustomer: 1 })],
          queue: { joinWindowMs: 7_200_000, graceMs: 1500, admitPerSecond: 2, passMs: 60_000 },
        });
        const who = await newShoppers(nodeApi, 12, 6, 3000);
        await joinLine(nodeApi, dropId, who);
        const outsider = (await newShoppers(nodeApi, 1, 1, 3100))[0];
        await nodeApi.host('PATCH', `/v1/host/drops/${dropId}`, { startsAt: Date.now() });
        // Live, but within the grace period: nobody has a pass yet, however fast.
        const early = await Promise.all(who.map((s) => reserveOne(nodeApi, dropId, s)));
        assert.deepEqual(
          early.map((r) => [r.status, r.body.code]),
          who.map(() => [403, 'pass-required']),
        );
        const places = new Map<string, number>();
        await eventually(
          async () => {
            const d = (await nodeApi.call('GET', `/v1/drops/${dropId}`)).body;
            return d.queue.admittedThrough >= 1;
          },
          { what: 'the first admission' },
        );
        for (const s of who) places.set(s.token, (await nodeApi.call('GET', `/v1/drops/${dropId}/line`, { token: s.token })).body.position);
        // Everyone tries at once; only those admitted by then may, and in position order.
        const tries = await Promise.all(who.map((s) => reserveOne(nodeApi, dropId, s)));
        const through = (await nodeApi.call('GET', `/v1/drops/${dropId}`)).body.queue.admittedThrough;
        tries.forEach((r, i) => {
          const position = places.get(who[i].token)!;
          if (r.status === 201) assert.ok(position <= through, `position ${position} reserved with admission at ${through}`);
          else {
            assert.deepEqual([r.status, r.body.code], [403, 'pass-required']);
            assert.ok(position > through - 1, `position ${position} was admitted (through ${through}) but refused`);
          }
        });
        assert.ok(
          tries.some((r) => r.status === 201),
          'the first position could reserve',
        );
        const refused = await reserveOne(nodeApi, dropId, outsider);
        assert.deepEqual([refused.status, refused.body.code], [403, 'pass-required'], 'a shopper not in the line cannot reserve');
      } finally {
        if (node !== server) await node.stop();
      }
    });

  it('admits in position order at the configured rate, one `line` event for everyone at most twice a second', async () => {
    const dropId = await lineDrop({ admitPerSecond: 4, passMs: 60_000 });
    const who = await newShoppers(api, 16, 8, 4000);
    await joinLine(api, dropId, who);
    const viewer = await openEvents(`${server.url}/v1/drops/${dropId}/events`);
    clients.push(viewer);
    await viewer.next('snapshot');
    await startNow(dropId);
    const t0 = Date.now();
    await viewer.next('line', (e) => e.data.admittedThrough >= 16, 20_000);
    const seconds = (Date.now() - t0) / 1000;
    // 16 at 4 a second: about 4 s (plus the tick and the draw).
    assert.ok(seconds > 3 && seconds < 9, `16 admitted in ${seconds.toFixed(1)} s at 4/s`);
    const lineEvents = viewer.events.filter((e) => e.type === 'line').map((e) => parseLineEvent(e.data));
    for (let i = 1; i < lineEvents.length; i++) {
      assert.ok(lineEvents[i].admittedThrough >= lineEvents[i - 1].admittedThrough, 'admission never goes back');
      assert.ok(lineEvents[i].at - lineEvents[i - 1].at >= 490, 'line events are at least half a second apart');
    }
    assert.deepEqual(Object.keys(viewer.events.find((e) => e.type === 'line')!.data).sort(), [
      'admittedThrough',
      'at',
      'drawnAt',
      'paused',
      'rate',
      'seed',
      'total',
    ]);
    // Each place was admitted no earlier than the one before it.
    const places = await Promise.all(
      who.map(async (s) => parseLinePlace((await api.call('GET', `/v1/drops/${dropId}/line`, { token: s.token })).body)),
    );
    const byPosition = places.sort((a, b) => a.position! - b.position!);
    for (let i = 1; i < byPosition.length; i++)
      assert.ok(byPosition[i].passExpiresAt! >= byPosition[i - 1].passExpiresAt!, `position ${i + 1} admitted before ${i}`);
  });

  it('following stock, admits one shopper per unit, and goes on past a pass that lapses or a shopper who leaves', async () => {
    const dropId = await lineDrop({ admitPerSecond: null, passMs: 2000 }, { s: 2 });
    const who = await newShoppers(api, 6, 6, 5000);
    await joinLine(api, dropId, who);
    await startNow(dropId);
    const through = async () => (await api.call('GET', `/v1/drops/${dropId}`)).body.queue.admittedThrough as number;
    await eventually(async () => (await through()) === 2, { what: 'two admitted for two units' });
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(await through(), 2, 'no more while both passes are open');
    const positions = await Promise.all(
      who.map(async (s) => (await api.call('GET', `/v1/drops/${dropId}/line`, { token: s.token })).body.position),
    );
    const first = who[positions.indexOf(1)];
    assert.equal((await api.call('DELETE', `/v1/drops/${dropId}/line`, { token: first.token })).status, 204);
    assert.deepEqual((await reserveOne(api, dropId, first)).body.code, 'pass-required', 'a shopper who left has no pass');
    await eventually(async () => (await through()) === 3, { what: 'the place after the one who left' });
    // Nobody reserves: the passes lapse after 2 s and admission goes on.
    await eventually(async () => (await through()) >= 5, { what: 'admission past lapsed passes', timeoutMs: 10_000 });
  });

  it('pauses and resumes admission for the host, and refuses joining a drop without a line or before its window', async () => {
    const dropId = await lineDrop({ admitPerSecond: 50 });
    const who = await newShoppers(api, 4, 4, 6000);
    await joinLine(api, dropId, who);
    const paused = await api.host('POST', `/v1/host/drops/${dropId}/line/pause`);
    assert.equal(paused.body.paused, true);
    await startNow(dropId);
    await drawn(dropId);
    await new Promise((r) => setTimeout(r, 800));
    assert.equal((await api.call('GET', `/v1/drops/${dropId}`)).body.queue.admittedThrough, 0, 'paused: nobody admitted');
    await api.host('POST', `/v1/host/drops/${dropId}/line/resume`);
    await eventually(async () => (await api.call('GET', `/v1/drops/${dropId}`)).body.queue.admittedThrough === 4, {
      what: 'admission after resume',
    });

    const plain = await api.createDrop();
    const s = who[0];
    assert.deepEqual((await api.call('POST', `/v1/drops/${plain}/line`, { token: s.token, from: s.from })).body.code, 'no-line');
    const later = await api.createDrop({ startsAt: Date.now() + 3_600_000, queue: { joinWindowMs: 60_000 } });
    assert.deepEqual((await api.call('POST', `/v1/drops/${later}/line`, { token: s.token, from: s.from })).body.code, 'line-not-open');
    assert.equal((await api.call('POST', `/v1/drops/${dropId}/line`, { from: s.from })).status, 401);
    const open = await lineDrop({});
    assert.deepEqual(
      (await api.call('POST', `/v1/drops/${open}/line`, { token: 'shp_not-a-real-token-at-all', from: s.from })).body.code,
      'unauthorized',
      'an unknown token gets no place',
    );
    assert.equal((await api.call('GET', `/v1/drops/${open}/line/places`)).body.places.length, 0);
  });

  it('queues a late arrival behind everyone drawn, in arrival order', async () => {
    const dropId = await lineDrop({ admitPerSecond: 0.01 });
    const who = await newShoppers(api, 5, 5, 7000);
    await joinLine(api, dropId, who.slice(0, 3));
    await startNow(dropId);
    await drawn(dropId);
    const late = [];
    for (const s of who.slice(3)) late.push((await api.call('POST', `/v1/drops/${dropId}/line`, { token: s.token, from: s.from })).body);
    assert.deepEqual(
      late.map((p) => [p.position, p.onTime]),
      [
        [4, false],
        [5, false],
      ],
    );
    assert.equal((await verifyDraw(server.url, dropId)).code, 0);
  });
});

describe('a waiting line on two PostgreSQL nodes', { skip: skipWithoutPostgres }, () => {
  const cluster = twoPostgresNodes('line', { captureOutput: true });

  it('draws once, admits in order through both nodes, and checks passes made on the other node', async () => {
    const [a, b] = cluster.nodes.map(apiFor);
    const dropId = await a.createDrop({
      startsAt: Date.now() + 3_600_000,
      products: [tee('tee', { s: 400 }, { limitPerCustomer: 1 })],
      queue: { joinWindowMs: 7_200_000, graceMs: 0, admitPerSecond: 40, passMs: 60_000 },
    });
    const who = await newShoppers(a, 300, 16, 8000);
    // Half join on each node, at the same time.
    await Promise.all([joinLine(a, dropId, who.slice(0, 150), 8), joinLine(b, dropId, who.slice(150), 8)]);
    await a.host('PATCH', `/v1/host/drops/${dropId}`, { startsAt: Date.now() });
    // Shoppers keep trying on the node they did not join on, until each one gets its unit.
    const granted: { position: number; at: number }[] = [];
    const positions = new Map<string, number>();
    await eventually(async () => (await b.call('GET', `/v1/drops/${dropId}`)).body.queue.drawnAt !== null, { what: 'the draw' });
    for (const s of who) positions.set(s.token, (await a.call('GET', `/v1/drops/${dropId}/line`, { token: s.token })).body.position);
    await Promise.all(
      who.map(async (s, i) => {
        const other = i < 150 ? b : a;
        for (;;) {
          const r = await reserveOne(other, dropId, s);
          if (r.status === 201) return granted.push({ position: positions.get(s.token)!, at: r.body.createdAt });
          assert.deepEqual([r.status, r.body.code], [403, 'pass-required']);
          await new Promise((res) => setTimeout(res, 100 + Math.random() * 100));
        }
      }),
    );
    assert.equal(granted.length, 300);
    const record = parseLineRecord((await b.call('GET', `/v1/drops/${dropId}/line/places`)).body);
    assert.deepEqual(
      record.places.map((p) => p.position),
      Array.from({ length: 300 }, (_, i) => i + 1),
    );
    const draws = cluster.nodes.map((n) => (n.output.match(/line: drawn/g) ?? []).length);
    assert.equal(draws[0] + draws[1], 1, `exactly one node drew (${draws})`);
    // Admission order: nobody got a unit before a position far ahead of theirs was even admitted.
    const pg2 = new pg.Client({ connectionString: cluster.database.url });
    await pg2.connect();
    const admitted = await pg2.query('SELECT position, admitted_at FROM line_places WHERE drop_id = $1 ORDER BY position', [dropId]);
    await pg2.end();
    for (let i = 1; i < admitted.rows.length; i++)
      assert.ok(Number(admitted.rows[i].admitted_at) >= Number(admitted.rows[i - 1].admitted_at), `position ${i + 1} admitted before ${i}`);
    const ok = await verifyDraw(cluster.nodes[1].url, dropId);
    assert.equal(ok.code, 0, ok.out);
  });

  it('makes verify-draw fail on a tampered draw: two positions swapped, or another seed revealed', async () => {
    // Tampered in the database behind the running servers, as a dishonest operator could.
    const a = apiFor(cluster.nodes[0]);
    const dropId = await a.createDrop({
      startsAt: Date.now() + 3_600_000,
      queue: { joinWindowMs: 7_200_000, graceMs: 0, admitPerSecond: 1 },
    });
    await joinLine(a, dropId, await newShoppers(a, 20, 8, 9000));
    await a.host('PATCH', `/v1/host/drops/${dropId}`, { startsAt: Date.now() });
    await eventually(async () => (await a.call('GET', `/v1/drops/${dropId}`)).body.queue.drawnAt !== null, { what: 'the draw' });
    assert.equal((await verifyDraw(cluster.nodes[0].url, dropId)).code, 0);
    const db = new pg.Client({ connectionString: cluster.database.url });
    await db.connect();
    try {
      await db.query('BEGIN');
      await db.query('UPDATE line_places SET position = -position WHERE drop_id = $1 AND position IN (1, 2)', [dropId]);
      await db.query('UPDATE line_places SET position = CASE position WHEN -1 THEN 2 ELSE 1 END WHERE drop_id = $1 AND position < 0', [
        dropId,
      ]);
      await db.query('COMMIT');
      const swapped = await verifyDraw(cluster.nodes[0].url, dropId);
      assert.equal(swapped.code, 1, swapped.out);
      assert.match(swapped.out, /position 1 should be/);
      // Swapped back: it checks out again, so the failure above was the swap.
      await db.query('UPDATE line_places SET position = -position WHERE drop_id = $1 AND position IN (1, 2)', [dropId]);
      await db.query('UPDATE line_places SET position = CASE position WHEN -1 THEN 2 ELSE 1 END WHERE drop_id = $1 AND position < 0', [
        dropId,
      ]);
      assert.equal((await verifyDraw(cluster.nodes[0].url, dropId)).code, 0);
      await db.query('UPDATE drop_lines SET seed = $2 WHERE drop_id = $1', [dropId, 'cd'.repeat(32)]);
      const reseeded = await verifyDraw(cluster.nodes[1].url, dropId);
      assert.equal(reseeded.code, 1, reseeded.out);
      assert.match(reseeded.out, /but the commitment was/);
    } finally {
      await db.end();
    }
  });

  it('goes on admitting in order on the other node when one is killed (SIGKILL) mid-admission', async () => {
    const [a, b] = cluster.nodes.map(apiFor);
    const dropId = await a.createDrop({
      startsAt: Date.now() + 3_600_000,
      queue: { joinWindowMs: 7_200_000, graceMs: 0, admitPerSecond: 10, passMs: 60_000 },
    });
    const who = await newShoppers(a, 60, 8, 9500);
    await Promise.all([joinLine(a, dropId, who.slice(0, 30), 8), joinLine(b, dropId, who.slice(30), 8)]);
    await a.host('PATCH', `/v1/host/drops/${dropId}`, { startsAt: Date.now() });
    const through = async () => (await b.call('GET', `/v1/drops/${dropId}`)).body.queue.admittedThrough as number;
    await eventually(async () => (await through()) >= 10, { what: 'admission under way' });
    await cluster.nodes[0].kill();
    const atKill = await through();
    await eventually(async () => (await through()) === 60, { what: 'admission finished by the surviving node', timeoutMs: 30_000 });
    assert.ok(atKill < 60, 'the kill came before admission had finished');
    const db = new pg.Client({ connectionString: cluster.database.url });
    await db.connect();
    const rows = (await db.query('SELECT position, admitted_at FROM line_places WHERE drop_id = $1 ORDER BY position', [dropId])).rows;
    await db.end();
    assert.deepEqual(
      rows.map((r) => r.position),
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    for (let i = 1; i < rows.length; i++)
      assert.ok(Number(rows[i].admitted_at) >= Number(rows[i - 1].admitted_at), `position ${i + 1} admitted before ${i}`);
    const ok = await verifyDraw(cluster.nodes[1].url, dropId);
    assert.equal(ok.code, 0, ok.out);
  });
});
