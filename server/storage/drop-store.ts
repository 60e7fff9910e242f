/** SQL for drops, their products and variants, and the featured history. */
import type { Drop, DropStatus, Money, Product, ProductImage } from '../../src/protocol/types.js';
import { MAX_FEATURED_HISTORY } from '../../src/protocol/parse.js';
import { num, numOrNull, type Queryable } from './database.js';
import { readQueue } from './line-store.js';
import { committedUnits, lockProductVariants } from './stock-ledger.js';

/** A drop's own row: the protocol's top-level fields plus what only the server needs. */
export type DropRow = Pick<
  Drop,
  'id' | 'title' | 'brand' | 'description' | 'startsAt' | 'endsAt' | 'status' | 'stream' | 'checkoutUrl' | 'holdMs' | 'featured'
> & {
  liveStartedAt: number | null;
  endedAt: number | null;
  viewers: number;
};

const DROP_COLUMNS = `id, title, brand, description, starts_at, ends_at, status, live_started_at, ended_at,
  stream_hls, stream_replay, stream_poster, checkout_url, hold_ms, featured_product_id, featured_at, viewers`;

function toDropRow(r: Record<string, unknown>): DropRow {
  return {
    id: r.id as string,
    title: r.title as string,
    brand: r.brand as string,
    description: r.description as string,
    startsAt: num(r.starts_at),
    endsAt: numOrNull(r.ends_at),
    status: r.status as DropStatus,
    liveStartedAt: numOrNull(r.live_started_at),
    endedAt: numOrNull(r.ended_at),
    stream: { hls: r.stream_hls as string | null, replay: r.stream_replay as string | null, poster: r.stream_poster as string | null },
    checkoutUrl: r.checkout_url as string | null,
    holdMs: num(r.hold_ms),
    featured: r.featured_product_id ? { productId: r.featured_product_id as string, at: num(r.featured_at) } : null,
    viewers: num(r.viewers),
  };
}

export async function findDropRow(q: Queryable, id: string): Promise<DropRow | null> {
  const [row] = await q.query(`SELECT ${DROP_COLUMNS} FROM drops WHERE id = $1`, [id]);
  return row ? toDropRow(row) : null;
}

/** The whole drop as the protocol shows it. */
export async function readDrop(q: Queryable, id: string): Promise<Drop | null> {
  const row = await findDropRow(q, id);
  if (!row) return null;
  const products = await q.query(
    'SELECT id, title, description, images, prices, limit_per_customer FROM products WHERE drop_id = $1 ORDER BY position, id',
    [id],
  );
  const variants = await q.query<{ product_id: string; id: string; label: string; available: number }>(
    'SELECT product_id, id, label, available FROM variants WHERE drop_id = $1 ORDER BY position, id',
    [id],
  );
  // The newest entries only, should an older version have stored more than the protocol allows.
  const history = await q.query<{ product_id: string; at: unknown }>(
    'SELECT product_id, at FROM (SELECT seq, product_id, at FROM featured_history WHERE drop_id = $1 ORDER BY seq DESC LIMIT $2) newest ORDER BY seq',
    [id, MAX_FEATURED_HISTORY],
  );
  return {
    id: row.id,
    title: row.title,
    brand: row.brand,
    description: row.description,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    status: row.status,
    stream: row.stream,
    products: products.map((p): Product => ({
      id: p.id as string,
      title: p.title as string,
      description: p.description as string,
      images: p.images as ProductImage[],
      prices: p.prices as Money[],
      variants: variants.filter((v) => v.product_id === p.id).map((v) => ({ id: v.id, label: v.label, available: num(v.available) })),
      limitPerCustomer: num(p.limit_per_customer),
    })),
    featured: row.featured,
    featuredHistory: history.map((h) => ({ productId: h.product_id, at: num(h.at) })),
    checkoutUrl: row.checkoutUrl,
    holdMs: row.holdMs,
    queue: await readQueue(q, id),
  };
}

export async function dropExists(q: Queryable, id: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM drops WHERE id = $1', [id])).length > 0;
}

export type NewDrop = Omit<DropRow, 'endedAt' | 'featured' | 'viewers'> & { createdAt: number };

export async function insertDrop(q: Queryable, d: NewDrop): Promise<void> {
  await q.query(
    `INSERT INTO drops (id, title, brand, description, starts_at, ends_at, status, live_started_at,
       stream_hls, stream_replay, stream_poster, checkout_url, hold_ms, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
    [
      d.id,
      d.title,
      d.brand,
      d.description,
      d.startsAt,
      d.endsAt,
      d.status,
      d.liveStartedAt,
      d.stream.hls,
      d.stream.replay,
      d.stream.poster,
      d.checkoutUrl,
      d.holdMs,
      d.createdAt,
    ],
  );
}

export async function deleteDrop(q: Queryable, id: string): Promise<void> {
  await q.query('DELETE FROM drops WHERE id = $1', [id]);
}

/** Writes the editable fields of a drop (everything but products, status and featuring). */
export async function updateDropFields(q: Queryable, row: DropRow): Promise<void> {
  await q.query(
    `UPDATE drops SET title = $2, brand = $3, description = $4, starts_at = $5, ends_at = $6,
       stream_hls = $7, stream_replay = $8, stream_poster = $9, checkout_url = $10, hold_ms = $11
     WHERE id = $1`,
    [
      row.id,
      row.title,
      row.brand,
      row.description,
      row.startsAt,
      row.endsAt,
      row.stream.hls,
      row.stream.replay,
      row.stream.poster,
      row.checkoutUrl,
      row.holdMs,
    ],
  );
}

export interface ProductDefinition {
  id: string;
  title: string;
  description: string;
  images: ProductImage[];
  prices: Money[];
  limitPerCustomer: number;
  variants: { id: string; label: string; stock: number }[];
}

/** A variant whose requested stock is below the units already held or sold. */
export interface StockShortfall {
  variantId: string;
  stock: number;
  /** Held (lapsed holds included) plus sold units. */
  committed: number;
}

/**
 * Creates or replaces a product and its variants. A variant's `stock` is the
 * units on sale in all: what is held or sold already counts against it (by
 * status, see stock-ledger.ts), so `available = stock − held − sold` and
 * re-sending an unchanged product mid-show changes nothing. A stock below
 * what is held or sold is refused: nothing is written and the short
 * variants are returned (empty when the product was written). Run it in a
 * transaction.
 */
export async function upsertProduct(q: Queryable, dropId: string, p: ProductDefinition, position?: number): Promise<StockShortfall[]> {
  // Reservations under way finish first; the count below then sees them.
  await lockProductVariants(q, dropId, p.id);
  const committed = await committedUnits(q, dropId, p.id);
  const short = p.variants
    .map((v) => ({ variantId: v.id, stock: v.stock, committed: committed.get(v.id) ?? 0 }))
    .filter((v) => v.stock < v.committed);
  if (short.length) return short;
  await q.query(
    `INSERT INTO products (drop_id, id, position, title, description, images, prices, limit_per_customer)
     VALUES ($1, $2, COALESCE($3, (SELECT COALESCE(MAX(position) + 1, 0) FROM products WHERE drop_id = $1)), $4, $5, $6::jsonb, $7::jsonb, $8)
     ON CONFLICT (drop_id, id) DO UPDATE SET title = EXCLUDED.title, description = EXCLUDED.description,
       images = EXCLUDED.images, prices = EXCLUDED.prices, limit_per_customer = EXCLUDED.limit_per_customer`,
    [dropId, p.id, position ?? null, p.title, p.description, JSON.stringify(p.images), JSON.stringify(p.prices), p.limitPerCustomer],
  );
  await q.query('DELETE FROM variants WHERE drop_id = $1 AND product_id = $2 AND NOT (id = ANY($3::text[]))', [
    dropId,
    p.id,
    p.variants.map((v) => v.id),
  ]);
  for (const [i, v] of p.variants.entries()) {
    await q.query(
      `INSERT INTO variants (drop_id, product_id, id, position, label, stock, available)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (drop_id, product_id, id) DO UPDATE SET position = EXCLUDED.position, label = EXCLUDED.label,
         stock = EXCLUDED.stock, available = EXCLUDED.available`,
      [dropId, p.id, v.id, i, v.label, v.stock, v.stock - (committed.get(v.id) ?? 0)],
    );
  }
  return [];
}

export async function findProductLimit(q: Queryable, dropId: string, productId: string): Promise<number | null> {
  const [row] = await q.query('SELECT limit_per_customer FROM products WHERE drop_id = $1 AND id = $2', [dropId, productId]);
  return row ? num(row.limit_per_customer) : null;
}

export interface VariantRow {
  id: string;
  label: string;
  available: number;
}

export async function findVariant(q: Queryable, dropId: string, productId: string, variantId: string): Promise<VariantRow | null> {
  const [row] = await q.query<{ id: string; label: string; available: unknown }>(
    'SELECT id, label, available FROM variants WHERE drop_id = $1 AND product_id = $2 AND id = $3',
    [dropId, productId, variantId],
  );
  return row ? { id: row.id, label: row.label, available: num(row.available) } : null;
}

/**
 * Takes `quantity` units if at least that many are left: the one statement
 * that makes overselling impossible. Returns the new level, or null when refused.
 */
export async function takeStock(
  q: Queryable,
  dropId: string,
  productId: string,
  variantId: string,
  quantity: number,
): Promise<number | null> {
  const [row] = await q.query(
    `UPDATE variants SET available = available - $4
     WHERE drop_id = $1 AND product_id = $2 AND id = $3 AND available >= $4
     RETURNING available`,
    [dropId, productId, variantId, quantity],
  );
  return row ? num(row.available) : null;
}

export async function returnStock(q: Queryable, dropId: string, productId: string, variantId: string, quantity: number): Promise<void> {
  await q.query('UPDATE variants SET available = available + $4 WHERE drop_id = $1 AND product_id = $2 AND id = $3', [
    dropId,
    productId,
    variantId,
    quantity,
  ]);
}

/**
 * Sets what can be reserved now; held and sold units stay as they are, so the
 * stock becomes `available` plus those. Run it in a transaction.
 */
export async function setStock(
  q: Queryable,
  dropId: string,
  productId: string,
  variantId: string,
  available: number,
): Promise<VariantRow | null> {
  await lockProductVariants(q, dropId, productId);
  const committed = (await committedUnits(q, dropId, productId)).get(variantId) ?? 0;
  const [row] = await q.query<{ id: string; label: string; available: unknown }>(
    'UPDATE variants SET available = $4, stock = $4::integer + $5::integer WHERE drop_id = $1 AND product_id = $2 AND id = $3 RETURNING id, label, available',
    [dropId, productId, variantId, available, committed],
  );
  return row ? { id: row.id, label: row.label, available: num(row.available) } : null;
}

export type StatusChange = Pick<DropRow, 'status' | 'startsAt' | 'endsAt'>;

/** Scheduled → live when `startsAt` has come; returns the new state, or null if another node (or nothing) did it. */
export async function markLiveIfDue(q: Queryable, id: string, now: number): Promise<DropRow | null> {
  const [row] = await q.query(
    `UPDATE drops SET status = 'live', live_started_at = starts_at
     WHERE id = $1 AND status = 'scheduled' AND starts_at <= $2
     RETURNING ${DROP_COLUMNS}`,
    [id, now],
  );
  return row ? toDropRow(row) : null;
}

/** Host start: live now; `startsAt` moves to now if it was later. */
export async function markLiveNow(q: Queryable, id: string, now: number): Promise<DropRow | null> {
  const [row] = await q.query(
    `UPDATE drops SET status = 'live', starts_at = LEAST(starts_at, $2), live_started_at = LEAST(starts_at, $2)
     WHERE id = $1 AND status = 'scheduled'
     RETURNING ${DROP_COLUMNS}`,
    [id, now],
  );
  return row ? toDropRow(row) : null;
}

/** Ends the show at `endedAt` (its `endsAt` when scheduled, now when the host ends it). */
export async function markEnded(
  q: Queryable,
  id: string,
  endedAt: number,
  replay: (row: DropRow) => string | null,
): Promise<DropRow | null> {
  const current = await findDropRow(q, id);
  if (!current || current.status === 'ended') return null;
  const [row] = await q.query(
    `UPDATE drops SET status = 'ended', ended_at = $2, ends_at = $2, stream_replay = COALESCE(stream_replay, $3)
     WHERE id = $1 AND status <> 'ended'
     RETURNING ${DROP_COLUMNS}`,
    [id, endedAt, replay({ ...current, endedAt })],
  );
  return row ? toDropRow(row) : null;
}

/** Drops whose scheduled start or end has come, and the next such moment. */
export async function dueTransitions(q: Queryable, now: number): Promise<{ due: string[]; next: number | null }> {
  const due = await q.query<{ id: string }>(
    `SELECT id FROM drops WHERE (status = 'scheduled' AND starts_at <= $1) OR (status <> 'ended' AND ends_at IS NOT NULL AND ends_at <= $1)`,
    [now],
  );
  const [next] = await q.query<{ t: unknown }>(
    `SELECT MIN(CASE WHEN status = 'scheduled' THEN starts_at ELSE ends_at END) AS t FROM drops
     WHERE (status = 'scheduled' AND starts_at > $1) OR (status = 'live' AND ends_at > $1)`,
    [now],
  );
  return { due: due.map((r) => r.id), next: numOrNull(next?.t) };
}

/**
 * Features a product (null: none) and keeps the history compact: featuring
 * the product that is featured already adds no entry (on screen nothing
 * changes, live or in the replay), and only the newest `keep` entries stay.
 * Called under the drop's event lock, so features of one drop do not interleave.
 */
export async function setFeatured(q: Queryable, dropId: string, productId: string | null, at: number, keep: number): Promise<void> {
  const [before] = await q.query<{ featured_product_id: string | null }>('SELECT featured_product_id FROM drops WHERE id = $1', [dropId]);
  await q.query('UPDATE drops SET featured_product_id = $2, featured_at = $3 WHERE id = $1', [dropId, productId, productId ? at : null]);
  if (!productId || before?.featured_product_id === productId) return;
  await q.query('INSERT INTO featured_history (drop_id, product_id, at) VALUES ($1, $2, $3)', [dropId, productId, at]);
  await q.query(
    `DELETE FROM featured_history WHERE drop_id = $1 AND seq <= (SELECT seq FROM featured_history WHERE drop_id = $1 ORDER BY seq DESC OFFSET $2 LIMIT 1)`,
    [dropId, keep],
  );
}

export async function countProducts(q: Queryable, dropId: string): Promise<number> {
  const [row] = await q.query('SELECT COUNT(*) AS n FROM products WHERE drop_id = $1', [dropId]);
  return num(row?.n);
}

export async function productExists(q: Queryable, dropId: string, productId: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM products WHERE drop_id = $1 AND id = $2', [dropId, productId])).length > 0;
}

/** Whether [fromMs, toMs] lies within the live window of a show that has ended (what a replay may cover). */
export async function endedShowCovers(q: Queryable, fromMs: number, toMs: number): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM drops WHERE status = 'ended' AND COALESCE(live_started_at, starts_at) <= $1 AND ended_at >= $2 LIMIT 1`,
    [fromMs, toMs],
  );
  return rows.length > 0;
}
