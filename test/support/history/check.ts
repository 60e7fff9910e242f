/**
 * Judges a recorded history (workload.ts) against the database it ran on,
 * read directly once traffic has stopped and the sweeper has run:
 *
 * - per variant, available + held + sold = stock (held by status), also in
 *   every sample taken during the run, and the stock is what the host last set;
 * - every acknowledged reservation (a 201) exists exactly once, as answered,
 *   and every stored reservation was made by exactly one request key;
 * - no reservation is in two orders, or both sold and released;
 * - no shopper bought more than `limitPerCustomer` of a product.
 *
 * The SQL here is the checker's own (it does not trust the server's
 * stock-ledger.ts), and it runs on a database without a `stock` column too,
 * judging the ledger against the host's stock as the history knows it.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../../../server/storage/database.js';
import { LIMIT, type Op, type WorkloadResult } from './workload.js';

export interface Violation {
  rule: 'ledger' | 'sampled-ledger' | 'sweep' | 'acknowledged' | 'orphan' | 'order' | 'limit';
  message: string;
  variant?: string;
  shopper?: number;
  reservationId?: string;
  /** Run time (ms) at which it was seen, for sampled violations. */
  at?: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const n = (v: unknown) => Number(v ?? 0);

export async function checkHistory(run: WorkloadResult, db: Queryable): Promise<Violation[]> {
  const out: Violation[] = [];
  const hasStock =
    (await db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'variants' AND column_name = 'stock'`)).length > 0;

  // 1. The ledger, per variant.
  const variants = await db.query<Record<string, unknown>>(
    `SELECT v.product_id, v.id, v.available, ${hasStock ? 'v.stock' : 'NULL::integer AS stock'},
       (SELECT COALESCE(SUM(quantity), 0) FROM reservations r WHERE r.drop_id = v.drop_id AND r.product_id = v.product_id AND r.variant_id = v.id AND r.status = 'held') AS held,
       (SELECT COALESCE(SUM(quantity), 0) FROM reservations r WHERE r.drop_id = v.drop_id AND r.product_id = v.product_id AND r.variant_id = v.id AND r.status = 'confirmed') AS sold
     FROM variants v WHERE v.drop_id = $1 ORDER BY v.product_id, v.id`,
    [run.dropId],
  );
  for (const row of variants) {
    const variant = `${row.product_id}/${row.id}`;
    const [available, held, sold] = [n(row.available), n(row.held), n(row.sold)];
    const stock = row.stock === null ? null : n(row.stock);
    const known = run.knownStock.get(variant) ?? null;
    const units = `available ${available} + held ${held} + sold ${sold}`;
    if (available < 0) out.push({ rule: 'ledger', variant, message: `${variant}: available is ${available}` });
    if (stock !== null && available + held + sold !== stock)
      out.push({ rule: 'ledger', variant, message: `${variant}: ${units} = ${available + held + sold} ≠ stock ${stock}` });
    if (known !== null && stock !== null && stock !== known)
      out.push({ rule: 'ledger', variant, message: `${variant}: stock ${stock}, but the host last set ${known}` });
    if (known !== null && stock === null && available + held + sold !== known)
      out.push({
        rule: 'ledger',
        variant,
        message: `${variant}: ${units} = ${available + held + sold} ≠ the ${known} units the host put on sale`,
      });
    if (held > 0)
      out.push({ rule: 'sweep', variant, message: `${variant}: ${held} units still held after every hold lapsed and the sweeper ran` });
  }
  for (const sample of run.samples)
    for (const u of sample.unbalanced)
      out.push({
        rule: 'sampled-ledger',
        variant: u.variant,
        at: sample.at,
        message: `${u.variant} at ${sample.at} ms (${sample.source}): available ${u.available} + held ${u.held} + sold ${u.sold} ≠ stock ${u.stock}`,
      });

  // 2. Acknowledged reservations exist exactly once, as answered.
  const principals = run.shoppers.map((s) => `shopper:${sha256(s.token)}`);
  const shopperOf = new Map(principals.map((p, i) => [p.slice('shopper:'.length), i]));
  const stored = new Map(
    (
      await db.query<Record<string, unknown>>(
        'SELECT id, shopper_token, product_id, variant_id, quantity, status, order_id FROM reservations WHERE drop_id = $1',
        [run.dropId],
      )
    ).map((r) => [r.id as string, r]),
  );
  const idsByKey = new Map<string, Set<string>>();
  for (const op of run.history) {
    if ((op.kind !== 'reserve' && op.kind !== 'retry') || op.status !== 201) continue;
    const id = op.reservationId!;
    idsByKey.set(op.key!, (idsByKey.get(op.key!) ?? new Set()).add(id));
    const row = stored.get(id);
    if (!row)
      out.push({
        rule: 'acknowledged',
        reservationId: id,
        shopper: op.shopper,
        variant: op.variant,
        message: `reservation ${id} was granted (op ${op.n}) but is not stored`,
      });
    else if (
      shopperOf.get(row.shopper_token as string) !== op.shopper ||
      `${row.product_id}/${row.variant_id}` !== op.variant ||
      n(row.quantity) !== op.quantity
    )
      out.push({
        rule: 'acknowledged',
        reservationId: id,
        shopper: op.shopper,
        variant: op.variant,
        message: `reservation ${id} is stored with other shopper, variant or quantity than granted (op ${op.n})`,
      });
  }
  for (const [key, ids] of idsByKey)
    if (ids.size > 1)
      out.push({ rule: 'acknowledged', message: `key ${key} was granted ${ids.size} different reservations: ${[...ids].join(', ')}` });

  const keys = await db.query<Record<string, unknown>>(
    'SELECT principal, key, status, body FROM idempotency_keys WHERE principal = ANY($1::text[])',
    [principals],
  );
  const keysOfReservation = new Map<string, string[]>();
  for (const k of keys) {
    if (n(k.status) !== 201) continue;
    const body = JSON.parse(k.body as string) as { id?: string; dropId?: string };
    if (body.dropId !== run.dropId || !body.id?.startsWith('rsv_')) continue;
    keysOfReservation.set(body.id, [...(keysOfReservation.get(body.id) ?? []), k.key as string]);
  }
  for (const [id, row] of stored) {
    const made = keysOfReservation.get(id) ?? [];
    const shopper = shopperOf.get(row.shopper_token as string);
    const variant = `${row.product_id}/${row.variant_id}`;
    if (made.length !== 1)
      out.push({
        rule: 'orphan',
        reservationId: id,
        shopper,
        variant,
        message: `stored reservation ${id} was made by ${made.length} request keys (expected exactly one)`,
      });
  }

  // 3. Orders: one per reservation, never for a released one.
  const orderIds = new Map<string, Set<string>>();
  const released = new Set<string>();
  for (const op of run.history) {
    if (op.kind === 'confirm' && (op.status === 200 || op.status === 201))
      orderIds.set(op.reservationId!, (orderIds.get(op.reservationId!) ?? new Set()).add(op.orderId!));
    if (op.kind === 'cancel' && op.status === 200 && op.resultStatus === 'released') released.add(op.reservationId!);
  }
  for (const [id, orders] of orderIds) {
    const row = stored.get(id);
    const base = {
      rule: 'order' as const,
      reservationId: id,
      variant: row ? `${row.product_id}/${row.variant_id}` : undefined,
      shopper: row ? shopperOf.get(row.shopper_token as string) : undefined,
    };
    if (orders.size > 1) out.push({ ...base, message: `reservation ${id} is in ${orders.size} orders: ${[...orders].join(', ')}` });
    if (!row || row.status !== 'confirmed' || !orders.has(row.order_id as string))
      out.push({
        ...base,
        message: `reservation ${id} was confirmed as ${[...orders].join(', ')} but is stored ${row ? `${row.status} (order ${row.order_id})` : 'nowhere'}`,
      });
    if (released.has(id)) out.push({ ...base, message: `reservation ${id} was both released to its shopper and sold` });
  }

  // 4. The per-customer limit.
  const bought = new Map<string, number>();
  for (const row of stored.values())
    if (row.status === 'confirmed') {
      const k = `${row.shopper_token}|${row.product_id}`;
      bought.set(k, (bought.get(k) ?? 0) + n(row.quantity));
    }
  for (const [k, units] of bought)
    if (units > LIMIT) {
      const [token, product] = k.split('|');
      out.push({
        rule: 'limit',
        shopper: shopperOf.get(token),
        variant: `${product}/*`,
        message: `shopper ${shopperOf.get(token)} bought ${units} of ${product} (limit ${LIMIT})`,
      });
    }
  return out;
}

/** One line per operation, with its time in the run. */
export function formatOp(op: Op, epoch0: number): string {
  const t = `[${String(op.start).padStart(6)}–${String(op.end).padStart(6)} ms]`;
  const who = `${op.client.padEnd(5)} node${op.node}`;
  const what = [
    op.kind.padEnd(19),
    op.shopper !== undefined ? `shopper ${op.shopper}` : '',
    op.variant ?? '',
    op.quantity ? `×${op.quantity}` : '',
    op.detail ?? '',
    op.kind === 'confirm' || op.kind === 'cancel' ? op.reservationId : '',
    op.key && op.kind !== 'confirm' ? `key ${op.key.slice(0, 8)}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  if (op.kind === 'kill' || op.kind === 'restart') return `${t} ${who} ${op.kind}`;
  const answer = op.status === 0 ? 'no answer' : `${op.status}${op.code ? ` ${op.code}` : ''}`;
  const result = [
    op.kind === 'reserve' || op.kind === 'retry' ? op.reservationId : '',
    op.orderId ?? '',
    op.resultStatus ?? '',
    op.expiresAt ? `expires at ${op.expiresAt - epoch0} ms` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `${t} ${who} ${what} → ${answer}${result ? ` ${result}` : ''}`;
}

/** Whether an operation can have changed anything: answered 2xx, or not answered at all. */
const mayHaveActed = (op: Op) => op.status === 0 || (op.status >= 200 && op.status < 300);

/**
 * The shortest history that shows a violation: the operations that touch its
 * variant (or shopper, or reservation) and may have changed something, in
 * order. For a violation seen in a sample it is cut to the operations that
 * overlap the window from the last balanced sample to the first unbalanced
 * one, plus the reservations those operations refer to and the holds of the
 * variant that were held (or lapsed, not yet swept) in that window.
 */
export function shortestHistory(run: WorkloadResult, v: Violation): Op[] {
  const product = v.variant?.split('/')[0];
  const touches = (op: Op) => {
    if (op.kind === 'kill' || op.kind === 'restart') return true;
    if (v.reservationId && op.reservationId === v.reservationId) return true;
    if (v.rule === 'limit') return op.shopper === v.shopper && op.variant?.startsWith(`${product}/`);
    if (!v.variant) return false;
    if (op.variant === v.variant || op.variant === `${product}/*`) return true;
    return v.variant.endsWith('/*') && op.variant?.startsWith(`${product}/`);
  };
  let ops = run.history.filter((op) => touches(op) && mayHaveActed(op));
  if (v.at !== undefined && v.variant) {
    const balancedBefore = run.samples.filter((s) => s.at < v.at! && !s.unbalanced.some((u) => u.variant === v.variant)).map((s) => s.at);
    const from = balancedBefore.length ? Math.max(...balancedBefore) : 0;
    const window = ops.filter((op) => op.start <= v.at! && op.end >= from);
    const referenced = new Set(window.map((op) => op.reservationId).filter(Boolean));
    // Holds of the variant that were held, or lapsed but maybe not yet swept (≤ 1 s), during the window.
    const holdInWindow = (op: Op) => op.expiresAt !== undefined && op.expiresAt - run.epoch0 >= from - 1000 && op.start <= v.at!;
    ops = ops.filter(
      (op) =>
        window.includes(op) ||
        ((op.kind === 'reserve' || op.kind === 'retry') && op.status === 201 && (referenced.has(op.reservationId) || holdInWindow(op))),
    );
  }
  return ops.sort((a, b) => a.start - b.start || a.n - b.n);
}

/** The report of a failed run: the seed, each kind of violation once, and its shortest history. */
export function explain(run: WorkloadResult, violations: Violation[], { maxLines = 60, rerun = '' } = {}): string {
  const lines = [`history check failed, seed ${run.seed} (${run.history.length} operations, ${violations.length} violations):`];
  const shown = new Set<string>();
  for (const v of violations) {
    const kind = `${v.rule}|${v.variant ?? v.reservationId ?? ''}`;
    if (shown.has(kind)) continue;
    shown.add(kind);
    lines.push('', `✖ ${v.rule}: ${v.message}`);
    const ops = shortestHistory(run, v);
    if (ops.length > maxLines) lines.push(`  … ${ops.length - maxLines} earlier operations left out`);
    for (const op of ops.slice(-maxLines)) lines.push(`  ${formatOp(op, run.epoch0)}`);
    if (shown.size >= 4) break;
  }
  if (rerun) lines.push('', `re-run: ${rerun}`);
  return lines.join('\n');
}
