/**
 * What a card's buttons do, in the lazy chunk that `reservation-store.ts`
 * fetches: the shopper's session and the reservation calls. Reserving sends
 * one idempotency key per intent; the API client repeats it on network
 * failure, and a second click after a lost answer or a server error reuses
 * it, so the server makes at most one reservation however often the answer
 * is lost.
 */
import type { ApiClient, ApiError } from './api-client.js';
import type { DropEventDetails } from './events.js';
import type { clientRoutes } from '../protocol/routes.js';
import type { Reservation, ReserveRequest } from '../protocol/types.js';

/**
 * What the actions use of the script-tag module, handed over by the store
 * rather than imported: a lazy chunk that imports from the entry while
 * another lazy chunk (the chat) does too made Rolldown move the shared code
 * out of the entry into a third chunk, and the script tag would no longer be
 * one module.
 */
export interface ReservationIo {
  request: ApiClient['request'];
  routes: typeof clientRoutes;
  parseReservation: (json: unknown) => Reservation;
  token(): Promise<string>;
  forgetShopper(): void;
  /** An absolute URL on the backend. */
  url(path: string): string;
  newKey(): string;
  idPattern: RegExp;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Hold =
  | { phase: 'reserving'; variantId: string }
  | { phase: 'held'; reservation: Reservation }
  | { phase: 'expired'; reservation: Reservation }
  | { phase: 'failed'; variantId: string; error: Error };

/** What the actions need of `ReservationStore` (declared here, so that only the store imports the actions). */
export interface HoldKeeper {
  readonly backend: string;
  readonly dropId: string;
  readonly $holds: { get(): Record<string, Hold | undefined> };
  readonly pendingKeys: Map<string, string>;
  readonly io: ReservationIo;
  set(productId: string, hold?: Hold): void;
  held(productId: string): Reservation | undefined;
  reserve(productId: string, variantId: string, quantity?: number): Promise<Reservation | undefined>;
}

/** Shows again the holds this tab remembers (ids separated by spaces; what is not an id, an older format, is skipped). */
export async function restore(store: HoldKeeper, remembered: string): Promise<void> {
  for (const id of remembered.split(' ').filter((id) => store.io.idPattern.test(id))) {
    const reservation = await get(store, id).catch(() => undefined);
    if (reservation?.status === 'held' && !store.$holds.get()[reservation.productId]) store.set(reservation.productId, { phase: 'held', reservation });
  }
}

export async function reserve(store: HoldKeeper, productId: string, variantId: string, quantity: number): Promise<Reservation | undefined> {
  try {
    const reservation = await send(store, { productId, variantId, quantity });
    store.set(productId, { phase: 'held', reservation });
    return reservation;
  } catch (error) {
    const failed: Hold = { phase: 'failed', variantId, error: error as Error };
    store.set(productId, failed);
    // Too many tries from this address (429): the card says so, and tries again when the server allows, unless the shopper moved on.
    if ((error as ApiError).retryAfter) {
      await sleep(+(error as ApiError).retryAfter! * 1000);
      if (store.$holds.get()[productId] === failed) return store.reserve(productId, variantId, quantity);
    }
  }
}

/**
 * Sends one reservation intent. A lost answer or a server error (5xx: a
 * gateway may time out on a reservation the server made) keeps its key for
 * the next click; a refusal (4xx) is final for its key, and the two refusals
 * that time fixes get a fresh key and another go: a forgotten shopper
 * session, and `drop-not-started` in the milliseconds around the start, when
 * this page's clock says "live" a moment before the server's timer does.
 */
async function send(store: HoldKeeper, req: ReserveRequest, attempt = 0): Promise<Reservation> {
  const intent = `${req.productId}/${req.variantId}`;
  const { io } = store;
  const key = store.pendingKeys.get(intent) ?? io.newKey();
  store.pendingKeys.set(intent, key);
  try {
    const token = await io.token();
    const reservation = await io.request(io.routes.reservations(store.dropId), { method: 'POST', body: req, idempotencyKey: key, token, parse: io.parseReservation });
    store.pendingKeys.delete(intent);
    return reservation;
  } catch (error) {
    // An ApiError (the server's answer) has a status; a network failure has none.
    if (!((error as ApiError).status <= 499)) throw error;
    store.pendingKeys.delete(intent);
    if (attempt >= 3) throw error;
    if ((error as ApiError).status === 401) io.forgetShopper();
    else if ((error as ApiError).code === 'drop-not-started') await sleep(250 * (attempt + 1));
    else throw error;
    return send(store, req, attempt + 1);
  }
}

async function get(store: HoldKeeper, id: string): Promise<Reservation> {
  const { io } = store;
  return io.request(io.routes.reservation(id), { token: await io.token(), parse: io.parseReservation });
}

/** Cancels a reservation the card no longer shows as held. */
export async function release(store: HoldKeeper, reservation: Reservation): Promise<void> {
  const { io } = store;
  await io.request(io.routes.reservation(reservation.id), { method: 'DELETE', token: await io.token(), parse: io.parseReservation });
}

/** See `ReservationStore.expire` (reservation-store.ts). */
export async function expire(store: HoldKeeper, productId: string): Promise<Reservation | undefined> {
  const reservation = store.held(productId);
  if (!reservation) return undefined;
  const now = await get(store, reservation.id).catch(() => undefined);
  if (store.held(productId) !== reservation) return undefined;
  if (now && now.status !== 'held' && now.status !== 'expired') {
    store.set(productId);
    return undefined;
  }
  store.set(productId, { phase: 'expired', reservation });
  return reservation;
}

/** See `ReservationStore.checkout` (reservation-store.ts). */
export async function checkout(store: HoldKeeper, productId: string, urlTemplate: string | null): Promise<DropEventDetails['drop-checkout'] | undefined> {
  const reservation = store.held(productId);
  if (!reservation) return undefined;
  const url = urlTemplate && store.io.url(urlTemplate.replaceAll('{reservationId}', encodeURIComponent(reservation.id)));
  // The template comes from the backend: never hand a javascript: (or data:, …) URL to location.assign (an href starts with its scheme, in lower case).
  return { reservation, shopperToken: await store.io.token(), checkoutUrl: url && /^https?:/.test(url) ? url : null };
}
