/**
 * rush: N shoppers reserve from a drop of S units at the same moment.
 *   node --import tsx bench/rush.ts [--shoppers 2000] [--stock 200] [--variants 4] [--connections N]
 * Runs on PGlite, then on PostgreSQL when TEST_DATABASE_URL or DATABASE_URL is set.
 * Prints reservation answers per second, p50/p99 latency, the correctness line
 * (granted + remaining == S), and the throughput as a share of two ceilings on the
 * same storage: the server's reservation service called without HTTP, and the
 * database's own: the same conditional UPDATE in a loop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { routes } from '../src/protocol/routes.js';
import type { SalesReport } from '../src/protocol/types.js';
import { startReferenceServer } from '../test/support/reference-server.js';
import { intFlags, postgresUrl } from './lib/args.js';
import { conditionalUpdateCeiling, reservationServiceCeiling, type Storage } from './lib/db-ceiling.js';
import { createRushDrop, createShoppers } from './lib/drop-fixture.js';
import { HttpClient } from './lib/http-client.js';
import { REFUSALS, rush } from './lib/rush.js';
import { summarize } from './lib/stats.js';
import { fmt, printTable } from './lib/table.js';

const flags = intFlags(
  { shoppers: 2000, stock: 200, variants: 4, connections: 0 },
  'usage: bench/rush.ts [--shoppers N] [--stock S] [--variants K] [--connections C (default: one per shopper)]',
);
const connections = flags.connections || flags.shoppers;

interface Row {
  storage: string;
  answersPerSec: number;
  grantedPerSec: number;
  p50: number;
  p99: number;
  granted: number;
  refused: number;
  other: number;
  remaining: number;
  negative: boolean;
  ceiling: number;
  ceilingLoops: number;
  service: number;
}

async function runOn(storage: Storage): Promise<Row> {
  const server = await startReferenceServer(storage.kind === 'postgres' ? { databaseUrl: storage.url } : { dataDir: storage.dir });
  const client = new HttpClient(server.url, { maxSockets: connections });
  let row: Omit<Row, 'ceiling' | 'ceilingLoops' | 'service'>;
  try {
    const target = await createRushDrop(client, server.hostToken, { stock: flags.stock, variants: flags.variants });
    // Creating the shoppers as many at a time as there are connections also opens (warms) those connections.
    const tokens = await createShoppers(client, flags.shoppers, connections);

    const started = performance.now();
    const attempts = await rush(client, target, tokens);
    const seconds = (performance.now() - started) / 1000;

    const sales = await client.json<SalesReport>('GET', routes.host.sales(target.drop.id), { token: server.hostToken });
    const granted = attempts.filter((a) => a.status === 201).length;
    const refused = attempts.filter((a) => a.status === 409 && REFUSALS.has(a.code ?? '')).length;
    const lat = summarize(attempts.map((a) => a.ms));
    row = {
      storage: storage.label,
      answersPerSec: attempts.length / seconds,
      grantedPerSec: granted / seconds,
      p50: lat.p50,
      p99: lat.p99,
      granted,
      refused,
      other: attempts.length - granted - refused,
      remaining: sales.variants.reduce((n, v) => n + v.available, 0),
      negative: sales.variants.some((v) => v.available < 0),
    };
    const others = attempts.filter((a) => a.status !== 201 && !(a.status === 409 && REFUSALS.has(a.code ?? '')));
    if (others.length) console.log(`  ${storage.label}: ${others.length} unexpected answers, e.g. HTTP ${others[0].status} ${others[0].code ?? ''}`);
  } finally {
    client.close();
    await server.stop();
  }
  // The ceilings run after the server has stopped, so neither steals the other's CPU.
  const service = await reservationServiceCeiling(storage, flags.shoppers, flags.stock, flags.variants);
  const ceiling = await conditionalUpdateCeiling(storage, flags.shoppers, flags.variants);
  return { ...row, service, ceiling: ceiling.updatesPerSec, ceilingLoops: ceiling.loops };
}

const rows: Row[] = [];
const dir = mkdtempSync(join(tmpdir(), 'live-drop-rush-'));
try {
  rows.push(await runOn({ kind: 'pglite', label: 'PGlite', dir }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const pg = postgresUrl('rush');
if (pg) rows.push(await runOn({ kind: 'postgres', label: 'PostgreSQL', url: pg }));

printTable(
  `rush: ${flags.shoppers} shoppers, ${flags.stock} units over ${flags.variants} variants, ${connections} connections`,
  ['storage', 'answers/s', 'granted/s', 'p50 ms', 'p99 ms', 'service/s', 'db UPDATE/s', 'loops', 'server/service', 'server/db'],
  rows.map((r) => {
    const pct = (x: number) => `${fmt((100 * r.answersPerSec) / x)} %`;
    return [r.storage, r.answersPerSec, r.grantedPerSec, r.p50, r.p99, r.service, r.ceiling, r.ceilingLoops, pct(r.service), pct(r.ceiling)];
  }),
);
console.log('');
for (const r of rows) {
  console.log(
    `${r.storage}: granted ${r.granted}, refused ${r.refused}, other ${r.other}, remaining ${r.remaining}; ` +
      `granted + remaining == ${flags.stock}: ${r.granted + r.remaining === flags.stock ? 'yes' : 'NO'}; ` +
      `negative stock: ${r.negative ? 'YES' : 'no'}`,
  );
}
console.log(
  '\nanswers/s counts every reservation answered (granted or refused) from the first request to the last answer;' +
    '\nservice/s: the server\'s ReservationService.reserve called in-process, no HTTP, same shoppers/stock/storage (server/service = cost of HTTP);' +
    '\ndb UPDATE/s: the server\'s own conditional UPDATE (takeStock), one transaction each, looped straight against the same storage' +
    '\n(PGlite: one loop, its only connection; PostgreSQL: one loop per connection of the server\'s pool), server stopped.',
);
