/**
 * The database's own ceiling for the rush: the conditional UPDATE that takes
 * one unit (`available = available - 1 WHERE … AND available >= 1`) in a
 * loop on one connection, each in its own transaction as a reservation is,
 * straight against the same kind of storage the server used (a PGlite data
 * directory, or the same PostgreSQL database).
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { performance } from 'node:perf_hooks';

export type Storage = { kind: 'pglite'; label: string; dir: string } | { kind: 'postgres'; label: string; url: string };

interface Sql {
  query(text: string, params?: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

async function open(storage: Storage): Promise<Sql> {
  if (storage.kind === 'pglite') {
    const db = await PGlite.create(`${storage.dir}/ceiling`);
    return { query: (t, p) => db.query(t, p), close: () => db.close() };
  }
  const client = new pg.Client({ connectionString: storage.url });
  await client.connect();
  return { query: (t, p) => client.query(t, p as unknown[]), close: () => client.end() };
}

/** Conditional UPDATEs per second over `n` iterations (half succeed, half find no stock left). */
export async function conditionalUpdateCeiling(storage: Storage, n: number): Promise<number> {
  const db = await open(storage);
  const table = `bench_ceiling_${process.pid}`;
  try {
    await db.query(`CREATE TABLE ${table} (drop_id text, product_id text, variant_id text, available integer NOT NULL CHECK (available >= 0), PRIMARY KEY (drop_id, product_id, variant_id))`);
    await db.query(`INSERT INTO ${table} VALUES ('d', 'p', 'v', $1)`, [Math.floor(n / 2)]);
    const update = `UPDATE ${table} SET available = available - $4 WHERE drop_id = $1 AND product_id = $2 AND variant_id = $3 AND available >= $4 RETURNING available`;
    const started = performance.now();
    for (let i = 0; i < n; i++) await db.query(update, ['d', 'p', 'v', 1]);
    return n / ((performance.now() - started) / 1000);
  } finally {
    await db.query(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
    await db.close();
  }
}
