/** SQL of the stock feed: which variants still owe viewers a `stock` event (migration 004). */
import { num, type Queryable } from './database.js';

export interface StockLevel {
  productId: string;
  variantId: string;
  available: number;
}

/**
 * The levels of the drop's variants whose change has not been published yet,
 * clearing their mark: call it in the transaction that publishes them. Rows
 * are locked in (product id, variant id) order, the reservation batches'
 * order, so the two wait for each other instead of deadlocking.
 */
export async function takePendingLevels(q: Queryable, dropId: string): Promise<StockLevel[]> {
  const rows = await q.query<{ product_id: string; id: string; available: unknown; position: unknown }>(
    `WITH pending AS (
       SELECT product_id, id FROM variants WHERE drop_id = $1 AND stock_pending ORDER BY product_id, id FOR UPDATE
     )
     UPDATE variants v SET stock_pending = false FROM pending p
     WHERE v.drop_id = $1 AND v.product_id = p.product_id AND v.id = p.id
     RETURNING v.product_id, v.id, v.available, v.position`,
    [dropId],
  );
  return rows
    .sort((a, b) => num(a.position) - num(b.position) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => ({ productId: r.product_id, variantId: r.id, available: num(r.available) }));
}

/** Drops with a level change not yet published (a node died inside its coalescing window). */
export async function dropsWithPendingStock(q: Queryable): Promise<string[]> {
  const rows = await q.query<{ drop_id: string }>('SELECT DISTINCT drop_id FROM variants WHERE stock_pending');
  return rows.map((r) => r.drop_id);
}
