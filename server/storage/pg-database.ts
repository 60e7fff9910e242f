/**
 * PostgreSQL through node-postgres: a pool for statements, one dedicated
 * connection for LISTEN. That connection is re-established when it drops
 * (a database restart, a proxy timeout), and listeners are told, so they
 * can catch up on what was announced meanwhile.
 */
import pg from 'pg';
import { errorFields, log } from '../observability/logger.js';
import type { Database, Queryable } from './database.js';

const RECONNECT_MS = 500;
const POOL_MAX = 10;

export async function openPgDatabase(connectionString: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: POOL_MAX });
  // An idle client losing its connection must not crash the process.
  pool.on('error', (error) => log.error(errorFields(error), 'postgres pool: an idle connection failed'));
  await pool.query('SELECT 1');

  const handlers = new Map<string, Array<(payload: string) => void>>();
  const reconnectHandlers: Array<() => void> = [];
  let listener: pg.Client | null = null;
  let closing = false;
  let reconnecting = false;

  /** `listening` runs once the connection listens on every channel, before any of its notifications is handed on. */
  async function connectListener(listening = () => {}): Promise<void> {
    const client = new pg.Client({ connectionString });
    const lost = (error?: Error) => {
      if (closing || listener !== client) return;
      listener = null;
      log.warn(error ? errorFields(error) : {}, 'postgres listener lost; reconnecting');
      reconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    const dispatch = (n: pg.Notification) => {
      for (const handler of handlers.get(n.channel) ?? []) handler(n.payload ?? '');
    };
    // A notification can arrive right after the first LISTEN, before the others are sent or `listening` ran.
    let held: pg.Notification[] | null = [];
    client.on('notification', (n) => (held ? held.push(n) : dispatch(n)));
    try {
      await client.connect();
      for (const channel of handlers.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    listener = client;
    listening();
    const arrived = held;
    held = null;
    arrived.forEach(dispatch);
  }

  function reconnect() {
    if (reconnecting || closing) return;
    reconnecting = true;
    setTimeout(async () => {
      try {
        // The listeners are told before this connection's first notification, so their catch-up read comes first.
        await connectListener(() => {
          reconnecting = false;
          reconnectHandlers.forEach((handler) => handler());
        });
      } catch (error) {
        log.warn(errorFields(error), 'postgres listener: reconnecting failed; trying again');
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
      // Handlers first: a notification may follow the LISTEN at once.
      const known = handlers.has(channel);
      handlers.set(channel, [...(handlers.get(channel) ?? []), onPayload]);
      if (onReconnect) reconnectHandlers.push(onReconnect);
      if (!known) await listener?.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    },
    listening: () => listener !== null,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: POOL_MAX }),
    async close() {
      closing = true;
      await listener?.end().catch(() => {});
      await pool.end();
    },
  };
}
