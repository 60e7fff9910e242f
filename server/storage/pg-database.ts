/** PostgreSQL through node-postgres: a pool for statements, one dedicated connection for LISTEN. */
import pg from 'pg';
import type { Database, Queryable } from './database.js';

export async function openPgDatabase(connectionString: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle client losing its connection must not crash the process.
  pool.on('error', (error) => console.error(`postgres pool: ${error.message}`));
  await pool.query('SELECT 1');
  const listener = new pg.Client({ connectionString });
  let closing = false;
  listener.on('error', (error) => {
    if (!closing) console.error(`postgres listener: ${error.message}`);
  });
  await listener.connect();
  const handlers = new Map<string, Array<(payload: string) => void>>();
  listener.on('notification', (n) => {
    for (const handler of handlers.get(n.channel) ?? []) handler(n.payload ?? '');
  });

  const queryable = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<Row>(sql: string, params: unknown[] = []) {
      return (await q.query(sql, params)).rows as Row[];
    },
  });
  return {
    kind: 'postgres',
    ...queryable(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async listen(channel, onPayload) {
      if (!handlers.has(channel)) {
        handlers.set(channel, []);
        await listener.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      handlers.get(channel)!.push(onPayload);
    },
    async close() {
      closing = true;
      await listener.end().catch(() => {});
      await pool.end();
    },
  };
}
