/**
 * The host's side of the protocol, for browser tests: a fresh drop per test
 * and the levers a host pulls during a show (start, end, feature, stock).
 * Talks plain HTTP to the reference server, like the host console would.
 */
import { parseDrop } from '../../src/protocol/parse.js';
import { parseReservation } from '../../src/protocol/parse-reservation.js';
import { joinUrl, routes } from '../../src/protocol/routes.js';
import type { Drop, DropInput, ProductInput, Reservation, SalesReport } from '../../src/protocol/types.js';
import { testBackend, type TestBackend } from './backend.js';

/** One request to the reference server as the host (or as `token`); throws with the status and body unless it is 2xx. */
export async function hostCall<T>(
  backend: TestBackend,
  method: string,
  path: string,
  body?: unknown,
  token = backend.hostToken,
): Promise<T> {
  const res = await fetch(joinUrl(backend.url, path), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

let serial = 0;
const uniqueId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(serial++).toString(36)}`;

/** One product with sizes S, M, L and the given stock per size. */
export function productInput(
  id = 'tee',
  stock: Record<string, number> = { s: 10, m: 10, l: 10 },
  extra: Partial<ProductInput> = {},
): ProductInput {
  return {
    id,
    title: 'Signal Tee',
    description: 'Boxy heavyweight tee with a glow-in-the-dark signal print.',
    images: [{ url: 'media/tee-signal.svg', alt: 'Black tee with a green signal print' }],
    prices: [
      { currency: 'USD', amount: 4500 },
      { currency: 'EUR', amount: 4200 },
    ],
    variants: Object.entries(stock).map(([v, n]) => ({ id: v, label: v.toUpperCase(), stock: n })),
    limitPerCustomer: 2,
    ...extra,
  };
}

export interface TestDrop {
  backend: TestBackend;
  drop: Drop;
  id: string;
  start(): Promise<Drop>;
  end(): Promise<Drop>;
  feature(productId: string | null): Promise<unknown>;
  setStock(productId: string, variantId: string, available: number): Promise<unknown>;
  patch(patch: Partial<DropInput>): Promise<Drop>;
  /** Confirms a held reservation as the host (what a site's checkout does after payment). */
  confirm(reservationId: string): Promise<unknown>;
  /** Every reservation of the drop, newest first. */
  reservations(): Promise<Reservation[]>;
  sales(): Promise<SalesReport>;
}

/**
 * A fresh drop on the test server. Defaults: live now (started), one tee in
 * S/M/L with 10 each; pass `startsAt` in the future for a scheduled drop.
 */
export async function createDrop(input: Partial<DropInput> & { live?: boolean; backend?: TestBackend } = {}): Promise<TestDrop> {
  const { live = input.startsAt === undefined, backend = await testBackend(), ...rest } = input;
  const body: DropInput = {
    id: uniqueId('t'),
    title: 'Test Drop',
    brand: 'KAIRO',
    startsAt: (await serverTime(backend)) + 3_600_000,
    products: [productInput()],
    ...rest,
  };
  const drop = parseDrop(await hostCall(backend, 'POST', routes.host.drops(), body));
  const id = drop.id;
  const t: TestDrop = {
    backend,
    drop,
    id,
    start: async () => (t.drop = parseDrop(await hostCall(backend, 'POST', routes.host.start(id)))),
    end: async () => (t.drop = parseDrop(await hostCall(backend, 'POST', routes.host.end(id)))),
    feature: (productId) => hostCall(backend, 'POST', routes.host.feature(id), { productId }),
    setStock: (productId, variantId, available) => hostCall(backend, 'PUT', routes.host.stock(id, productId, variantId), { available }),
    patch: async (patch) => (t.drop = parseDrop(await hostCall(backend, 'PATCH', routes.host.drop(id), patch))),
    confirm: (reservationId) => hostCall(backend, 'POST', routes.confirm(reservationId)),
    reservations: async () => (await hostCall<unknown[]>(backend, 'GET', routes.host.reservations(id))).map((r) => parseReservation(r)),
    sales: () => hostCall<SalesReport>(backend, 'GET', routes.host.sales(id)),
  };
  if (live) await t.start();
  return t;
}

/** Another visitor, buying through the HTTP API while the page under test watches. */
export async function otherShopper(backend?: TestBackend) {
  const b = backend ?? (await testBackend());
  const { shopperToken } = await hostCall<{ shopperToken: string }>(b, 'POST', routes.shoppers());
  return {
    shopperToken,
    async reserve(dropId: string, productId: string, variantId: string, quantity = 1): Promise<Reservation> {
      const res = await fetch(joinUrl(b.url, routes.reservations(dropId)), {
        method: 'POST',
        headers: { authorization: `Bearer ${shopperToken}`, 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
        body: JSON.stringify({ productId, variantId, quantity }),
      });
      if (!res.ok) throw new Error(`reserve → ${res.status}: ${await res.text()}`);
      return parseReservation(await res.json());
    },
    /** Reserves and pays at once (the site confirms with the host token): the units are gone for good. */
    async buy(dropId: string, productId: string, variantId: string, quantity = 1) {
      const reservation = await this.reserve(dropId, productId, variantId, quantity);
      return hostCall(b, 'POST', routes.confirm(reservation.id));
    },
  };
}

/** The server's clock now, estimated from one round trip (tests must not trust the page's clock). */
export async function serverTime(backend?: TestBackend): Promise<number> {
  const b = backend ?? (await testBackend());
  const sent = performance.now();
  const res = await fetch(joinUrl(b.url, routes.time()), { cache: 'no-store' });
  const { now } = (await res.json()) as { now: number };
  return Math.round(now + (performance.now() - sent) / 2);
}
