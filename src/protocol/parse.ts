/**
 * Checks data from the network against the wire format. Everything that
 * crosses a boundary (an HTTP answer, an SSE line, a request body on the
 * server) goes through one of these; past them the data is trusted.
 *
 * Each object of the protocol is described once, as a table of field →
 * checker, and walked by `shape()`. The table is the whole definition: the
 * walker builds each field's path (`drop.products[2].prices`) and copies
 * exactly the listed fields, so nothing unlisted reaches the app. (Written as
 * tables rather than one function per object because the script-tag bundle
 * has a size budget, and per-field code repeats itself once minified.)
 */
import type {
  Drop,
  DropEvent,
  DropEventMap,
  DropEventType,
  DropStatus,
  DropStream,
  FeaturedProduct,
  Money,
  Problem,
  Product,
  ProductImage,
  ServerTime,
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

/** Checks one value found at `path` and returns it typed; throws ProtocolError otherwise. */
export type Check<T> = (v: unknown, path: string) => T;

/** A checker from a test and the words for what the test expects. */
export function check<T>(test: (v: unknown) => boolean, expected: string): Check<T> {
  return (v, path) => {
    if (!test(v)) throw new ProtocolError(path, expected);
    return v as T;
  };
}

/** A string matching `pattern`. */
const matching = (pattern: RegExp, expected: string) => check<string>((v) => typeof v === 'string' && pattern.test(v), expected);

// The checkers, each built once with its limits: the tables below are made of them.
export const obj = check<Obj>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'an object');
export const text = (min = 0, max = 10_000) =>
  check<string>((v) => typeof v === 'string' && v.length >= min && v.length <= max, `a string of ${min}–${max} characters`);
export const integer = (min = -Number.MAX_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) =>
  check<number>((v) => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max, `an integer from ${min} to ${max}`);
export const among = <T extends string>(values: readonly T[]) => check<T>((v) => values.includes(v as T), `one of ${values.join(', ')}`);
/** An array of at most `max` items, each checked at `${path}[i]`. */
export const list = <T>(item: Check<T>, max = 1000): Check<T[]> => {
  const array = check<unknown[]>((v) => Array.isArray(v) && v.length <= max, `an array of at most ${max} items`);
  return (v, path) => array(v, path).map((x, i) => item(x, `${path}[${i}]`));
};
export const orNull =
  <T>(inner: Check<T>): Check<T | null> =>
  (v, path) =>
    v === null || v === undefined ? null : inner(v, path);

// The same rules, one value at a time (the reference server checks request bodies with these).
export const str = (v: unknown, path: string, { min, max }: { min?: number; max?: number } = {}): string => text(min, max)(v, path);
export const int = (v: unknown, path: string, { min, max }: { min?: number; max?: number } = {}): number => integer(min, max)(v, path);
export const oneOf = <T extends string>(v: unknown, path: string, values: readonly T[]): T => among(values)(v, path);
export const arr = <T>(v: unknown, path: string, item: Check<T>, max?: number): T[] => list(item, max)(v, path);
export const nullable = <T>(v: unknown, path: string, inner: Check<T>): T | null => orNull(inner)(v, path);

/** Ids: 1–64 letters, digits, `-` or `_` (safe in URLs and paths). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const id = matching(ID_PATTERN, 'an id (1–64 of A–Z a–z 0–9 - _)');
export const currency = matching(/^[A-Z]{3}$/, 'an ISO 4217 currency code');

// ------------------------------------------------- checkers for the tables

/** An object with exactly these fields, each checked at `${path}.${field}`; other fields are dropped. */
export function shape<T>(fields: { [K in keyof T]-?: Check<T[K]> }): Check<T> {
  return (v, path) => {
    const o = obj(v, path);
    const out = {} as T;
    for (const field in fields) out[field] = fields[field](o[field], `${path}.${field}`);
    return out;
  };
}

/** An optional field: absent (or null) reads as `fallback`, which is then checked like any value. */
export const withDefault =
  <T>(fallback: unknown, inner: Check<T>): Check<T> =>
  (v, path) =>
    inner(v ?? fallback, path);

/** Absent stays absent (undefined); present must pass `inner`. */
export const optional =
  <T>(inner: Check<T>): Check<T | undefined> =>
  (v, path) =>
    v === undefined ? undefined : inner(v, path);

export const count = integer(0, 1_000_000_000);
/** A time in ms since 1970, up to the last one `Date` can hold. */
export const time = integer(0, 864e13);
const title = text(1, 200);
const description = withDefault('', text(0, 5000));
const url = text(1, 2048);
const urlOrNull = orNull(url);
/** Units of one product in one reservation, and the most a shopper may take. */
export const perCustomer = integer(1, 1000);

// ------------------------------------------------------------ the objects

const money = shape<Money>({ currency, amount: integer(0, 1e12) });
export const parseMoney = (v: unknown, path = 'money'): Money => money(v, path);

const productImage = shape<ProductImage>({ url, alt: withDefault('', text(0, 500)) });
const variant = shape<Variant>({ id, label: text(1, 40), available: count });

const priceList = list(money, 20);
const prices: Check<Money[]> = (v, path) => {
  const all = priceList(v, path);
  if (all.length === 0) throw new ProtocolError(path, 'at least one price');
  return all;
};

// Fields are checked in table order, and a product's prices have always been
// checked first: a product with several faults still reports its prices.
const product = shape<Product>({
  prices,
  id,
  title,
  description,
  images: withDefault([], list(productImage, 20)),
  variants: list(variant, 100),
  limitPerCustomer: perCustomer,
});
export const parseProduct = (v: unknown, path = 'product'): Product => product(v, path);

/** Limits of a drop that servers keep and clients accept: a server refuses more products, and keeps the newest history. */
export const MAX_PRODUCTS = 200;
export const MAX_FEATURED_HISTORY = 10_000;

const featured = shape<FeaturedProduct>({ productId: id, at: time });

export const DROP_STATUSES: readonly DropStatus[] = ['scheduled', 'live', 'ended'];
const dropStatus = among(DROP_STATUSES);

const dropStream = withDefault({}, shape<DropStream>({ hls: urlOrNull, replay: urlOrNull, poster: urlOrNull }));

const drop = shape<Drop>({
  id,
  title,
  brand: withDefault('', text(0, 200)),
  description,
  startsAt: time,
  endsAt: orNull(time),
  status: dropStatus,
  stream: dropStream,
  products: list(product, MAX_PRODUCTS),
  featured: orNull(featured),
  featuredHistory: withDefault([], list(featured, MAX_FEATURED_HISTORY)),
  checkoutUrl: urlOrNull,
  holdMs: integer(1000),
  // The line is checked field by field by parse-line.ts, in the line's own chunk (the script-tag module only passes it on).
  queue: orNull(obj) as Check<never>,
});
export const parseDrop = (v: unknown, path = 'drop'): Drop => drop(v, path);

const serverTime = shape<ServerTime>({ now: time });
export const parseServerTime = (v: unknown): ServerTime => serverTime(v, 'time');

// ----------------------------------------------------------------- events

const stockLevel = shape<StockLevel>({ productId: id, variantId: id, available: count });

/** Reaction counts by kind: any kind is kept (a newer server may add kinds), each a count. */
const reactionCounts: Check<Record<string, number>> = (v, path) => {
  const counts: Record<string, number> = {};
  for (const [kind, n] of Object.entries(obj(v, path))) counts[kind] = count(n, `${path}.${kind}`);
  return counts;
};

const eventParsers: { [K in DropEventType]: Check<DropEventMap[K]> } = {
  snapshot: drop,
  stock: shape<DropEventMap['stock']>({ levels: list(stockLevel, 10_000) }),
  featured: shape<DropEventMap['featured']>({ productId: orNull(id), at: time }),
  status: shape<DropEventMap['status']>({
    status: dropStatus,
    startsAt: time,
    endsAt: orNull(time),
    stream: optional(dropStream),
    at: time,
  }),
  viewers: shape<DropEventMap['viewers']>({ count }),
  reactions: shape<DropEventMap['reactions']>({ counts: reactionCounts, at: time }),
  // Checked by parse-line.ts where it is read (the line's chunk), like the drop's `queue`.
  line: obj as Check<never>,
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
  const parse = eventParsers[type as DropEventType] as Check<DropEvent['data']>;
  return { id: lastEventId, type, data: parse(json, `event ${type}`) } as DropEvent;
}

const problem = shape<Pick<Problem, 'type' | 'code' | 'title' | 'detail'>>({
  type: text(),
  code: text() as Check<Problem['code']>,
  title: text(),
  // Only words for people: a server that sends something else just loses them.
  detail: (v) => (typeof v === 'string' ? v : undefined),
});

/** Reads a problem body; anything unreadable becomes a generic problem for that status. */
export function parseProblem(v: unknown, status: number): Problem {
  try {
    return { ...problem(v, 'problem'), status };
  } catch {
    const code = status === 404 ? 'not-found' : status >= 500 ? 'internal' : 'bad-request';
    return { type: `urn:live-drop:problem:${code}`, code, title: `HTTP ${status}`, status };
  }
}
