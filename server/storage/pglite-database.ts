/** The embedded database: PGlite persisted under a data directory. */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import type { Database, Queryable } from './database.js';

export async function openPgliteDatabase(dataDir: string): Promise<Database> {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
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
    close: () => db.close(),
  };
}
