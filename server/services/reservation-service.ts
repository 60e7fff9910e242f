/**
 * Reservation rules: shoppers, holding stock, releasing it (cancel or
 * expiry) and confirming a hold into an order.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Order, Reservation, ReserveRequest } from '../../src/protocol/types.js';
import type { Database, Queryable } from '../storage/database.js';
import { passesOf } from '../storage/line-store.js';
import { findDropRow, findProductLimit, findVariant, returnStock, takeStock } from '../storage/drop-store.js';
import {
  confirmHeld,
  deleteExpiredShoppers,
  expireLapsedHolds,
  findReservation,
  forgetEndedHoldAddresses,
  holdsOfClient,
  insertReservation,
  insertShopper,
  lockShopper,
  orderOf,
  publicReservation,
  releaseHeld,
  shopperCreatedAt,
  unitsOfShopper,
  type ReservationRow,
} from '../storage/reservation-store.js';
import { DomainError, notFound, passRequired } from './domain-error.js';
import { effectiveStatus } from './drop-status.js';
import { fingerprintOf, idempotent, type Answer } from './idempotency.js';
import { createReservationBatcher } from './reservation-batcher.js';
import type { StockFeed } from './stock-feed.js';

/** Who is calling: a shopper (by token) or the host. */
export type Caller = { kind: 'shopper'; token: string } | { kind: 'host' };

export interface ReservationRules {
  /** Most reservations one client address may hold at once (null: no cap). */
  maxHoldsPerIp: number | null;
  /** How long a shopper token is accepted after it was created, in ms. */
  shopperTtlMs: number;
}

export interface ReservationService {
  createShopper(): Promise<string>;
  isShopper(token: string): Promise<boolean>;
  /** `clientIp`: where the request came from, for the per-address cap on holds (null: not counted). */
  reserve(
    shopperToken: string,
    dropId: string,
    request: ReserveRequest,
    idempotencyKey: string | null,
    clientIp?: string | null,
  ): Promise<Answer<Reservation>>;
  get(caller: Caller, id: string): Promise<Reservation>;
  cancel(caller: Caller, id: string): Promise<Reservation>;
  /** Turns a hold into an order: only the site may (its checkout, after payment), so there is no shopper caller. */
  confirm(id: string, idempotencyKey: string | null): Promise<Answer<Order>>;
  /** Expires lapsed holds and returns their units; the sweeper calls it. */
  sweep(): Promise<number>;
  /** Deletes expired shoppers and the addresses of ended holds; housekeeping calls it. */
  forgetExpired(): Promise<number>;
}

const newId = (prefix: string) => `${prefix}_${randomBytes(12).toString('base64url')}`;
/**
 * Tokens are stored only as SHA-256 digests: a copy of the database holds no
 * bearer secret. Random 192-bit tokens need no salt or slow hash.
 */
const digest = (token: string) => createHash('sha256').update(token).digest('hex');
/** What a reservation's Idempotency-Key stands for. */
const reserveRequest = (dropId: string, r: ReserveRequest) => ['reserve', dropId, r.productId, r.variantId, r.quantity];
const principalOf = (caller: Caller) => (caller.kind === 'host' ? 'host' : `shopper:${digest(caller.token)}`);
/** Another shopper's reservation reads as missing: ids are not secrets worth confirming. */
const ownedBy = (r: ReservationRow, caller: Caller) => caller.kind === 'host' || r.shopperToken === digest(caller.token);

/** How many shoppers' token checks a node keeps (about 100 bytes each). */
const KNOWN_SHOPPERS = 100_000;

/**
 * `batching` (the default) reserves through the group-commit batcher;
 * without it each reservation is its own transaction (kept for comparison
 * in bench/rush.ts, and as the reference the batcher's answers must match).
 */
export function createReservationService(
  db: Database,
  stock: StockFeed,
  { batching = true, maxHoldsPerIp = null, shopperTtlMs = 86_400_000 }: Partial<ReservationRules> & { batching?: boolean } = {},
): ReservationService {
  const validSince = () => Date.now() - shopperTtlMs;
  const batcher = batching
    ? createReservationBatcher(db, {
        newId: () => newId('rsv'),
        onStockChanged: (dropId, keys) => stock.changed(dropId, keys),
        maxHoldsPerIp,
        shopperTtlMs,
      })
    : null;
  // Shoppers this node has seen, by token digest, with when they were made. A shopper row is only ever deleted once its
  // token expired, so a known token needs no query: only its age is checked. Unknown ones are always asked (another
  // node may just have made them). Bounded: the oldest entry goes first.
  const known = new Map<string, number>();
  const remember = (shopper: string, createdAt: number) => {
    if (known.size >= KNOWN_SHOPPERS) known.delete(known.keys().next().value!);
    known.set(shopper, createdAt);
  };
  async function owned(q: Queryable, caller: Caller, id: string, now: number, lock = false) {
    const r = await findReservation(q, id, now, { lock });
    if (!r || !ownedBy(r, caller)) throw notFound(`reservation "${id}"`);
    return r;
  }

  return {
    async createShopper() {
      const token = `shp_${randomBytes(24).toString('base64url')}`;
      const [shopper, now] = [digest(token), Date.now()];
      await insertShopper(db, shopper, now);
      remember(shopper, now);
      return token;
    },

    async isShopper(token) {
      const shopper = digest(token);
      let createdAt = known.get(shopper);
      if (createdAt === undefined) {
        const stored = await shopperCreatedAt(db, shopper);
        if (stored === null) return false;
        remember(shopper, (createdAt = stored));
      }
      return createdAt >= validSince();
    },

    async reserve(token, dropId, request, key, clientIp = null) {
      const { productId, variantId, quantity } = request;
      const shopper = digest(token);
      if (batcher)
        return batcher.reserve(dropId, {
          shopper,
          productId,
          variantId,
          quantity,
          key,
          fingerprint: fingerprintOf(reserveRequest(dropId, request)),
          clientIp,
        });
      const answer = await db.transaction((tx) =>
        idempotent(tx, { principal: `shopper:${shopper}`, key, request: reserveRequest(dropId, request) }, async () => {
          const now = Date.now();
          if (!(await lockShopper(tx, shopper, now - shopperTtlMs)))
            throw new DomainError('unauthorized', 401, 'unknown or expired shopper token');
          if (clientIp !== null && maxHoldsPerIp !== null) {
            // Not locked: requests from one address racing here may pass the cap by a few; the rate limit bounds how many.
            const holds = await holdsOfClient(tx, clientIp, now);
            if (holds.count >= maxHoldsPerIp)
              throw new DomainError('too-many-holds', 429, `at most ${maxHoldsPerIp} reservations may be held at once from one address`, {
                'Retry-After': String(Math.max(1, Math.ceil(((holds.firstEnds ?? now) - now) / 1000))),
              });
          }
          const drop = await findDropRow(tx, dropId);
          if (!drop) throw notFound(`drop "${dropId}"`);
          const status = effectiveStatus(drop, now);
          if (status === 'scheduled')
            throw new DomainError('drop-not-started', 409, `drop "${dropId}" starts at ${new Date(drop.startsAt).toISOString()}`);
          if (status === 'ended') throw new DomainError('drop-ended', 409, `drop "${dropId}" has ended`);
          const passes = await passesOf(tx, dropId, [shopper], now);
          if (passes && !passes.get(shopper)) throw passRequired(dropId);
          const limit = await findProductLimit(tx, dropId, productId);
          if (limit === null) throw notFound(`product "${productId}" in drop "${dropId}"`);
          const variant = await findVariant(tx, dropId, productId, variantId);
          if (!variant) throw notFound(`variant "${variantId}" of product "${productId}"`);
          const already = await unitsOfShopper(tx, shopper, dropId, productId, now);
          if (already + quantity > limit)
            throw new DomainError('limit-exceeded', 409, `at most ${limit} per customer; you already hold or bought ${already}`);
          if ((await takeStock(tx, dropId, productId, variantId, quantity)) === null) {
            const left = (await findVariant(tx, dropId, productId, variantId))!.available;
            if (left === 0) throw new DomainError('sold-out', 409, `${productId} / ${variant.label} is sold out`);
            throw new DomainError('insufficient-stock', 409, `only ${left} left of ${productId} / ${variant.label}`);
          }
          const row: ReservationRow = {
            id: newId('rsv'),
            dropId,
            productId,
            variantId,
            quantity,
            status: 'held',
            createdAt: now,
            expiresAt: now + drop.holdMs,
            shopperToken: shopper,
            clientIp,
            orderId: null,
            confirmedAt: null,
          };
          await insertReservation(tx, row);
          return { status: 201, body: publicReservation(row) };
        }),
      );
      if (!answer.replayed) stock.changed(dropId, [{ productId, variantId }]);
      return answer;
    },

    async get(caller, id) {
      return publicReservation(await owned(db, caller, id, Date.now()));
    },

    async cancel(caller, id) {
      const released = await db.transaction(async (tx) => {
        const now = Date.now();
        const r = await owned(tx, caller, id, now, true);
        if (r.status === 'released') return { row: r, changed: false };
        const row = await releaseHeld(tx, id, now);
        if (!row) throw new DomainError('reservation-not-held', 409, `reservation "${id}" is ${r.status}`);
        await returnStock(tx, row.dropId, row.productId, row.variantId, row.quantity);
        return { row, changed: true };
      });
      if (released.changed) stock.changed(released.row.dropId, [released.row]);
      return publicReservation(released.row);
    },

    async confirm(id, key) {
      const site: Caller = { kind: 'host' };
      return db.transaction((tx) =>
        idempotent(tx, { principal: principalOf(site), key, request: ['confirm', id] }, async () => {
          const now = Date.now();
          const r = await owned(tx, site, id, now, true);
          if (r.status === 'confirmed') return { status: 200, body: orderOf(r) };
          const row = await confirmHeld(tx, id, newId('ord'), now);
          if (!row) throw new DomainError('reservation-not-held', 409, `reservation "${id}" is ${r.status}`);
          return { status: 201, body: orderOf(row) };
        }),
      );
    },

    async sweep() {
      const now = Date.now();
      const levels = await db.transaction((tx) => expireLapsedHolds(tx, now));
      const byDrop = new Map<string, typeof levels>();
      for (const l of levels) byDrop.set(l.dropId, [...(byDrop.get(l.dropId) ?? []), l]);
      for (const [dropId, keys] of byDrop) stock.changed(dropId, keys);
      return levels.length;
    },

    async forgetExpired() {
      await forgetEndedHoldAddresses(db);
      return deleteExpiredShoppers(db, validSince());
    },
  };
}
