/**
 * Checks data from the network against the wire format. Everything that
 * crosses a boundary (an HTTP answer, an SSE line, a request body on the
 * server) goes through one of these; past them the data is trusted.
 */
import type {
  Drop,
  DropEvent,
  DropEventType,
  DropStatus,
  DropStream,
  FeaturedProduct,
  Money,
  Order,
  Problem,
  Product,
  ProductImage,
  Reservation,
  ReservationStatus,
  ServerTime,
  ShopperSession,
  StockLevel,
  Variant,
} from './types.js';

/** Data that does not match the protocol; `path` says where (`drop.products[2].prices`). */
export class ProtocolError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`Malformed backend data at ${path}: expected ${expected}`);
    this.name = 'ProtocolError';
  }
}

type Obj = Record<string, unknown>;

export function obj(v: unknown, path: string): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ProtocolError(path, 'an object');
  return v as Obj;
}

export function str(v: unknown, path: string, { max = 10_000, min = 0 } = {}): string {
  if (typeof v !== 'string' || v.length < min || v.length > max)
    throw new ProtocolError(path, `a string of ${min}–${max} characters`);
  return v;
}

export function int(v: unknown, path: string, { min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = {}): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max)
    throw new ProtocolError(path, `an integer from ${min} to ${max}`);
  return v;
}

export function oneOf<T extends string>(v: unknown, path: string, values: readonly T[]): T {
  if (!values.includes(v as T)) throw new ProtocolError(path, `one of ${values.join(', ')}`);
  return v as T;
}

export function arr<T>(v: unknown, path: string, item: (v: unknown, path: string) => T, max = 1000): T[] {
  if (!Array.isArray(v) || v.length > max) throw new ProtocolError(path, `an array of at most ${max} items`);
  return v.map((x, i) => item(x, `${path}[${i}]`));
}

export function nullable<T>(v: unknown, path: string, inner: (v: unknown, path: string) => T): T | null {
  return v === null || v === undefined ? null : inner(v, path);
}

/** Ids: 1–64 letters, digits, `-` or `_` (safe in URLs and paths). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export function id(v: unknown, path: string): string {
  if (typeof v !== 'string' || !ID_PATTERN.test(v)) throw new ProtocolError(path, 'an id (1–64 of A–Z a–z 0–9 - _)');
  return v;
}

export function currency(v: unknown, path: string): string {
  if (typeof v !== 'string' || !/^[A-Z]{3}$/.test(v)) throw new ProtocolError(path, 'an ISO 4217 currency code');
  return v;
}

const count = (v: unknown, path: string) => int(v, path, { min: 0, max: 1_000_000_000 });
const time = (v: unknown, path: string) => int(v, path, { min: 0 });

export function parseMoney(v: unknown, path = 'money'): Money {
  const o = obj(v, path);
  return { currency: currency(o.currency, `${path}.currency`), amount: int(o.amount, `${path}.amount`, { min: 0, max: 1e12 }) };
}

function parseImage(v: unknown, path: string): ProductImage {
  const o = obj(v, path);
  return { url: str(o.url, `${path}.url`, { min: 1, max: 2048 }), alt: str(o.alt ?? '', `${path}.alt`, { max: 500 }) };
}

function parseVariant(v: unknown, path: string): Variant {
  const o = obj(v, path);
  return { id: id(o.id, `${path}.id`), label: str(o.label, `${path}.label`, { min: 1, max: 40 }), available: count(o.available, `${path}.available`) };
}

export function parseProduct(v: unknown, path = 'product'): Product {
  const o = obj(v, path);
  const prices = arr(o.prices, `${path}.prices`, parseMoney, 20);
  if (prices.length === 0) throw new ProtocolError(`${path}.prices`, 'at least one price');
  return {
    id: id(o.id, `${path}.id`),
    title: str(o.title, `${path}.title`, { min: 1, max: 200 }),
    description: str(o.description ?? '', `${path}.description`, { max: 5000 }),
    images: arr(o.images ?? [], `${path}.images`, parseImage, 20),
    prices,
    variants: arr(o.variants, `${path}.variants`, parseVariant, 100),
    limitPerCustomer: int(o.limitPerCustomer, `${path}.limitPerCustomer`, { min: 1, max: 1000 }),
  };
}

const urlOrNull = (v: unknown, path: string) => nullable(v, path, (x, p) => str(x, p, { min: 1, max: 2048 }));

function parseStream(v: unknown, path: string): DropStream {
  const o = obj(v ?? {}, path);
  return { hls: urlOrNull(o.hls, `${path}.hls`), replay: urlOrNull(o.replay, `${path}.replay`), poster: urlOrNull(o.poster, `${path}.poster`) };
}

function parseFeatured(v: unknown, path: string): FeaturedProduct {
  const o = obj(v, path);
  return { productId: id(o.productId, `${path}.productId`), at: time(o.at, `${path}.at`) };
}

export const DROP_STATUSES: readonly DropStatus[] = ['scheduled', 'live', 'ended'];

export function parseDrop(v: unknown, path = 'drop'): Drop {
  const o = obj(v, path);
  return {
    id: id(o.id, `${path}.id`),
    title: str(o.title, `${path}.title`, { min: 1, max: 200 }),
    brand: str(o.brand ?? '', `${path}.brand`, { max: 200 }),
    description: str(o.description ?? '', `${path}.description`, { max: 5000 }),
    startsAt: time(o.startsAt, `${path}.startsAt`),
    endsAt: nullable(o.endsAt, `${path}.endsAt`, time),
    status: oneOf(o.status, `${path}.status`, DROP_STATUSES),
    stream: parseStream(o.stream, `${path}.stream`),
    products: arr(o.products, `${path}.products`, parseProduct, 200),
    featured: nullable(o.featured, `${path}.featured`, parseFeatured),
    featuredHistory: arr(o.featuredHistory ?? [], `${path}.featuredHistory`, parseFeatured, 10_000),
    checkoutUrl: urlOrNull(o.checkoutUrl, `${path}.checkoutUrl`),
    holdMs: int(o.holdMs, `${path}.holdMs`, { min: 1000 }),
  };
}

export function parseServerTime(v: unknown): ServerTime {
  return { now: time(obj(v, 'time').now, 'time.now') };
}

export function parseShopperSession(v: unknown): ShopperSession {
  return { shopperToken: str(obj(v, 'shopper').shopperToken, 'shopper.shopperToken', { min: 8, max: 512 }) };
}

export const RESERVATION_STATUSES: readonly ReservationStatus[] = ['held', 'confirmed', 'released', 'expired'];

export function parseReservation(v: unknown, path = 'reservation'): Reservation {
  const o = obj(v, path);
  return {
    id: id(o.id, `${path}.id`),
    dropId: id(o.dropId, `${path}.dropId`),
    productId: id(o.productId, `${path}.productId`),
    variantId: id(o.variantId, `${path}.variantId`),
    quantity: int(o.quantity, `${path}.quantity`, { min: 1, max: 1000 }),
    status: oneOf(o.status, `${path}.status`, RESERVATION_STATUSES),
    createdAt: time(o.createdAt, `${path}.createdAt`),
    expiresAt: time(o.expiresAt, `${path}.expiresAt`),
  };
}

export function parseOrder(v: unknown, path = 'order'): Order {
  const o = obj(v, path);
  return { id: id(o.id, `${path}.id`), reservation: parseReservation(o.reservation, `${path}.reservation`), confirmedAt: time(o.confirmedAt, `${path}.confirmedAt`) };
}

function parseStockLevel(v: unknown, path: string): StockLevel {
  const o = obj(v, path);
  return { productId: id(o.productId, `${path}.productId`), variantId: id(o.variantId, `${path}.variantId`), available: count(o.available, `${path}.available`) };
}

const eventParsers: { [K in DropEventType]: (v: unknown, path: string) => Extract<DropEvent, { type: K }>['data'] } = {
  snapshot: parseDrop,
  stock: (v, path) => ({ levels: arr(obj(v, path).levels, `${path}.levels`, parseStockLevel, 10_000) }),
  featured: (v, path) => {
    const o = obj(v, path);
    return { productId: nullable(o.productId, `${path}.productId`, id), at: time(o.at, `${path}.at`) };
  },
  status: (v, path) => {
    const o = obj(v, path);
    return {
      status: oneOf(o.status, `${path}.status`, DROP_STATUSES),
      startsAt: time(o.startsAt, `${path}.startsAt`),
      endsAt: nullable(o.endsAt, `${path}.endsAt`, time),
      at: time(o.at, `${path}.at`),
    };
  },
  viewers: (v, path) => ({ count: count(obj(v, path).count, `${path}.count`) }),
  reactions: (v, path) => {
    const o = obj(v, path);
    const counts: Record<string, number> = {};
    for (const [k, n] of Object.entries(obj(o.counts, `${path}.counts`))) counts[k] = count(n, `${path}.counts.${k}`);
    return { counts, at: time(o.at, `${path}.at`) };
  },
};

export const DROP_EVENT_TYPES = Object.keys(eventParsers) as DropEventType[];

/**
 * Parses one SSE message of the drop stream. Unknown event types return
 * null (a newer server may send more); malformed data throws ProtocolError.
 */
export function parseDropEvent(type: string, data: string, lastEventId: string): DropEvent | null {
  if (!(type in eventParsers)) return null;
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new ProtocolError(`event ${type}`, 'JSON data');
  }
  const parse = eventParsers[type as DropEventType] as (v: unknown, path: string) => DropEvent['data'];
  return { id: lastEventId, type, data: parse(json, `event ${type}`) } as DropEvent;
}

/** Reads a problem body; anything unreadable becomes a generic problem for that status. */
export function parseProblem(v: unknown, status: number): Problem {
  try {
    const o = obj(v, 'problem');
    return {
      type: str(o.type, 'problem.type'),
      code: str(o.code, 'problem.code') as Problem['code'],
      title: str(o.title, 'problem.title'),
      status,
      detail: typeof o.detail === 'string' ? o.detail : undefined,
    };
  } catch {
    const code = status === 404 ? 'not-found' : status >= 500 ? 'internal' : 'bad-request';
    return { type: `urn:live-drop:problem:${code}`, code, title: `HTTP ${status}`, status };
  }
}
