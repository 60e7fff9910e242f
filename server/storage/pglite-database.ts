/** The embedded database: PGlite persisted under a data directory, one process at a time. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable } from './database.js';

export async function openPgliteDatabase(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const releaseLock = lockDataDir(dataDir);
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir);
  } catch (error) {
    releaseLock();
    throw error;
  }
  const queryable = (q: Pick<PGlite, 'query'>): Queryable => ({
    async query<Row>(sql: string, params: unknown[] = []) {
      return (await q.query<Row>(sql, params)).rows;
    },
  });
  return {
    kind: 'pglite',
    ...queryable(db),
    // PGlite is one connection: its transactions run one at a time, which is
    // exactly the isolation the stock rules need, and plain queries wait for them.
    transaction: (fn) => db.transaction((tx) => fn(queryable(tx))),
    async exec(sql) {
      await db.exec(sql);
    },
    async listen(channel, onPayload) {
      await db.listen(channel, onPayload);
    },
    async close() {
      await db.close();
      releaseLock();
    },
  };
}

/**
 * Two processes writing one PGlite directory would corrupt it, so the first
 * leaves its pid in a lock file; a lock whose process is gone (a crash) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'live-drop.lock');
  let holder: number | null = null;
  try {
    holder = Number(readFileSync(file, 'utf8').trim()) || null;
  } catch {
    /* no lock */
  }
  if (holder !== null && holder !== process.pid && isAlive(holder))
    throw new Error(
      `the PGlite data directory ${dataDir} is in use by process ${holder}; use another --data-dir, or PostgreSQL for several processes`,
    );
  writeFileSync(file, String(process.pid));
  return () => rmSync(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
