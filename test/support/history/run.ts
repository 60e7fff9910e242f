/**
 * One history-checker run on PGlite (one node, killed and restarted) or on
 * PostgreSQL (two nodes on one database, one of them killed and restarted):
 * the workload, then the checks on the database read directly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openPgDatabase } from '../../../server/storage/pg-database.js';
import { openPgliteDatabase } from '../../../server/storage/pglite-database.js';
import { unbalancedVariants } from '../../../server/storage/stock-ledger.js';
import { copyPgliteTemplate } from '../pglite-template.js';
import { checkHistory, type Violation } from './check.js';
import { runWorkload, type WorkloadOptions, type WorkloadResult } from './workload.js';

export interface HistoryRunOptions extends Pick<
  WorkloadOptions,
  'seed' | 'maxOps' | 'durationMs' | 'clients' | 'shoppers' | 'kills' | 'log'
> {
  /** A database of its own for the run (PostgreSQL), or none for PGlite. */
  databaseUrl?: string;
}

export interface HistoryRunResult {
  storage: 'PGlite, 1 node' | 'PostgreSQL, 2 nodes';
  run: WorkloadResult;
  violations: Violation[];
  /** Wall time of the whole run (start-up, traffic, settling, checks), ms. */
  totalMs: number;
}

export async function historyRun(o: HistoryRunOptions): Promise<HistoryRunResult> {
  const started = performance.now();
  if (o.databaseUrl) {
    const db = await openPgDatabase(o.databaseUrl); // the schema appears when the first node starts
    try {
      const run = await runWorkload({
        ...o,
        storage: { databaseUrl: o.databaseUrl },
        nodes: 2,
        // The server's own one-query invariant check, read straight from the database while traffic runs.
        sampleSql: async (dropId) =>
          (await unbalancedVariants(db, dropId).catch(() => [])).map((r) => ({
            variant: `${r.productId}/${r.variantId}`,
            stock: r.stock,
            available: r.available,
            held: r.held,
            sold: r.sold,
          })),
      });
      await run.stop();
      const violations = await checkHistory(run, db);
      return { storage: 'PostgreSQL, 2 nodes', run, violations, totalMs: performance.now() - started };
    } finally {
      await db.close();
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'live-drop-history-'));
  try {
    await copyPgliteTemplate(dataDir);
    const run = await runWorkload({ ...o, storage: { dataDir }, nodes: 1 });
    await run.stop();
    // PGlite is one process at a time: the checks open the data directory once the node has stopped.
    const db = await openPgliteDatabase(dataDir);
    try {
      const violations = await checkHistory(run, db);
      return { storage: 'PGlite, 1 node', run, violations, totalMs: performance.now() - started };
    } finally {
      await db.close();
    }
  } finally {
    // A node that was still exiting may write a last file: retry rather than hide the run's own error.
    try {
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch (error) {
      console.error(`history: could not remove ${dataDir}: ${(error as Error).message}`);
    }
  }
}

/** Operations by kind and answer, for the figures. */
export function tally(run: WorkloadResult) {
  const shopperOps = run.history.filter((op) => op.client !== 'chaos');
  const by = (kind: string) => shopperOps.filter((op) => op.kind === kind);
  return {
    operations: shopperOps.length,
    reserved: by('reserve').filter((op) => op.status === 201).length,
    refused: shopperOps.filter((op) => op.status >= 400 && op.status < 500).length,
    unanswered: shopperOps.filter((op) => op.status === 0).length,
    replays: by('retry').filter((op) => op.status === 201).length,
    confirmed: by('confirm').filter((op) => op.status === 201).length,
    cancelled: by('cancel').filter((op) => op.status === 200).length,
    hostEdits: shopperOps.filter((op) => op.client === 'host').length,
    kills: run.history.filter((op) => op.kind === 'kill').length,
    samples: run.samples.length,
    /** Reservations granted (a first try or a retry; each id once) that were neither confirmed nor cancelled: their holds lapsed. */
    lapsed: (() => {
      const ended = new Set(
        shopperOps
          .filter((op) => (op.kind === 'confirm' && op.status === 201) || (op.kind === 'cancel' && op.status === 200))
          .map((op) => op.reservationId),
      );
      const granted = new Set(
        shopperOps.filter((op) => (op.kind === 'reserve' || op.kind === 'retry') && op.status === 201).map((op) => op.reservationId),
      );
      return [...granted].filter((id) => id !== undefined && !ended.has(id)).length;
    })(),
  };
}
