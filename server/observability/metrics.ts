/**
 * The server's Prometheus metrics (prom-client), recorded through the named
 * functions of `metrics` so that any layer can count what it sees without
 * knowing prom-client. Every label value comes from a fixed set (route
 * patterns, methods, status codes, reason codes, event types): never an id, a
 * token or anything a client typed, so the number of series stays bounded
 * however many drops, shoppers or hostile requests arrive.
 *
 * Recording is off until `enableMetrics()` (main does it when a metrics port
 * is configured): the helpers are then a boolean test and nothing else.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DropEventType } from '../../src/protocol/types.js';

const registry = new Registry();
let enabled = false;

/** Reservation outcomes: granted, or the problem code of the refusal. */
export const RESERVATION_OUTCOMES = [
  'granted',
  'sold-out',
  'insufficient-stock',
  'limit-exceeded',
  'drop-not-started',
  'drop-ended',
  'not-found',
  'unauthorized',
  'validation-failed',
  'idempotency-conflict',
  'rate-limited',
  'other',
] as const;
export type ReservationOutcome = (typeof RESERVATION_OUTCOMES)[number];

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const EVENT_TYPES = new Set<string>(['snapshot', 'stock', 'featured', 'status', 'viewers', 'reactions', 'chat']);
/** Route labels that are not router patterns. */
export const ROUTE_UNMATCHED = 'unmatched';

const httpRequests = new Counter({
  name: 'livedrop_http_requests_total',
  help: 'HTTP requests answered, by method, route pattern and status code.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});
const httpDuration = new Histogram({
  name: 'livedrop_http_request_duration_seconds',
  help: 'Time from a request to the end of its answer, by method and route pattern (event streams excluded: see livedrop_event_streams).',
  labelNames: ['method', 'route'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});
const reservations = new Counter({
  name: 'livedrop_reservations_total',
  help: 'Reservation requests answered, by outcome: granted, or the refusal reason (problem code). Idempotent replays are not counted again.',
  labelNames: ['outcome'] as const,
  registers: [registry],
});
const confirmations = new Counter({
  name: 'livedrop_confirmations_total',
  help: 'Reservations confirmed into orders (idempotent replays not counted again).',
  registers: [registry],
});
const streamsOpen = new Gauge({
  name: 'livedrop_event_streams',
  help: 'Event streams (SSE) open on this node.',
  registers: [registry],
});
const streamConnections = new Counter({
  name: 'livedrop_event_stream_connections_total',
  help: 'Event streams opened, by how they started: fresh (snapshot), resumed (Last-Event-ID served from the buffer) or resync (Last-Event-ID too old: snapshot).',
  labelNames: ['start'] as const,
  registers: [registry],
});
const eventsPublished = new Counter({
  name: 'livedrop_events_published_total',
  help: 'Drop events committed by this node, by event type.',
  labelNames: ['type'] as const,
  registers: [registry],
});
const eventDelivery = new Histogram({
  name: 'livedrop_event_delivery_seconds',
  help: "Delay from an event's commit (on any node) to the end of the round over this node's event streams in which the last of them was written it.",
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});
const rateLimited = new Counter({
  name: 'livedrop_rate_limited_total',
  help: 'Requests refused by the per-client rate limit (429), by limited action (shoppers, reserve, react, streams).',
  labelNames: ['route'] as const,
  registers: [registry],
});
const batchSize = new Histogram({
  name: 'livedrop_reservation_batch_size',
  help: 'Reservations handled together in one database transaction of the reservation path.',
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
  registers: [registry],
});
const draining = new Gauge({
  name: 'livedrop_draining',
  help: '1 while the node drains after SIGTERM (unready, refusing new requests), else 0.',
  registers: [registry],
});

/** What the metrics read from the database at scrape time. */
export interface DatabaseGauges {
  /** Units held by unexpired reservations, and their count. */
  activeHolds(): Promise<{ holds: number; units: number }>;
  /** Connection pool of PostgreSQL; null on PGlite (one in-process connection). */
  pool(): { total: number; idle: number; waiting: number; max: number } | null;
}

let database: DatabaseGauges | null = null;
new Gauge({
  name: 'livedrop_active_holds',
  help: 'Unexpired reservations in the held state (all drops, all nodes: read from the database at scrape time).',
  registers: [registry],
  async collect() {
    const read = await readHolds();
    if (read) this.set(read.holds);
  },
});
new Gauge({
  name: 'livedrop_active_held_units',
  help: 'Units held by unexpired reservations (all drops, all nodes; read at scrape time).',
  registers: [registry],
  async collect() {
    const read = await readHolds();
    if (read) this.set(read.units);
  },
});
new Gauge({
  name: 'livedrop_db_pool_connections',
  help: "PostgreSQL connections of this node's pool by state: in use, idle, and the configured maximum. Absent on PGlite.",
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    const pool = database?.pool();
    if (!pool) return;
    this.set({ state: 'in-use' }, pool.total - pool.idle);
    this.set({ state: 'idle' }, pool.idle);
    this.set({ state: 'max' }, pool.max);
  },
});
new Gauge({
  name: 'livedrop_db_pool_waiting',
  help: 'Queries waiting for a free PostgreSQL connection of this node. Absent on PGlite.',
  registers: [registry],
  collect() {
    const pool = database?.pool();
    if (pool) this.set(pool.waiting);
  },
});

/** Both hold gauges share one query per scrape. */
let holdsRead: Promise<{ holds: number; units: number } | null> | null = null;
function readHolds() {
  if (!database) return Promise.resolve(null);
  holdsRead ??= database
    .activeHolds()
    .catch(() => null)
    .finally(() => setTimeout(() => (holdsRead = null), 1000).unref());
  return holdsRead;
}

export function enableMetrics(db: DatabaseGauges): void {
  if (!enabled) collectDefaultMetrics({ register: registry });
  enabled = true;
  database = db;
}

export const metricsContentType = registry.contentType;
export const renderMetrics = () => registry.metrics();
/** Every metric name the server exports (the dashboard test checks queries against it). */
export const metricNames = async () => (await registry.getMetricsAsJSON()).map((m) => m.name);
/** The label names a metric is declared with (none for an unknown name). */
export const metricLabelNames = (name: string): string[] => [
  ...((registry.getSingleMetric(name) as { labelNames?: string[] } | undefined)?.labelNames ?? []),
];

const methodLabel = (method: string) => (METHODS.has(method) ? method : 'other');

/** Named recorders: call them from any layer; each is a no-op while metrics are off. */
export const metrics = {
  /** One answered request; `route` is the router pattern (or `unmatched`, `/stream/*`…), never the path. */
  httpRequest(method: string, route: string, status: number, seconds: number, isStream: boolean) {
    if (!enabled) return;
    const m = methodLabel(method);
    httpRequests.inc({ method: m, route, status: String(status) });
    if (!isStream) httpDuration.observe({ method: m, route }, seconds);
  },
  /** A reservation answered: `granted` or the refusal's problem code (codes outside the fixed set count as `other`). */
  reservation(outcome: string) {
    if (!enabled) return;
    reservations.inc({ outcome: (RESERVATION_OUTCOMES as readonly string[]).includes(outcome) ? outcome : 'other' });
  },
  confirmation() {
    if (enabled) confirmations.inc();
  },
  /** An event stream opened; call the returned function when it closes. */
  streamOpened(start: 'fresh' | 'resumed' | 'resync'): () => void {
    if (!enabled) return () => {};
    streamConnections.inc({ start });
    streamsOpen.inc();
    let open = true;
    return () => {
      if (open) streamsOpen.dec();
      open = false;
    };
  },
  eventPublished(type: DropEventType | 'chat') {
    if (enabled) eventsPublished.inc({ type: EVENT_TYPES.has(type) ? type : 'other' });
  },
  /** Called once an event was written to every open stream of this node; `committedAt` in epoch ms. */
  eventDelivered(committedAt: number, now = Date.now()) {
    if (enabled) eventDelivery.observe(Math.max(0, now - committedAt) / 1000);
  },
  /** A request refused by the rate limit; `action` is one of the limited actions (a fixed set). Called by the rate-limit layer. */
  rateLimited(action: string) {
    if (enabled) rateLimited.inc({ route: action });
  },
  /** `n` reservations handled in one transaction. Called by the batched reservation path. */
  batchSize(n: number) {
    if (enabled) batchSize.observe(n);
  },
  draining(on: boolean) {
    if (enabled) draining.set(on ? 1 : 0);
  },
};
