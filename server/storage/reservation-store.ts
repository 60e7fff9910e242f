/** SQL for shoppers, reservations and orders. */
import type { Order, Reservation, ReservationStatus } from '../../src/protocol/types.js';
import { num, numOrNull, type Queryable } from './database.js';

export interface ReservationRow extends Reservation {
  /** SHA-256 (hex) of the owner's shopper token. */
  shopperToken: string;
  /** The client address it was made from, kept while it is held (the per-address cap). */
  clientIp?: string | null;
  orderId: string | null;
  confirmedAt: number | null;
}

const COLUMNS = 'id, drop_id, product_id, variant_id, shopper_token, quantity, status, created_at, expires_at, order_id, confirmed_at';

/** A hold past its expiry reads as expired even before the sweeper has released it. */
function toRow(r: Record<string, unknown>, now: number): ReservationRow {
  const expiresAt = num(r.expires_at);
  const stored = r.status as ReservationStatus;
  return {
    id: r.id as string,
    dropId: r.drop_id as string,
    productId: r.product_id as string,
    variantId: r.variant_id as string,
    quantity: num(r.quantity),
    status: stored === 'held' && expiresAt <= now ? 'expired' : stored,
    createdAt: num(r.created_at),
    expiresAt,
    shopperToken: r.shopper_token as string,
    orderId: (r.order_id as string | null) ?? null,
    confirmedAt: numOrNull(r.confirmed_at),
  };
}

export function publicReservation(r: ReservationRow): Reservation {
  return {
    id: r.id,
    dropId: r.dropId,
    productId: r.productId,
    variantId: r.variantId,
    quantity: r.quantity,
    status: r.status,
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
  };
}

export function orderOf(r: ReservationRow): Order {
  return { id: r.orderId!, reservation: publicReservation(r), confirmedAt: r.confirmedAt! };
}

export async function insertShopper(q: Queryable, token: string, now: number): Promise<void> {
  await q.query('INSERT INTO shoppers (token, created_at) VALUES ($1, $2)', [token, now]);
}

/** When the shopper with this token (digest) was made, or null for none. */
export async function shopperCreatedAt(q: Queryable, token: string): Promise<number | null> {
  const [row] = await q.query<{ created_at: unknown }>('SELECT created_at FROM shoppers WHERE token = $1', [token]);
  return row ? num(row.created_at) : null;
}

/** Serialises one shopper's reservations so the per-customer limit cannot be raced; false for an unknown or expired token. */
export async function lockShopper(q: Queryable, token: string, notBefore: number): Promise<boolean> {
  return (await q.query('SELECT token FROM shoppers WHERE token = $1 AND created_at >= $2 FOR UPDATE', [token, notBefore])).length > 0;
}

/** Deletes shoppers whose tokens expired (their reservations and orders stay); returns how many. */
export async function deleteExpiredShoppers(q: Queryable, notBefore: number): Promise<number> {
  return (await q.query('DELETE FROM shoppers WHERE created_at < $1 RETURNING 1', [notBefore])).length;
}

/** Current holds made from one client address, and when the first of them ends. */
export async function holdsOfClient(q: Queryable, clientIp: string, now: number): Promise<{ count: number; firstEnds: number | null }> {
  const [row] = await q.query(
    `SELECT COUNT(*) AS n, MIN(expires_at) AS first_ends FROM reservations
     WHERE client_ip = $1 AND status = 'held' AND expires_at > $2`,
    [clientIp, now],
  );
  return { count: num(row?.n), firstEnds: numOrNull(row?.first_ends) };
}

/** Client addresses are kept only while a hold lasts. */
export async function forgetEndedHoldAddresses(q: Queryable): Promise<void> {
  await q.query(`UPDATE reservations SET client_ip = NULL WHERE client_ip IS NOT NULL AND status <> 'held'`);
}

/** Units of a product the shopper holds (unexpired) or has bought. */
export async function unitsOfShopper(q: Queryable, token: string, dropId: string, productId: string, now: number): Promise<number> {
  const [row] = await q.query(
    `SELECT COALESCE(SUM(quantity), 0) AS units FROM reservations
     WHERE shopper_token = $1 AND drop_id = $2 AND product_id = $3
       AND (status = 'confirmed' OR (status = 'held' AND expires_at > $4))`,
    [token, dropId, productId, now],
  );
  return num(row?.units);
}

export async function insertReservation(q: Queryable, r: ReservationRow): Promise<void> {
  await q.query(
    `INSERT INTO reservations (id, drop_id, product_id, variant_id, shopper_token, quantity, status, created_at, expires_at, client_ip)
     VALUES ($1, $2, $3, $4, $5, $6, 'held', $7, $8, $9)`,
    [r.id, r.dropId, r.productId, r.variantId, r.shopperToken, r.quantity, r.createdAt, r.expiresAt, r.clientIp ?? null],
  );
}

export async function findReservation(q: Queryable, id: string, now: number, { lock = false } = {}): Promise<ReservationRow | null> {
  const [row] = await q.query(`SELECT ${COLUMNS} FROM reservations WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return row ? toRow(row, now) : null;
}

/** held → released/confirmed only while the hold is current; null when it was not. */
export async function releaseHeld(q: Queryable, id: string, now: number): Promise<ReservationRow | null> {
  const [row] = await q.query(
    `UPDATE reservations SET status = 'released' WHERE id = $1 AND status = 'held' AND expires_at > $2 RETURNING ${COLUMNS}`,
    [id, now],
  );
  return row ? toRow(row, now) : null;
}

export async function confirmHeld(q: Queryable, id: string, orderId: string, now: number): Promise<ReservationRow | null> {
  const [row] = await q.query(
    `UPDATE reservations SET status = 'confirmed', order_id = $2, confirmed_at = $3
     WHERE id = $1 AND status = 'held' AND expires_at > $3 RETURNING ${COLUMNS}`,
    [id, orderId, now],
  );
  return row ? toRow(row, now) : null;
}

/**
 * Expires every lapsed hold and gives its units back, in one statement so a
 * hold is released exactly once even when several nodes sweep at the same time.
 */
export async function expireLapsedHolds(q: Queryable, now: number) {
  const rows = await q.query<{ drop_id: string; product_id: string; id: string; available: unknown }>(
    `WITH lapsed AS (
       UPDATE reservations SET status = 'expired' WHERE status = 'held' AND expires_at <= $1
       RETURNING drop_id, product_id, variant_id, quantity
     ), units AS (
       SELECT drop_id, product_id, variant_id, SUM(quantity) AS quantity FROM lapsed GROUP BY drop_id, product_id, variant_id
     )
     UPDATE variants v SET available = v.available + u.quantity FROM units u
     WHERE v.drop_id = u.drop_id AND v.product_id = u.product_id AND v.id = u.variant_id
     RETURNING v.drop_id, v.product_id, v.id, v.available`,
    [now],
  );
  return rows.map((r) => ({ dropId: r.drop_id, productId: r.product_id, variantId: r.id, available: num(r.available) }));
}

export async function listReservations(q: Queryable, dropId: string, now: number, limit = 200): Promise<ReservationRow[]> {
  const rows = await q.query(`SELECT ${COLUMNS} FROM reservations WHERE drop_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`, [
    dropId,
    limit,
  ]);
  return rows.map((r) => toRow(r, now));
}

/** Reservations per status (a lapsed hold counts as expired, as its owner reads it). */
export async function reservationStatusCounts(q: Queryable, dropId: string, now: number) {
  const statuses = await q.query<{ status: ReservationStatus; n: unknown }>(
    `SELECT CASE WHEN status = 'held' AND expires_at <= $2 THEN 'expired' ELSE status END AS status, COUNT(*) AS n
     FROM reservations WHERE drop_id = $1 GROUP BY 1`,
    [dropId, now],
  );
  return Object.fromEntries(statuses.map((s) => [s.status, num(s.n)])) as Partial<Record<ReservationStatus, number>>;
}
