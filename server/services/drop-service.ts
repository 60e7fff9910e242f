/**
 * Drop rules: reading a drop, the host's edits, the show's status
 * transitions and featuring. Every change the viewers must see is published
 * in the same transaction as the change itself (see EventBus.publish).
 */
import { randomBytes } from 'node:crypto';
import { MAX_FEATURED_HISTORY, MAX_PRODUCTS } from '../../src/protocol/parse.js';
import type { Drop, DropEventMap, DropInput, DropStream, FeaturedProduct, ProductInput, Variant } from '../../src/protocol/types.js';
import { readSnapshot, type Database, type Queryable } from '../storage/database.js';
import { latestDropEventId } from '../storage/event-store.js';
import {
  countProducts,
  dropExists,
  endedShowCovers,
  findDropRow,
  insertDrop,
  markEnded,
  markLiveIfDue,
  markLiveNow,
  productExists,
  readDrop,
  setFeatured,
  setStock,
  updateDropFields,
  upsertProduct,
  type DropRow,
} from '../storage/drop-store.js';
import { DomainError, notFound } from './domain-error.js';
import { effectiveStatus } from './drop-status.js';
import type { EventBus } from './event-bus.js';
import { writeQueue } from './line-service.js';
import type { StockFeed } from './stock-feed.js';

/** Where the simulated stream lives, so an ended show can point at its replay. */
export interface StreamPaths {
  /** The replay of [fromMs, toMs] of `hls`, or null when `hls` is not the simulated stream. */
  replayOf(hls: string, fromMs: number, toMs: number): string | null;
}

export type DropPatch = Partial<Omit<DropInput, 'products' | 'id'>>;

export interface DropService {
  get(id: string): Promise<Drop>;
  /**
   * The drop and the id of its newest event, read in one snapshot: the resume
   * point for a viewer, since every later event of the drop has a larger id.
   * (Another drop's newer id is not: an event of this drop may still be uncommitted below it.)
   */
  snapshot(id: string, extra?: (tx: Queryable, id: string) => Promise<object>): Promise<{ at: number; drop: Drop }>;
  exists(id: string): Promise<boolean>;
  create(input: DropInput): Promise<Drop>;
  /** Deletes and recreates (the demo seed). */
  replace(input: DropInput & { id: string }): Promise<Drop>;
  patch(id: string, patch: DropPatch): Promise<Drop>;
  putProduct(dropId: string, product: ProductInput): Promise<Drop['products'][number]>;
  setStock(dropId: string, productId: string, variantId: string, available: number): Promise<Variant>;
  start(id: string): Promise<Drop>;
  end(id: string): Promise<Drop>;
  feature(id: string, productId: string | null): Promise<FeaturedProduct | null>;
  /** Whether the wall-clock window [fromMs, toMs] lies within a show that has ended: what a replay may cover. */
  isShowWindow(fromMs: number, toMs: number): Promise<boolean>;
  /** Applies due scheduled transitions of one drop (the scheduler calls this). */
  applySchedule(id: string): Promise<void>;
}

export interface DropServiceOptions {
  db: Database;
  bus: EventBus;
  stock: StockFeed;
  stream: StreamPaths;
  defaultHoldMs: number;
  /** Told when a start or end time may have moved (re-arms the scheduler). */
  onScheduleChanged(): void;
}

const statusEvent = (row: DropRow, at: number): DropEventMap['status'] => ({
  status: row.status,
  startsAt: row.startsAt,
  endsAt: row.endsAt,
  stream: row.stream,
  at,
});

export function createDropService({ db, bus, stock, stream, defaultHoldMs, onScheduleChanged }: DropServiceOptions): DropService {
  async function mustRead(q: Queryable, id: string): Promise<Drop> {
    const drop = await readDrop(q, id);
    if (!drop) throw notFound(`drop "${id}"`);
    return { ...drop, status: effectiveStatus(drop, Date.now()) };
  }

  /** The replay of our own simulated stream covers the show's wall-clock window. */
  const replayFor = (row: DropRow) =>
    row.stream.hls !== null && row.endedAt !== null
      ? stream.replayOf(row.stream.hls, row.liveStartedAt ?? row.startsAt, row.endedAt)
      : null;

  async function insertWithProducts(tx: Queryable, input: DropInput & { id: string }) {
    const now = Date.now();
    const live = input.startsAt <= now;
    const streamIn: Partial<DropStream> = input.stream ?? {};
    await insertDrop(tx, {
      id: input.id,
      title: input.title,
      brand: input.brand ?? '',
      description: input.description ?? '',
      startsAt: input.startsAt,
      endsAt: input.endsAt ?? null,
      status: live ? 'live' : 'scheduled',
      liveStartedAt: live ? input.startsAt : null,
      stream: { hls: streamIn.hls ?? null, replay: streamIn.replay ?? null, poster: streamIn.poster ?? null },
      checkoutUrl: input.checkoutUrl ?? null,
      holdMs: input.holdMs ?? defaultHoldMs,
      createdAt: now,
    });
    for (const [position, product] of input.products.entries()) await writeProduct(tx, input.id, product, position);
    if (input.queue) await writeQueue(tx, input.id, input.queue);
  }

  async function publishSnapshot(id: string) {
    await bus.publish(id, 'snapshot', (tx) => mustRead(tx, id));
  }

  const service: DropService = {
    get: (id) => mustRead(db, id),
    snapshot: (id, extra) =>
      readSnapshot(db, async (tx) => ({
        at: await latestDropEventId(tx, id),
        drop: { ...(await mustRead(tx, id)), ...(await extra?.(tx, id)) },
      })),
    exists: (id) => dropExists(db, id),
    isShowWindow: (fromMs, toMs) => endedShowCovers(db, fromMs, toMs),

    async create(input) {
      const id = input.id ?? `drop_${randomBytes(9).toString('base64url')}`;
      const taken = () => new DomainError('already-exists', 409, `drop "${id}" already exists`);
      await db
        .transaction(async (tx) => {
          if (await dropExists(tx, id)) throw taken();
          await insertWithProducts(tx, { ...input, id });
        })
        .catch((error) => {
          // Two hosts creating the same id at once: the unique key decides.
          throw (error as { code?: string }).code === '23505' ? taken() : error;
        });
      onScheduleChanged();
      return mustRead(db, id);
    },

    async replace(input) {
      await db.transaction(async (tx) => {
        await tx.query('DELETE FROM drops WHERE id = $1', [input.id]);
        await insertWithProducts(tx, input);
      });
      onScheduleChanged();
      await publishSnapshot(input.id);
      return mustRead(db, input.id);
    },

    async patch(id, patch) {
      const before = await findDropRow(db, id);
      if (!before) throw notFound(`drop "${id}"`);
      await bus.publish(id, 'snapshot', async (tx) => {
        const row = await findDropRow(tx, id);
        if (!row) throw notFound(`drop "${id}"`);
        const startsAt = patch.startsAt ?? row.startsAt;
        const endsAt = patch.endsAt !== undefined ? patch.endsAt : row.endsAt;
        // Checked against the drop as it is, not only within the patch: `{ "endsAt": 5 }` alone must not end a show before it began.
        if (endsAt !== null && endsAt <= startsAt && (patch.startsAt !== undefined || patch.endsAt !== undefined))
          throw new DomainError('validation-failed', 422, `endsAt (${endsAt}) must be later than startsAt (${startsAt})`);
        await updateDropFields(tx, {
          ...row,
          title: patch.title ?? row.title,
          brand: patch.brand ?? row.brand,
          description: patch.description ?? row.description,
          startsAt,
          endsAt,
          stream: { ...row.stream, ...patch.stream },
          checkoutUrl: patch.checkoutUrl !== undefined ? patch.checkoutUrl : row.checkoutUrl,
          holdMs: patch.holdMs ?? row.holdMs,
        });
        if (patch.queue !== undefined) await writeQueue(tx, id, patch.queue);
        return mustRead(tx, id);
      });
      const after = (await findDropRow(db, id))!;
      if (after.startsAt !== before.startsAt || after.endsAt !== before.endsAt) {
        await bus.publish(id, 'status', async () => statusEvent(after, Date.now()));
        onScheduleChanged();
      }
      return mustRead(db, id);
    },

    async putProduct(dropId, product) {
      await bus.publish(dropId, 'snapshot', async (tx) => {
        if (!(await dropExists(tx, dropId))) throw notFound(`drop "${dropId}"`);
        // Every client refuses a drop with more (and would show none of it).
        if (!(await productExists(tx, dropId, product.id)) && (await countProducts(tx, dropId)) >= MAX_PRODUCTS)
          throw new DomainError('validation-failed', 422, `a drop has at most ${MAX_PRODUCTS} products`);
        await writeProduct(tx, dropId, product);
        return mustRead(tx, dropId);
      });
      const drop = await mustRead(db, dropId);
      return drop.products.find((p) => p.id === product.id)!;
    },

    async setStock(dropId, productId, variantId, available) {
      const variant = await db.transaction((tx) => setStock(tx, dropId, productId, variantId, available));
      if (!variant) throw notFound(`variant "${variantId}" of product "${productId}" in drop "${dropId}"`);
      stock.changed(dropId, [{ productId, variantId }]);
      return variant;
    },

    async start(id) {
      const now = Date.now();
      await bus.publish(id, 'status', async (tx) => {
        const row = await markLiveNow(tx, id, now);
        if (row) return statusEvent(row, now);
        const current = await findDropRow(tx, id);
        if (!current) throw notFound(`drop "${id}"`);
        if (current.status === 'ended') throw new DomainError('drop-ended', 409, `drop "${id}" has ended`);
        return null; // already live
      });
      onScheduleChanged();
      return mustRead(db, id);
    },

    async end(id) {
      const now = Date.now();
      await bus.publish(id, 'status', async (tx) => {
        const row = await markEnded(tx, id, now, replayFor);
        if (row) return statusEvent(row, now);
        if (!(await dropExists(tx, id))) throw notFound(`drop "${id}"`);
        return null; // already ended
      });
      onScheduleChanged();
      return mustRead(db, id);
    },

    async feature(id, productId) {
      const at = Date.now();
      await bus.publish(id, 'featured', async (tx) => {
        if (!(await dropExists(tx, id))) throw notFound(`drop "${id}"`);
        if (productId !== null && !(await productExists(tx, id, productId))) throw notFound(`product "${productId}" in drop "${id}"`);
        await setFeatured(tx, id, productId, at, MAX_FEATURED_HISTORY);
        return { productId, at };
      });
      return productId === null ? null : { productId, at };
    },

    async applySchedule(id) {
      const now = Date.now();
      await bus.publish(id, 'status', async (tx) => {
        const row = await markLiveIfDue(tx, id, now);
        return row && effectiveStatus(row, now) === 'live' ? statusEvent(row, now) : null;
      });
      await bus.publish(id, 'status', async (tx) => {
        const row = await findDropRow(tx, id);
        if (!row || row.status === 'ended' || row.endsAt === null || row.endsAt > now) return null;
        const ended = await markEnded(tx, id, row.endsAt, replayFor);
        return ended ? statusEvent(ended, now) : null;
      });
    },
  };
  return service;
}

/** Writes a product, or refuses a stock below what is already held or sold (nothing is written then). */
async function writeProduct(tx: Queryable, dropId: string, product: ProductInput, position?: number) {
  const short = await upsertProduct(tx, dropId, productDefinition(product), position);
  if (short.length === 0) return;
  const list = short.map((v) => `${v.variantId}: stock ${v.stock} < ${v.committed}`).join(', ');
  throw new DomainError(
    'stock-below-committed',
    409,
    `a variant's stock cannot be less than its units already held or sold (${list}); send at least that many, or PUT its stock with available 0 to stop selling the rest`,
  );
}

function productDefinition(p: ProductInput) {
  return {
    id: p.id,
    title: p.title,
    description: p.description ?? '',
    images: p.images ?? [],
    prices: p.prices,
    limitPerCustomer: p.limitPerCustomer ?? 1,
    variants: p.variants,
  };
}
