/**
 * The one storage interface. Two implementations (PGlite in-process,
 * PostgreSQL through `pg`) run exactly the same SQL: every statement lives in
 * the `*-store.ts` files beside this one and in `migrations/*.sql`.
 */

/** Something that runs a parameterised statement: the database or an open transaction. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction (READ COMMITTED); rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Calls `onPayload` for every NOTIFY on `channel`, from any connection or
   * node; `onReconnect` after the listening connection was lost and restored
   * (notifications sent meanwhile are gone: read what you missed), before
   * any notification that arrived on the new connection.
   */
  listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<void>;
  close(): Promise<void>;
  /** Whether the LISTEN connection is up now (absent: in-process, always up). */
  listening?(): boolean;
  /** The connection pool's state (absent: one in-process connection). */
  poolStats?(): { total: number; idle: number; waiting: number; max: number };
}

/** Runs `fn` in a read-only transaction whose statements all see one snapshot of the database (REPEATABLE READ). */
export function readSnapshot<T>(db: Database, fn: (tx: Queryable) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    return fn(tx);
  });
}

/** Postgres returns int8 and sums as strings (`pg`) or numbers (PGlite): read them with this. */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
