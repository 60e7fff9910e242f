/**
 * PostgreSQL through node-postgres: a pool for statements, one dedicated
 * connection for LISTEN. That connection is re-established when it drops
 * (a database restart, a proxy timeout), and listeners are told, so they
 * can catch up on what was announced meanwhile.
 */
import pg from 'pg';
import type { Database, Queryable } from './database.js';

const RECONNECT_MS = 500;

export async function openPgDatabase(connectionString: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  // An idle client losing its connection must not crash the process.
  pool.on('error', (error) => console.error(`postgres pool: ${error.message}`));
  await pool.query('SELECT 1');

  const handlers = new Map<string, Array<(payload: string) => void>>();
  const reconnectHandlers: Array<() => void> = [];
  let listener: pg.Client | null = null;
  let closing = false;
  let reconnecting = false;

  async function connectListener(): Promise<void> {
    const client = new pg.Client({ connectionString });
    const lost = (error?: Error) => {
      if (closing || listener !== client) return;
      listener = null;
      console.error(`postgres listener lost${error ? `: ${error.message}` : ''}; reconnecting`);
      reconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (n) => {
      for (const handler of handlers.get(n.channel) ?? []) handler(n.payload ?? '');
    });
    await client.connect();
    for (const channel of handlers.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    listener = client;
  }

  function reconnect() {
    if (reconnecting || closing) return;
    reconnecting = true;
    setTimeout(async () => {
      try {
        await connectListener();
        reconnecting = false;
        reconnectHandlers.forEach((handler) => handler());
      } catch (error) {
        console.error(`postgres listener: ${(error as Error).message}`);
        reconnecting = false;
        reconnect();
      }
    }, RECONNECT_MS);
  }

  await connectListener();

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
    async listen(channel, onPayload, onReconnect) {
      if (!handlers.has(channel)) {
        handlers.set(channel, []);
        await listener?.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      handlers.get(channel)!.push(onPayload);
      if (onReconnect) reconnectHandlers.push(onReconnect);
    },
    async close() {
      closing = true;
      await listener?.end().catch(() => {});
      await pool.end();
    },
  };
}
