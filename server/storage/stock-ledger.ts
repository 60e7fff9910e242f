/**
 * The one rule for stock, in SQL. Every unit of a variant is available,
 * held (in a reservation with status 'held', whether or not it has lapsed),
 * sold (status 'confirmed') or not on sale; `variants.stock` counts the first
 * three, so after every commit available + held + sold = stock.
 *
 * Holds are counted by status, never by `expires_at`: a lapsed hold stays
 * held until the one statement that expires it also returns its unit
 * (expireLapsedHolds). Counting it as gone any earlier returns it twice.
 */
import type { VariantSales } from '../../src/protocol/types.js';
import { num, type Queryable } from './database.js';

/**
 * Locks a product's variant rows, so no reservation takes, returns or expires
 * units of them until the transaction ends. Counting after this lock (in a
 * later statement, with a fresh snapshot) sees every change that touched them.
 */
export async function lockProductVariants(q: Queryable, dropId: string, productId: string): Promise<void> {
  await q.query('SELECT id FROM variants WHERE drop_id = $1 AND product_id = $2 ORDER BY id FOR UPDATE', [dropId, productId]);
}

/** Held plus sold units per variant id of a product, by status. Call it after lockProductVariants. */
export async function committedUnits(q: Queryable, dropId: string, productId: string): Promise<Map<string, number>> {
  const rows = await q.query<{ variant_id: string; units: unknown }>(
    `SELECT variant_id, SUM(quantity) AS units FROM reservations
     WHERE drop_id = $1 AND product_id = $2 AND status IN ('held', 'confirmed') GROUP BY variant_id`,
    [dropId, productId],
  );
  return new Map(rows.map((r) => [r.variant_id, num(r.units)]));
}

/** A variant's units as the sales report shows them (held: lapsed holds included), with its drop. */
export interface LedgerRow extends VariantSales {
  dropId: string;
}

const LEDGER = `
  SELECT v.drop_id, v.product_id, v.id AS variant_id, v.stock, v.available,
    COALESCE(SUM(r.quantity) FILTER (WHERE r.status = 'held'), 0) AS held,
    COALESCE(SUM(r.quantity) FILTER (WHERE r.status = 'confirmed'), 0) AS sold
  FROM variants v
  JOIN products p ON p.drop_id = v.drop_id AND p.id = v.product_id
  LEFT JOIN reservations r ON r.drop_id = v.drop_id AND r.product_id = v.product_id AND r.variant_id = v.id
    AND r.status IN ('held', 'confirmed')
  WHERE ($1::text IS NULL OR v.drop_id = $1)
  GROUP BY v.drop_id, v.product_id, v.id, v.stock, v.available, p.position, v.position`;

const toLedgerRow = (r: Record<string, unknown>): LedgerRow => ({
  dropId: r.drop_id as string,
  productId: r.product_id as string,
  variantId: r.variant_id as string,
  stock: num(r.stock),
  available: num(r.available),
  held: num(r.held),
  sold: num(r.sold),
});

/** Every variant of a drop, in drop order, with its stock and where its units are: one statement, so one consistent picture. */
export async function variantLedger(q: Queryable, dropId: string): Promise<LedgerRow[]> {
  const rows = await q.query(`${LEDGER} ORDER BY p.position, v.product_id, v.position, v.id`, [dropId]);
  return rows.map(toLedgerRow);
}

/** The invariant as one query: variants (of one drop, or of all) where available + held + sold ≠ stock. Empty when the rule holds. */
export async function unbalancedVariants(q: Queryable, dropId: string | null = null): Promise<LedgerRow[]> {
  const rows = await q.query(
    `SELECT * FROM (${LEDGER}) l WHERE l.available + l.held + l.sold <> l.stock ORDER BY l.drop_id, l.product_id, l.variant_id`,
    [dropId],
  );
  return rows.map(toLedgerRow);
}
