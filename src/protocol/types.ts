/**
 * The live-drop wire format, version 1: the one source of truth for the
 * elements' API client and the reference server. `docs/protocol.md` explains
 * it in prose; `parse.ts` checks data from the network against it.
 *
 * All timestamps are integers: milliseconds since the Unix epoch (UTC).
 * All prices are integers in the currency's minor unit (cents for USD/EUR).
 */

export const PROTOCOL_VERSION = 'v1';

export type DropStatus = 'scheduled' | 'live' | 'ended';

export interface Money {
  /** ISO 4217 code, e.g. `USD`. */
  currency: string;
  /** Amount in the currency's minor unit, e.g. 8900 for $89.00. */
  amount: number;
}

export interface ProductImage {
  url: string;
  alt: string;
}

export interface Variant {
  id: string;
  /** What the shopper picks, e.g. `M`. */
  label: string;
  /** Units that can still be reserved right now. */
  available: number;
}

export interface Product {
  id: string;
  title: string;
  description: string;
  images: ProductImage[];
  /** One entry per currency the drop sells in; the first is the default. */
  prices: Money[];
  variants: Variant[];
  /** Most units of this product one shopper may hold or buy. */
  limitPerCustomer: number;
}

export interface DropStream {
  /** Live HLS playlist (any HLS URL: the reference server's, a CDN, Mux, IVS). */
  hls: string | null;
  /** Recording to replay once the show has ended. */
  replay: string | null;
  poster: string | null;
}

export interface FeaturedProduct {
  productId: string;
  /** Server wall-clock time the host featured it: align with EXT-X-PROGRAM-DATE-TIME. */
  at: number;
}

export interface Drop {
  id: string;
  title: string;
  brand: string;
  description: string;
  startsAt: number;
  endsAt: number | null;
  status: DropStatus;
  stream: DropStream;
  products: Product[];
  /** The product featured now, or null. */
  featured: FeaturedProduct | null;
  /** Every product the host featured, oldest first: the replay's timeline. */
  featuredHistory: FeaturedProduct[];
  /** Optional checkout URL template; `{reservationId}` is substituted. */
  checkoutUrl: string | null;
  /** How long a reservation holds stock, in milliseconds. */
  holdMs: number;
  /** The waiting line, when the drop has one (absent from backends without lines: none). */
  queue?: DropQueue | null;
}

// ---------------------------------------------------------------- the waiting line

/** How a drop's waiting line runs (the host sets these). */
export interface QueueSettings {
  /** How long before `startsAt` shoppers may join, in ms. */
  joinWindowMs: number;
  /** How long after `startsAt` a joiner still counts as on time; the draw runs at `startsAt + graceMs`. */
  graceMs: number;
  /** Shoppers admitted per second; null: admission follows stock (one open pass per unit available). */
  admitPerSecond: number | null;
  /** How long an admitted shopper's pass lets them reserve, in ms. */
  passMs: number;
}

/** The line's public state: the same for everyone, carried by the drop and by `line` events. */
export interface LineState {
  /** Positions 1 … `admittedThrough` have been admitted. */
  admittedThrough: number;
  /** Places in the line. */
  total: number;
  /** Shoppers admitted per second now (configured, or measured when admission follows stock). */
  rate: number;
  /** The host paused admission. */
  paused: boolean;
  /** When the draw ran (null: not yet). */
  drawnAt: number | null;
  /** The draw's seed, hex, revealed once the draw has run (null before). */
  seed: string | null;
}

export interface DropQueue extends QueueSettings, LineState {
  /** SHA-256 of the seed (hex), published before the start: the commitment. */
  commitment: string;
}

/** A shopper's own place (`GET`/`POST /v1/drops/:dropId/line`, shopper token). */
export interface LinePlace {
  /** Public id of the place: the first 32 hex digits of SHA-256("live-drop line " + dropId + " " + shopperToken). */
  placeId: string;
  joinedAt: number;
  /** Joined by `startsAt + graceMs`: in the draw. */
  onTime: boolean;
  /** 1-based; null until the draw. */
  position: number | null;
  /** Until when the pass lets this shopper reserve (null: not admitted yet). */
  passExpiresAt: number | null;
  /** The shopper reserved in this drop since being admitted (so a lapsed pass was not a missed turn). */
  reserved: boolean;
}

/** The public record of a line (`GET /v1/drops/:dropId/line/places`), from which anyone can recompute the draw. */
export interface LineRecord {
  dropId: string;
  commitment: string;
  seed: string | null;
  drawnAt: number | null;
  /** Joins at or before this time were on time. */
  cutoff: number;
  /** How many places were in the draw (positions 1 … onTime). */
  onTime: number;
  /** Every place, by position (places without one, before the draw, by arrival). */
  places: { placeId: string; position: number | null; joinedAt: number }[];
}

export interface ServerTime {
  now: number;
}

export interface ShopperSession {
  shopperToken: string;
}

export type ReservationStatus = 'held' | 'confirmed' | 'released' | 'expired';

export interface Reservation {
  id: string;
  dropId: string;
  productId: string;
  variantId: string;
  quantity: number;
  status: ReservationStatus;
  createdAt: number;
  expiresAt: number;
}

export interface ReserveRequest {
  productId: string;
  variantId: string;
  quantity: number;
}

export interface Order {
  id: string;
  reservation: Reservation;
  confirmedAt: number;
}

// ---------------------------------------------------------------- events

/** The `event:` names of the drop's Server-Sent-Events stream. */
export type DropEventType = keyof DropEventMap;

export interface StockLevel {
  productId: string;
  variantId: string;
  available: number;
}

export interface DropEventMap {
  /** The whole drop; first event of a fresh connection, and when a resume gap is too old. */
  snapshot: Drop;
  /** Latest stock of the variants that changed (coalesced: latest value wins). */
  stock: { levels: StockLevel[] };
  /** The host featured a product (`productId` null: nothing featured). */
  featured: { productId: string | null; at: number };
  /**
   * The drop's status or schedule changed. `stream` carries the drop's stream as it is now (ending a show
   * publishes its recording in `stream.replay`); optional for backends that predate it, sent by the reference server.
   */
  status: { status: DropStatus; startsAt: number; endsAt: number | null; stream?: DropStream; at: number };
  viewers: { count: number };
  /** Reactions received since the previous event of this type, by kind. */
  reactions: { counts: Record<string, number>; at: number };
  /** The waiting line moved: one message for everyone, never one per shopper. */
  line: LineState & { at: number };
}

export type DropEvent = {
  [K in DropEventType]: { id: string; type: K; data: DropEventMap[K] };
}[DropEventType];

export const REACTION_KINDS = ['heart', 'fire', 'clap'] as const;
export type ReactionKind = (typeof REACTION_KINDS)[number];

// ---------------------------------------------------------------- errors

/** Stable machine-readable error codes; `type` is `urn:live-drop:problem:<code>`. */
export type ProblemCode =
  | 'bad-request'
  | 'invalid-json'
  | 'validation-failed'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'already-exists'
  | 'method-not-allowed'
  | 'drop-not-started'
  | 'drop-ended'
  | 'sold-out'
  | 'insufficient-stock'
  | 'limit-exceeded'
  | 'reservation-not-held'
  | 'stock-below-committed'
  | 'idempotency-key-invalid'
  | 'idempotency-conflict'
  | 'unavailable'
  | 'too-many-requests'
  | 'too-many-holds'
  | 'chat-off'
  | 'slow-mode'
  | 'duplicate-message'
  | 'message-blocked'
  | 'pass-required'
  | 'line-not-open'
  | 'no-line'
  | 'internal';

/** RFC 9457 problem details, served as `application/problem+json`. */
export interface Problem {
  type: string;
  code: ProblemCode;
  title: string;
  status: number;
  detail?: string;
  /** For validation failures: which fields and why. */
  errors?: { field: string; message: string }[];
}

export const problemType = (code: ProblemCode) => `urn:live-drop:problem:${code}`;

// ---------------------------------------------------------------- host API

export interface VariantInput {
  id: string;
  label: string;
  /** Units on sale; the server's `available` starts here. */
  stock: number;
}

export interface ProductInput {
  id: string;
  title: string;
  description?: string;
  images?: ProductImage[];
  prices: Money[];
  variants: VariantInput[];
  limitPerCustomer?: number;
}

/** Body of `POST /v1/host/drops`; `PATCH` takes any subset of the top-level fields but `products`. */
export interface DropInput {
  /** Chosen by the server when absent. Letters, digits, `-` and `_`. */
  id?: string;
  title: string;
  brand?: string;
  description?: string;
  startsAt: number;
  endsAt?: number | null;
  stream?: Partial<DropStream>;
  products: ProductInput[];
  checkoutUrl?: string | null;
  holdMs?: number;
  /** A waiting line with a verifiable draw; null (in a PATCH) removes it. */
  queue?: Partial<QueueSettings> | null;
}

/** A variant's units: `available + held + sold = stock`, read in one statement. */
export interface VariantSales {
  productId: string;
  variantId: string;
  /** Units on sale in all. */
  stock: number;
  available: number;
  /** Units in `held` reservations, lapsed ones included until the server returns their units. */
  held: number;
  sold: number;
}

export interface SalesReport {
  dropId: string;
  variants: VariantSales[];
  reservations: Record<ReservationStatus, number>;
  /** Confirmed revenue per currency (price of the drop's first currency × units). */
  revenue: Money[];
}
