/**
 * history: the history checker's long mode (issue 15 §2). Seeded clients
 * reserve, retry with the same key, cancel and confirm while the host edits
 * the drop and nodes are SIGKILLed and restarted; afterwards the database is
 * checked (available + held + sold = stock per variant, every granted
 * reservation stored once, no unit in two orders, no shopper over the limit).
 *
 *   node --import tsx bench/history.ts [--seed S] [--runs R] [--ops N] [--duration SECONDS]
 *                                      [--clients C] [--shoppers K] [--kills X]
 *
 * Run r uses seed S + r (S = 0: a random start). PGlite (one node) first, then two
 * PostgreSQL nodes when TEST_DATABASE_URL is set. Prints one row per run and, for
 * a failing run, the seed and the shortest history that shows each violation;
 * exits 1 when any run failed.
 */
import { explain } from '../test/support/history/check.js';
import { historyRun, tally, type HistoryRunResult } from '../test/support/history/run.js';
import { freshDatabase } from '../test/server/support/postgres.js';
import { intFlags } from './lib/args.js';
import { printTable, type Cell } from './lib/table.js';

const flags = intFlags(
  { seed: 0, runs: 3, ops: 20_000, duration: 30, clients: 12, shoppers: 60, kills: 2 },
  'usage: bench/history.ts [--seed S] [--runs R] [--ops N] [--duration SECONDS] [--clients C] [--shoppers K] [--kills X]',
);
const firstSeed = flags.seed || 1 + Math.floor(Math.random() * 1_000_000);
const options = {
  maxOps: flags.ops,
  durationMs: flags.duration * 1000,
  clients: flags.clients,
  shoppers: flags.shoppers,
  kills: flags.kills,
  log: (m: string) => console.log(`  ${m}`),
};

const results: HistoryRunResult[] = [];
for (let r = 0; r < flags.runs; r++) {
  const seed = firstSeed + r;
  console.log(`PGlite, seed ${seed} …`);
  results.push(await historyRun({ ...options, seed }));
}
if (!process.env.TEST_DATABASE_URL)
  console.log('\nhistory on PostgreSQL: skipped (set TEST_DATABASE_URL to a role that may CREATE DATABASE; each run gets a fresh one)');
else {
  for (let r = 0; r < flags.runs; r++) {
    const seed = firstSeed + r;
    console.log(`PostgreSQL, seed ${seed} …`);
    const database = await freshDatabase('history_bench');
    try {
      results.push(await historyRun({ ...options, seed, databaseUrl: database.url }));
    } finally {
      await database.drop();
    }
  }
}

const rows: Cell[][] = results.map((r) => {
  const t = tally(r.run);
  return [
    r.storage,
    r.run.seed,
    t.operations,
    (t.operations / r.run.trafficMs) * 1000,
    t.reserved,
    t.replays,
    t.confirmed,
    t.cancelled,
    t.refused,
    t.unanswered,
    t.hostEdits,
    t.kills,
    t.samples,
    r.run.trafficMs / 1000,
    r.totalMs / 1000,
    r.violations.length,
  ];
});
printTable(
  `history: ${flags.runs} runs per storage from seed ${firstSeed}, ≤ ${flags.ops} operations or ${flags.duration} s of traffic each, ${flags.clients} clients, ${flags.shoppers} shoppers, ${flags.kills} SIGKILLs`,
  [
    'storage',
    'seed',
    'ops',
    'ops/s',
    'granted',
    'replayed',
    'confirmed',
    'cancelled',
    'refused',
    'no answer',
    'host edits',
    'kills',
    'samples',
    'traffic s',
    'total s',
    'violations',
  ],
  rows,
);
console.log(
  '\nops: shopper and host operations (kills not counted); granted: new reservations (201); replayed: retries with the same key answered 201;' +
    '\nno answer: cut by a SIGKILL or timed out; samples: invariant checks during the run (sales report, and the SQL check on PostgreSQL);' +
    '\ntraffic s includes the restarts; total s includes start-up, settling (every hold lapses and is swept) and the checks.',
);
const failed = results.filter((r) => r.violations.length);
for (const r of failed)
  console.log(
    `\n${r.storage}\n${explain(r.run, r.violations, { rerun: `node --import tsx bench/history.ts --runs 1 --seed ${r.run.seed}` })}`,
  );
process.exit(failed.length ? 1 : 0);
