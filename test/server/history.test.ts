/**
 * The history checker (issue 15 §2): seeded clients reserve, retry with the
 * same key, cancel and confirm at once while the host re-sends products,
 * sets stock and changes the hold time, holds of 1–1.5 s lapse mid-run, and a
 * node is SIGKILLed and restarted. Then, read straight from the database:
 * available + held + sold = stock per variant (also sampled during the run),
 * every granted reservation exists once, no unit is in two orders, no shopper
 * is over the limit. A failure prints the seed and the shortest history that
 * shows it; `bench/history.ts` runs longer and more seeds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explain } from '../support/history/check.js';
import { historyRun, tally, type HistoryRunOptions } from '../support/history/run.js';
import { freshDatabase, skipWithoutPostgres } from './support/postgres.js';

// A new seed each run widens the search; a failure prints it, and HISTORY_SEED=<n> replays it.
const seed = Number(process.env.HISTORY_SEED) || 1 + Math.floor(Math.random() * 1_000_000);
const rerun = `HISTORY_SEED=${seed} node --import tsx --test test/server/history.test.ts`;
const size: Omit<HistoryRunOptions, 'seed'> = { maxOps: 1500, durationMs: 9000, clients: 8, shoppers: 24, kills: 1 };

// About 20 s per storage on a quiet machine; the timeout leaves room for a busy one (start-ups and PGlite's restart slow down most).
describe('history checker', { timeout: 600_000 }, () => {
  it('finds no oversell, lost or doubled reservation, double order or limit breach on PGlite across a SIGKILL', async (t) => {
    const result = await historyRun({ ...size, seed, log: (m) => t.diagnostic(m) });
    t.diagnostic(`seed ${seed}: ${JSON.stringify(tally(result.run))} in ${Math.round(result.totalMs)} ms`);
    assert.deepEqual(result.violations, [], explain(result.run, result.violations, { rerun }));
    assert.ok(
      tally(result.run).kills === 1 && tally(result.run).reserved >= 5,
      'the run did what it is meant to: a kill, and holds to lapse',
    );
  });

  it('finds none on two PostgreSQL nodes while one is killed and restarted', { skip: skipWithoutPostgres }, async (t) => {
    const database = await freshDatabase('history');
    try {
      const result = await historyRun({ ...size, seed, databaseUrl: database.url, log: (m) => t.diagnostic(m) });
      t.diagnostic(`seed ${seed}: ${JSON.stringify(tally(result.run))} in ${Math.round(result.totalMs)} ms`);
      assert.deepEqual(result.violations, [], explain(result.run, result.violations, { rerun }));
      assert.ok(
        tally(result.run).kills === 1 && tally(result.run).reserved >= 5,
        'the run did what it is meant to: a kill, and holds to lapse',
      );
    } finally {
      await database.drop();
    }
  });
});
