/** SQL for the drop event log and the viewer presence table. */
import { num, type Queryable } from './database.js';

export interface StoredEvent {
  id: number;
  dropId: string;
  type: string;
  data: unknown;
}

/** Makes event ids of one drop commit in id order: held until the inserting transaction ends. */
export async function lockDropEvents(q: Queryable, dropId: string): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`live-drop-events:${dropId}`]);
}

export async function insertEvent(q: Queryable, dropId: string, type: string, data: unknown, now: number): Promise<number> {
  const [row] = await q.query('INSERT INTO drop_events (drop_id, type, data, created_at) VALUES ($1, $2, $3::jsonb, $4) RETURNING id', [
    dropId,
    type,
    JSON.stringify(data),
    now,
  ]);
  return num(row.id);
}

export async function notify(q: Queryable, channel: string, payload: string): Promise<void> {
  await q.query('SELECT pg_notify($1, $2)', [channel, payload]);
}

export async function findEvent(q: Queryable, id: number): Promise<StoredEvent | null> {
  const [row] = await q.query<EventRow>('SELECT id, drop_id, type, data FROM drop_events WHERE id = $1', [id]);
  return row ? toStored(row) : null;
}

type EventRow = { id: unknown; drop_id: string; type: string; data: unknown };
const toStored = (row: EventRow): StoredEvent => ({ id: num(row.id), dropId: row.drop_id, type: row.type, data: row.data });

/** Events after `id` of the drops not in `except`, in id order. */
export async function otherDropsEventsAfter(q: Queryable, id: number, except: string[], limit = 10_000): Promise<StoredEvent[]> {
  const rows = await q.query<EventRow>(
    'SELECT id, drop_id, type, data FROM drop_events WHERE id > $1 AND drop_id <> ALL($2::text[]) ORDER BY id LIMIT $3',
    [id, except, limit],
  );
  return rows.map(toStored);
}

export async function dropEventsAfter(q: Queryable, dropId: string, id: number, limit = 10_000): Promise<StoredEvent[]> {
  const rows = await q.query<EventRow>(
    'SELECT id, drop_id, type, data FROM drop_events WHERE drop_id = $1 AND id > $2 ORDER BY id LIMIT $3',
    [dropId, id, limit],
  );
  return rows.map(toStored);
}

export async function latestEventId(q: Queryable): Promise<number> {
  const [row] = await q.query('SELECT COALESCE(MAX(id), 0) AS id FROM drop_events');
  return num(row?.id);
}

/** Id of the drop's newest committed event (0 when none): with the per-drop lock, every later event of the drop has a larger id. */
export async function latestDropEventId(q: Queryable, dropId: string): Promise<number> {
  const [row] = await q.query('SELECT COALESCE(MAX(id), 0) AS id FROM drop_events WHERE drop_id = $1', [dropId]);
  return num(row?.id);
}

/** How long events are kept: housekeeping deletes older ones. */
export const EVENT_RETENTION_MS = 86_400_000;

/**
 * Whether every event the drop ever had is still stored: true while the drop
 * is younger than the retention, since none of its events is older than it.
 */
export async function allEventsKept(q: Queryable, dropId: string, now: number): Promise<boolean> {
  const [row] = await q.query<{ created_at: unknown }>('SELECT created_at FROM drops WHERE id = $1', [dropId]);
  return !!row && num(row.created_at) > now - EVENT_RETENTION_MS;
}

export async function deleteEventsBefore(q: Queryable, before: number): Promise<void> {
  await q.query('DELETE FROM drop_events WHERE created_at < $1', [before]);
}

export async function savePresence(q: Queryable, nodeId: string, dropId: string, count: number, now: number): Promise<void> {
  await q.query(
    `INSERT INTO viewer_presence (node_id, drop_id, count, seen_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (node_id, drop_id) DO UPDATE SET count = EXCLUDED.count, seen_at = EXCLUDED.seen_at`,
    [nodeId, dropId, count, now],
  );
}

export async function deletePresence(q: Queryable, nodeId: string): Promise<string[]> {
  const rows = await q.query<{ drop_id: string }>('DELETE FROM viewer_presence WHERE node_id = $1 RETURNING drop_id', [nodeId]);
  return rows.map((r) => r.drop_id);
}

/** Viewers on every node heard from since `freshSince`; updates the drop's published count, returning it only when it changed. */
export async function recountViewers(q: Queryable, dropId: string, freshSince: number): Promise<number | null> {
  const [row] = await q.query(
    `UPDATE drops SET viewers = c.total
     FROM (SELECT COALESCE(SUM(count), 0)::integer AS total FROM viewer_presence WHERE drop_id = $1 AND seen_at >= $2) c
     WHERE id = $1 AND viewers <> c.total RETURNING viewers`,
    [dropId, freshSince],
  );
  return row ? num(row.viewers) : null;
}
