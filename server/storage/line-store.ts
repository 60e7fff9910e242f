/** SQL of waiting lines: settings and state (`drop_lines`) and places (`line_places`). */
import type { DropQueue, LineState, QueueSettings } from '../../src/protocol/types.js';
import { num, numOrNull, type Queryable } from './database.js';

export interface LineRow extends QueueSettings {
  dropId: string;
  seed: string;
  commitment: string;
  drawnAt: number | null;
  onTime: number;
  lastPosition: number;
  admittedThrough: number;
  admitClock: number | null;
  rate: number;
  paused: boolean;
  publishedAt: number;
  publishedState: string;
}

const LINE_COLUMNS = `drop_id, join_window_ms, grace_ms, admit_per_second, pass_ms, seed, commitment, drawn_at, on_time,
  last_position, admitted_through, admit_clock, rate, paused, published_at, published_state`;

function toLineRow(r: Record<string, unknown>): LineRow {
  return {
    dropId: r.drop_id as string,
    joinWindowMs: num(r.join_window_ms),
    graceMs: num(r.grace_ms),
    admitPerSecond: numOrNull(r.admit_per_second),
    passMs: num(r.pass_ms),
    seed: r.seed as string,
    commitment: r.commitment as string,
    drawnAt: numOrNull(r.drawn_at),
    onTime: num(r.on_time),
    lastPosition: num(r.last_position),
    admittedThrough: num(r.admitted_through),
    admitClock: numOrNull(r.admit_clock),
    rate: num(r.rate),
    paused: r.paused === true,
    publishedAt: num(r.published_at),
    publishedState: r.published_state as string,
  };
}

/** `lock`: FOR SHARE (a join before the draw: the draw waits for it) or FOR UPDATE (admission, the draw). */
export async function findLine(q: Queryable, dropId: string, lock: 'share' | 'update' | null = null): Promise<LineRow | null> {
  const suffix = lock === 'share' ? ' FOR SHARE' : lock === 'update' ? ' FOR UPDATE' : '';
  const [row] = await q.query(`SELECT ${LINE_COLUMNS} FROM drop_lines WHERE drop_id = $1${suffix}`, [dropId]);
  return row ? toLineRow(row) : null;
}

export async function countPlaces(q: Queryable, dropId: string): Promise<number> {
  const [row] = await q.query('SELECT COUNT(*) AS n FROM line_places WHERE drop_id = $1', [dropId]);
  return num(row?.n);
}

/** The line's public state. Before the draw `total` counts places; after it, positions handed out. */
export function lineState(line: LineRow, total: number): LineState {
  return {
    admittedThrough: line.admittedThrough,
    total,
    // At a fixed rate, that rate (from the first moment, so an estimate is there before the first admission).
    rate: line.admitPerSecond ?? Math.round(line.rate * 100) / 100,
    paused: line.paused,
    drawnAt: line.drawnAt,
    seed: line.drawnAt === null ? null : line.seed,
  };
}

export async function readQueue(q: Queryable, dropId: string): Promise<DropQueue | null> {
  const line = await findLine(q, dropId);
  if (!line) return null;
  const total = line.drawnAt === null ? await countPlaces(q, dropId) : line.lastPosition;
  return {
    joinWindowMs: line.joinWindowMs,
    graceMs: line.graceMs,
    admitPerSecond: line.admitPerSecond,
    passMs: line.passMs,
    commitment: line.commitment,
    ...lineState(line, total),
  };
}

/** Creates the line with its committed seed, or updates its settings (the seed never changes). */
export async function upsertLine(q: Queryable, dropId: string, s: QueueSettings, seed: string, commitment: string): Promise<void> {
  await q.query(
    `INSERT INTO drop_lines (drop_id, join_window_ms, grace_ms, admit_per_second, pass_ms, seed, commitment)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (drop_id) DO UPDATE SET join_window_ms = EXCLUDED.join_window_ms, grace_ms = EXCLUDED.grace_ms,
       admit_per_second = EXCLUDED.admit_per_second, pass_ms = EXCLUDED.pass_ms`,
    [dropId, s.joinWindowMs, s.graceMs, s.admitPerSecond, s.passMs, seed, commitment],
  );
}

export async function deleteLine(q: Queryable, dropId: string): Promise<void> {
  await q.query('DELETE FROM drop_lines WHERE drop_id = $1', [dropId]);
}

export interface PlaceRow {
  placeId: string;
  reserved: boolean;
  joinedAt: number;
  position: number | null;
  admittedAt: number | null;
  leftAt: number | null;
}

const toPlace = (r: Record<string, unknown>): PlaceRow => ({
  placeId: r.place_id as string,
  joinedAt: num(r.joined_at),
  position: numOrNull(r.position),
  admittedAt: numOrNull(r.admitted_at),
  leftAt: numOrNull(r.left_at),
  reserved: r.reserved === true,
});

export async function findPlace(q: Queryable, dropId: string, shopper: string): Promise<PlaceRow | null> {
  const [row] = await q.query(
    `SELECT place_id, joined_at, position, admitted_at, left_at,
       EXISTS (SELECT 1 FROM reservations r WHERE r.drop_id = p.drop_id AND r.shopper_token = p.shopper AND r.created_at >= p.admitted_at) AS reserved
     FROM line_places p WHERE drop_id = $1 AND shopper = $2`,
    [dropId, shopper],
  );
  return row ? toPlace(row) : null;
}

/** Inserts a place; returns false when the shopper (or the place id) is in the line already. */
export async function insertPlace(
  q: Queryable,
  dropId: string,
  p: { placeId: string; shopper: string; joinedAt: number; position: number | null },
): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO line_places (drop_id, place_id, shopper, joined_at, position) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING RETURNING place_id`,
    [dropId, p.placeId, p.shopper, p.joinedAt, p.position],
  );
  return rows.length > 0;
}

/** Inserts places before the draw (no position yet), in the given order; returns the place ids that were new. */
export async function insertPlaces(
  q: Queryable,
  dropId: string,
  places: { placeId: string; shopper: string; joinedAt: number }[],
): Promise<Set<string>> {
  const rows = await q.query<{ place_id: string }>(
    `INSERT INTO line_places (drop_id, place_id, shopper, joined_at)
     SELECT $1, t.place_id, t.shopper, t.joined_at FROM unnest($2::text[], $3::text[], $4::bigint[]) WITH ORDINALITY AS t(place_id, shopper, joined_at, n)
     ORDER BY t.n
     ON CONFLICT DO NOTHING RETURNING place_id`,
    [dropId, places.map((p) => p.placeId), places.map((p) => p.shopper), places.map((p) => p.joinedAt)],
  );
  return new Set(rows.map((r) => r.place_id));
}

/** The next position after the draw (locks the line row until the transaction ends: late joins queue). */
export async function takeNextPosition(q: Queryable, dropId: string): Promise<number> {
  const [row] = await q.query('UPDATE drop_lines SET last_position = last_position + 1 WHERE drop_id = $1 RETURNING last_position', [
    dropId,
  ]);
  return num(row.last_position);
}

export async function leavePlace(q: Queryable, dropId: string, shopper: string, now: number): Promise<boolean> {
  const rows = await q.query(
    'UPDATE line_places SET left_at = COALESCE(left_at, $3) WHERE drop_id = $1 AND shopper = $2 RETURNING place_id',
    [dropId, shopper, now],
  );
  return rows.length > 0;
}

/** Places without a position (everyone before the draw), in arrival order. */
export async function unplacedPlaces(q: Queryable, dropId: string): Promise<{ placeId: string; joinedAt: number }[]> {
  const rows = await q.query('SELECT place_id, joined_at FROM line_places WHERE drop_id = $1 AND position IS NULL ORDER BY seq', [dropId]);
  return rows.map((r) => ({ placeId: r.place_id as string, joinedAt: num(r.joined_at) }));
}

/** Marks the draw: only one caller gets the row back (the others see it drawn already). */
export async function markDrawn(q: Queryable, dropId: string, now: number): Promise<boolean> {
  const rows = await q.query(
    'UPDATE drop_lines SET drawn_at = $2, admit_clock = $3 WHERE drop_id = $1 AND drawn_at IS NULL RETURNING drop_id',
    [dropId, now, now],
  );
  return rows.length > 0;
}

export async function setPositions(q: Queryable, dropId: string, placeIds: string[], onTime: number): Promise<void> {
  await q.query(
    `UPDATE line_places p SET position = t.position FROM unnest($2::text[], $3::integer[]) AS t(place_id, position)
     WHERE p.drop_id = $1 AND p.place_id = t.place_id`,
    [dropId, placeIds, placeIds.map((_, i) => i + 1)],
  );
  await q.query('UPDATE drop_lines SET on_time = $2, last_position = $3 WHERE drop_id = $1', [dropId, onTime, placeIds.length]);
}

/** Admits positions `from + 1` … `through` at `now`, and writes the line's admission state. */
export async function admit(
  q: Queryable,
  line: Pick<LineRow, 'dropId' | 'admittedThrough' | 'admitClock' | 'rate'>,
  through: number,
  now: number,
): Promise<void> {
  await q.query('UPDATE line_places SET admitted_at = $4 WHERE drop_id = $1 AND position > $2 AND position <= $3', [
    line.dropId,
    line.admittedThrough,
    through,
    now,
  ]);
  await q.query('UPDATE drop_lines SET admitted_through = $2, admit_clock = $3, rate = $4 WHERE drop_id = $1', [
    line.dropId,
    through,
    line.admitClock,
    line.rate,
  ]);
}

export async function setPaused(q: Queryable, dropId: string, paused: boolean, now: number): Promise<boolean> {
  const rows = await q.query('UPDATE drop_lines SET paused = $2, admit_clock = $3 WHERE drop_id = $1 RETURNING drop_id', [
    dropId,
    paused,
    now,
  ]);
  return rows.length > 0;
}

export async function markPublished(q: Queryable, dropId: string, state: string, now: number): Promise<void> {
  await q.query('UPDATE drop_lines SET published_state = $2, published_at = $3 WHERE drop_id = $1', [dropId, state, now]);
}

/** Units on sale now, and passes still open (admitted, valid, not left, and not yet used for a reservation). */
export async function stockAndOpenPasses(
  q: Queryable,
  dropId: string,
  passMs: number,
  now: number,
): Promise<{ available: number; open: number }> {
  const [row] = await q.query(
    `SELECT (SELECT COALESCE(SUM(available), 0) FROM variants WHERE drop_id = $1) AS available,
       (SELECT COUNT(*) FROM line_places p WHERE p.drop_id = $1 AND p.admitted_at > $2 AND p.left_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.drop_id = $1 AND r.shopper_token = p.shopper
                            AND r.created_at >= p.admitted_at AND r.status IN ('held', 'confirmed'))) AS open`,
    [dropId, now - passMs],
  );
  return { available: num(row.available), open: num(row.open) };
}

/** Lines that need the admission tick: drops with a line that have not ended. */
export async function activeLines(q: Queryable): Promise<string[]> {
  const rows = await q.query<{ drop_id: string }>(
    `SELECT l.drop_id FROM drop_lines l JOIN drops d ON d.id = l.drop_id WHERE d.status <> 'ended'`,
  );
  return rows.map((r) => r.drop_id);
}

/**
 * The pass check of the reservation path: null when the drop has no line;
 * otherwise, for each of `shoppers` with a place, whether it may reserve now.
 */
export async function passesOf(q: Queryable, dropId: string, shoppers: string[], now: number): Promise<Map<string, boolean> | null> {
  const rows = await q.query<{ shopper: string | null; pass_ms: unknown; admitted_at: unknown; left_at: unknown }>(
    `SELECT p.shopper, l.pass_ms, p.admitted_at, p.left_at FROM drop_lines l
     LEFT JOIN line_places p ON p.drop_id = l.drop_id AND p.shopper = ANY($2::text[])
     WHERE l.drop_id = $1`,
    [dropId, shoppers],
  );
  if (!rows.length) return null;
  const passes = new Map<string, boolean>();
  for (const r of rows) {
    if (r.shopper === null) continue;
    const admittedAt = numOrNull(r.admitted_at);
    passes.set(r.shopper, admittedAt !== null && r.left_at === null && admittedAt + num(r.pass_ms) > now);
  }
  return passes;
}

/** The public record: every place by position (unplaced ones, before the draw, by arrival). */
export async function listPlaces(q: Queryable, dropId: string): Promise<{ placeId: string; position: number | null; joinedAt: number }[]> {
  const rows = await q.query('SELECT place_id, position, joined_at FROM line_places WHERE drop_id = $1 ORDER BY position NULLS LAST, seq', [
    dropId,
  ]);
  return rows.map((r) => ({ placeId: r.place_id as string, position: numOrNull(r.position), joinedAt: num(r.joined_at) }));
}
