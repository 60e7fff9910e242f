/**
 * SQL of a batch of reservations (group commit): each statement covers every
 * member of the batch, so a batch of a hundred costs about as many statements
 * as a single reservation. Arrays travel as parameters and are unrolled with
 * `unnest`, the same on PGlite and PostgreSQL.
 */
import { num, type Queryable } from './database.js';
import type { StoredAnswer } from './idempotency-store.js';
import type { ReservationRow } from './reservation-store.js';

export interface KeyClaim {
  principal: string;
  key: string;
  fingerprint: string;
}

const pairKey = (principal: string, key: string) => `${principal}\n${key}`;

/**
 * Claims every key in one statement (in key order, so two nodes claiming the
 * same keys queue instead of deadlocking). Returns the earlier records of the
 * keys that were taken already, by `principal\nkey`; on PostgreSQL a claim
 * still open in another transaction is waited for, then read.
 */
export async function claimKeys(q: Queryable, claims: KeyClaim[], now: number): Promise<Map<string, StoredAnswer>> {
  if (!claims.length) return new Map();
  const claimed = await q.query<{ principal: string; key: string }>(
    `INSERT INTO idempotency_keys (principal, key, fingerprint, status, body, created_at)
     SELECT t.principal, t.key, t.fingerprint, 0, 'null', $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS t(principal, key, fingerprint)
     ORDER BY t.principal, t.key
     ON CONFLICT (principal, key) DO NOTHING RETURNING principal, key`,
    [claims.map((c) => c.principal), claims.map((c) => c.key), claims.map((c) => c.fingerprint), now],
  );
  const fresh = new Set(claimed.map((r) => pairKey(r.principal, r.key)));
  return findKeys(
    q,
    claims.filter((c) => !fresh.has(pairKey(c.principal, c.key))),
  );
}

/** The stored records of these keys (without claiming anything), by `principal\nkey`. */
export async function findKeys(q: Queryable, keys: Pick<KeyClaim, 'principal' | 'key'>[]): Promise<Map<string, StoredAnswer>> {
  if (!keys.length) return new Map();
  const rows = await q.query<{ principal: string; key: string; fingerprint: string; status: unknown; body: string }>(
    `SELECT k.principal, k.key, k.fingerprint, k.status, k.body FROM idempotency_keys k
     JOIN unnest($1::text[], $2::text[]) AS t(principal, key) ON k.principal = t.principal AND k.key = t.key`,
    [keys.map((c) => c.principal), keys.map((c) => c.key)],
  );
  return new Map(
    rows.map((r) => [pairKey(r.principal, r.key), { fingerprint: r.fingerprint, status: num(r.status), body: JSON.parse(r.body) }]),
  );
}

export const keyOf = pairKey;

/**
 * The batch's shoppers whose tokens are still valid (created at or after `notBefore`); with `lock`, their rows are
 * locked in token order, so the per-customer limit cannot be raced.
 */
export async function findShoppers(q: Queryable, tokens: string[], notBefore: number, { lock = false } = {}): Promise<Set<string>> {
  const rows = await q.query<{ token: string }>(
    `SELECT token FROM shoppers WHERE token = ANY($1::text[]) AND created_at >= $2 ORDER BY token${lock ? ' FOR UPDATE' : ''}`,
    [tokens, notBefore],
  );
  return new Set(rows.map((r) => r.token));
}

export interface BatchVariant {
  productId: string;
  variantId: string;
  label: string;
  available: number;
  limitPerCustomer: number;
}

/**
 * The products' limits and the variants' levels for the batch. With `lock`,
 * the variant rows are locked in (product id, variant id) order: one row
 * lock per variant per batch, taken in the same order on every node.
 */
export async function readBatchVariants(
  q: Queryable,
  dropId: string,
  keys: { productId: string; variantId: string }[],
  { lock = false } = {},
): Promise<{ limits: Map<string, number>; variants: Map<string, BatchVariant> }> {
  const products = [...new Set(keys.map((k) => k.productId))];
  const limitRows = await q.query<{ id: string; limit_per_customer: unknown }>(
    'SELECT id, limit_per_customer FROM products WHERE drop_id = $1 AND id = ANY($2::text[])',
    [dropId, products],
  );
  const limits = new Map(limitRows.map((r) => [r.id, num(r.limit_per_customer)]));
  const rows = await q.query<{ product_id: string; id: string; label: string; available: unknown }>(
    `SELECT v.product_id, v.id, v.label, v.available FROM variants v
     JOIN unnest($2::text[], $3::text[]) AS t(product_id, id) ON v.product_id = t.product_id AND v.id = t.id
     WHERE v.drop_id = $1 ORDER BY v.product_id, v.id${lock ? ' FOR UPDATE OF v' : ''}`,
    [dropId, keys.map((k) => k.productId), keys.map((k) => k.variantId)],
  );
  const variants = new Map(
    rows.map((r) => [
      variantKey(r.product_id, r.id),
      {
        productId: r.product_id,
        variantId: r.id,
        label: r.label,
        available: num(r.available),
        limitPerCustomer: limits.get(r.product_id) ?? 0,
      },
    ]),
  );
  return { limits, variants };
}

export const variantKey = (productId: string, variantId: string) => `${productId}/${variantId}`;

/** Units of each (shopper, product) held (unexpired) or bought, by `shopper\nproduct`, for the batch's shoppers. */
export async function unitsOfShoppers(
  q: Queryable,
  dropId: string,
  shoppers: string[],
  products: string[],
  now: number,
): Promise<Map<string, number>> {
  const rows = await q.query<{ shopper_token: string; product_id: string; units: unknown }>(
    `SELECT shopper_token, product_id, SUM(quantity) AS units FROM reservations
     WHERE shopper_token = ANY($2::text[]) AND drop_id = $1 AND product_id = ANY($3::text[])
       AND (status = 'confirmed' OR (status = 'held' AND expires_at > $4))
     GROUP BY shopper_token, product_id`,
    [dropId, shoppers, products, now],
  );
  return new Map(rows.map((r) => [`${r.shopper_token}\n${r.product_id}`, num(r.units)]));
}

/** Takes the granted units, every variant in one statement (their rows are already locked); returns the new levels. */
export async function takeGranted(q: Queryable, dropId: string, taken: { productId: string; variantId: string; quantity: number }[]) {
  if (!taken.length) return [];
  const rows = await q.query<{ product_id: string; id: string; available: unknown }>(
    `UPDATE variants v SET available = v.available - t.quantity
     FROM unnest($2::text[], $3::text[], $4::integer[]) AS t(product_id, id, quantity)
     WHERE v.drop_id = $1 AND v.product_id = t.product_id AND v.id = t.id
     RETURNING v.product_id, v.id, v.available`,
    [dropId, taken.map((t) => t.productId), taken.map((t) => t.variantId), taken.map((t) => t.quantity)],
  );
  return rows.map((r) => ({ productId: r.product_id, variantId: r.id, available: num(r.available) }));
}

export async function insertReservations(q: Queryable, rows: ReservationRow[]): Promise<void> {
  if (!rows.length) return;
  const col = <K extends keyof ReservationRow>(k: K) => rows.map((r) => r[k]);
  await q.query(
    `INSERT INTO reservations (id, drop_id, product_id, variant_id, shopper_token, quantity, status, created_at, expires_at, client_ip)
     SELECT t.id, t.drop_id, t.product_id, t.variant_id, t.shopper_token, t.quantity, 'held', t.created_at, t.expires_at, t.client_ip
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::integer[], $7::bigint[], $8::bigint[], $9::text[])
       AS t(id, drop_id, product_id, variant_id, shopper_token, quantity, created_at, expires_at, client_ip)`,
    [
      col('id'),
      col('dropId'),
      col('productId'),
      col('variantId'),
      col('shopperToken'),
      col('quantity'),
      col('createdAt'),
      col('expiresAt'),
      rows.map((r) => r.clientIp ?? null),
    ],
  );
}

/** Stores the answers of the granted members' keys in one statement. */
export async function saveAnswers(
  q: Queryable,
  answers: { principal: string; key: string; status: number; body: unknown }[],
): Promise<void> {
  if (!answers.length) return;
  await q.query(
    `UPDATE idempotency_keys k SET status = t.status, body = t.body
     FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[]) AS t(principal, key, status, body)
     WHERE k.principal = t.principal AND k.key = t.key`,
    [answers.map((a) => a.principal), answers.map((a) => a.key), answers.map((a) => a.status), answers.map((a) => JSON.stringify(a.body))],
  );
}

/** Gives back the claims of refused members: a refusal is judged again on retry, never replayed. */
export async function releaseKeys(q: Queryable, keys: Pick<KeyClaim, 'principal' | 'key'>[]): Promise<void> {
  if (!keys.length) return;
  await q.query(
    `DELETE FROM idempotency_keys k USING unnest($1::text[], $2::text[]) AS t(principal, key)
     WHERE k.principal = t.principal AND k.key = t.key`,
    [keys.map((c) => c.principal), keys.map((c) => c.key)],
  );
}
