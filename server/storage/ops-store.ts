/** SQL for operating the server: readiness and the gauges read at scrape time. */
import { num, type Queryable } from './database.js';

/** The newest applied migration (0 when none): one cheap round trip that also proves the database answers. */
export async function schemaVersion(q: Queryable): Promise<number> {
  const [row] = await q.query('SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations');
  return num(row?.version);
}

/** Unexpired holds and their units, over the partial index on held reservations. */
export async function activeHolds(q: Queryable, now: number): Promise<{ holds: number; units: number }> {
  const [row] = await q.query(
    "SELECT COUNT(*) AS holds, COALESCE(SUM(quantity), 0) AS units FROM reservations WHERE status = 'held' AND expires_at > $1",
    [now],
  );
  return { holds: num(row?.holds), units: num(row?.units) };
}
