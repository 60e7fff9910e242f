/**
 * rush: N shoppers reserve from a drop of S units at the same moment.
 *   node --import tsx bench/rush.ts [--shoppers 2000] [--stock 200] [--variants 4] [--connections N]
 * On PGlite, then (when TEST_DATABASE_URL or DATABASE_URL is set) on PostgreSQL with one
 * node and with two nodes (shoppers split between them). Each setup runs twice in the same
 * run: before (RESERVATION_BATCHING=off, one transaction per reservation) and after (batched,
 * the default). Prints reservation answers per second, p50/p99 latency, the correctness line
 * (granted + remaining == S), the database's own single-statement hot-row UPDATE rate
 * measured in the same run on the same storage, and the ratios.
 * Clients spread over loopback source addresses (127.0.0.2–254), as shoppers come from many IPs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { routes } from '../src/protocol/routes.js';
import type { SalesReport } from '../src/protocol/types.js';
import { copyPgliteTemplate } from '../test/support/pglite-template.js';
import { startReferenceServer, type RunningServer } from '../test/support/reference-server.js';
import { benchDatabase, intFlags } from './lib/args.js';
import { cpuSpan, type CpuShares } from './lib/cpu.js';
import { conditionalUpdateCeiling, type Ceiling, type Storage } from './lib/db-ceiling.js';
import { createRushDrop, createShoppers } from './lib/drop-fixture.js';
import { HttpClient } from './lib/http-client.js';
import { REFUSALS, rush, type RushAttempt } from './lib/rush.js';
import { summarize } from './lib/stats.js';
import { fmt, printGoals, printTable, type Goal } from './lib/table.js';

const pct = (share: number) => `${fmt(100 * share, 0)} %`;

const flags = intFlags(
  { shoppers: 2000, stock: 200, variants: 4, connections: 0 },
  'usage: bench/rush.ts [--shoppers N] [--stock S] [--variants K] [--connections C (default: one per shopper)]',
);
const connections = flags.connections || flags.shoppers;

interface Row {
  setup: string;
  batching: boolean;
  answersPerSec: number;
  grantedPerSec: number;
  p50: number;
  p99: number;
  granted: number;
  refused: number;
  other: number;
  remaining: number;
  negative: boolean;
  /** The machine's cores over the rush: all busy, the servers' share (`processes`), the bench's own. */
  cpu: CpuShares;
}

async function runOn(setup: string, storage: Storage, nodeCount: number, batching: boolean): Promise<Row> {
  const env = { RESERVATION_BATCHING: batching ? 'on' : 'off' };
  const nodes: RunningServer[] = [];
  for (let i = 0; i < nodeCount; i++)
    nodes.push(
      await startReferenceServer({
        ...(storage.kind === 'postgres' ? { databaseUrl: storage.url } : { dataDir: storage.dir }),
        env,
        // BENCH_CPU_PROF=<dir>: each server writes a V8 CPU profile there when it stops (where its time went).
        ...(process.env.BENCH_CPU_PROF ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] } : {}),
        startTimeoutMs: 300_000,
      }),
    );
  const clients = nodes.map((n) => new HttpClient(n.url, { maxSockets: Math.ceil(connections / nodeCount), spreadSources: true }));
  try {
    const host = clients[0];
    const target = await createRushDrop(host, nodes[0].hostToken, { stock: flags.stock, variants: flags.variants });
    // Creating the shoppers as many at a time as there are connections also opens (warms) those connections.
    const tokens = (
      await Promise.all(clients.map((c) => createShoppers(c, Math.ceil(flags.shoppers / nodeCount), Math.ceil(connections / nodeCount))))
    )
      .flat()
      .slice(0, flags.shoppers);

    const span = cpuSpan(nodes.map((n) => n.process.pid!));
    const started = performance.now();
    // Shopper i reserves through node i % nodeCount (a token made on one node is good on every node).
    const perNode = clients.map((c, n) =>
      rush(
        c,
        target,
        tokens.filter((_, i) => i % nodeCount === n),
      ),
    );
    const attempts: RushAttempt[] = (await Promise.all(perNode)).flat();
    const seconds = (performance.now() - started) / 1000;
    const cpu = span.end();

    const sales = await host.json<SalesReport>('GET', routes.host.sales(target.drop.id), { token: nodes[0].hostToken });
    const granted = attempts.filter((a) => a.status === 201).length;
    const refused = attempts.filter((a) => a.status === 409 && REFUSALS.has(a.code ?? '')).length;
    const others = attempts.filter((a) => a.status !== 201 && !(a.status === 409 && REFUSALS.has(a.code ?? '')));
    if (others.length)
      console.log(`  ${setup}: ${others.length} unexpected answers, e.g. HTTP ${others[0].status} ${others[0].code ?? ''}`);
    const lat = summarize(attempts.map((a) => a.ms));
    return {
      setup,
      batching,
      answersPerSec: attempts.length / seconds,
      grantedPerSec: granted / seconds,
      p50: lat.p50,
      p99: lat.p99,
      granted,
      refused,
      other: others.length,
      remaining: sales.variants.reduce((n, v) => n + v.available, 0),
      negative: sales.variants.some((v) => v.available < 0),
      cpu,
    };
  } finally {
    clients.forEach((c) => c.close());
    await Promise.all(nodes.map((n) => n.stop()));
  }
}

const rows: Row[] = [];
const ceilings = new Map<string, Ceiling>();
// Each PGlite run gets its own fresh directory: one run's aftermath (a slow shutdown) cannot weigh on the next.
for (const batching of [false, true]) {
  const dir = mkdtempSync(join(tmpdir(), 'live-drop-rush-'));
  try {
    await copyPgliteTemplate(dir);
    const pglite: Storage = { kind: 'pglite', label: 'PGlite', dir };
    rows.push(await runOn('PGlite', pglite, 1, batching));
    // The ceiling runs after the server has stopped, so neither steals the other's CPU.
    if (batching) ceilings.set('PGlite', await conditionalUpdateCeiling(pglite, flags.shoppers, flags.variants));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const database = await benchDatabase('rush');
if (database) {
  const pg: Storage = { kind: 'postgres', label: 'PostgreSQL', url: database.url };
  for (const [setup, nodeCount] of [
    ['PostgreSQL, 1 node', 1],
    ['PostgreSQL, 2 nodes', 2],
  ] as const) {
    for (const batching of [false, true]) rows.push(await runOn(setup, pg, nodeCount, batching));
  }
  const ceiling = await conditionalUpdateCeiling(pg, flags.shoppers, flags.variants);
  ceilings.set('PostgreSQL, 1 node', ceiling);
  ceilings.set('PostgreSQL, 2 nodes', ceiling);
  await database.drop();
}

/** Answers per second as a percentage of the database's own hot-row UPDATE rate, measured in this run. */
const ofCeiling = (r: Row) => (100 * r.answersPerSec) / ceilings.get(r.setup)!.updatesPerSec;
printTable(
  `rush: ${flags.shoppers} shoppers at once, ${flags.stock} units over ${flags.variants} variants, ${connections} connections from 253 loopback addresses`,
  [
    'setup',
    'batching',
    'answers/s',
    'granted/s',
    'p50 ms',
    'p99 ms',
    'db UPDATE/s',
    'loops',
    'server/db',
    'after/before',
    'CPU busy',
    'servers',
    'bench',
  ],
  rows.map((r) => {
    const ceiling = ceilings.get(r.setup)!;
    const before = rows.find((b) => b.setup === r.setup && !b.batching)!;
    return [
      r.setup,
      r.batching ? 'on (after)' : 'off (before)',
      r.answersPerSec,
      r.grantedPerSec,
      r.p50,
      r.p99,
      ceiling.updatesPerSec,
      ceiling.loops,
      `${fmt(ofCeiling(r))} %`,
      r.batching ? `${fmt(r.answersPerSec / before.answersPerSec, 2)}×` : '',
      pct(r.cpu.machine),
      pct(r.cpu.processes),
      pct(r.cpu.bench),
    ];
  }),
);
console.log('');
for (const r of rows) {
  console.log(
    `${r.setup}, batching ${r.batching ? 'on' : 'off'}: granted ${r.granted}, refused ${r.refused}, other ${r.other}, remaining ${r.remaining}; ` +
      `granted + remaining == ${flags.stock}: ${r.granted + r.remaining === flags.stock ? 'yes' : 'NO'}; negative stock: ${r.negative ? 'YES' : 'no'}`,
  );
}
console.log(
  '\nanswers/s counts every reservation answered (granted or refused) from the first request to the last answer;' +
    '\ndb UPDATE/s: the single-statement hot-row UPDATE (takeStock: available = available - 1 WHERE … AND available >= 1),' +
    '\none transaction each, looped straight against the same storage after the servers stopped' +
    "\n(PGlite: one loop, its only connection; PostgreSQL: one loop per connection of a server's pool)." +
    `\nCPU busy: the machine's ${cpus().length} cores over the rush (100 % = all busy); servers, bench: what the server processes and this bench's` +
    "\nclient used of them (the rest: the database, PostgreSQL's processes, and anything else running).",
);
const serverLimit = (r: Row) =>
  `CPU: the ${cpus().length} cores were ${pct(r.cpu.machine)} busy (server${r.setup.includes('2 nodes') ? 's' : ''} ${pct(r.cpu.processes)}, bench ${pct(r.cpu.bench)}); ` +
  (r.setup === 'PGlite' ? "the server's one thread runs PGlite too, and" : 'the database, the servers and the bench share them, and') +
  ' each answer also costs its HTTP request and JSON, the token check and the stored answer, which the UPDATE loop does not';
const goals: Goal[] = rows
  .filter((r) => r.batching)
  .map((r) => {
    const share = ofCeiling(r);
    return {
      goal: `answers/s ≥ 100 % of the database's hot-row UPDATE rate, ${r.setup}`,
      figure: `${fmt(share)} %`,
      met: share >= 100,
      limit: serverLimit(r),
    };
  });
const pgAfter = rows.find((r) => r.setup === 'PostgreSQL, 1 node' && r.batching);
if (pgAfter)
  goals.push({
    goal: `p99 ≤ 1000 ms for ${flags.shoppers} simultaneous shoppers on PostgreSQL`,
    figure: `${fmt(pgAfter.p99)} ms`,
    met: pgAfter.p99 <= 1000,
    limit: `the answers per second above: ${flags.shoppers} answers at ${fmt(pgAfter.answersPerSec)}/s take ${fmt(flags.shoppers / pgAfter.answersPerSec, 2)} s`,
  });
printGoals('goals (issue 16), batching on:', goals);
