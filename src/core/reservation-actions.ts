/**
 * What a card's buttons do, in the lazy chunk that `reservation-store.ts`
 * fetches: the shopper's session and the reservation calls. Reserving sends
 * one idempotency key per intent; the API client repeats it on network
 * failure, and a second click after a lost answer or a server error reuses
 * it, so the server makes at most one reservation however often the answer
 * is lost.
 */
import { ApiError, sleep } from './api-client.js';
import { backendUrl } from './config.js';
import type { DropEventDetails } from './events.js';
import { cancelReservation, getReservation, newIdempotencyKey, reserve as sendReservation } from './shopper-actions.js';
import { forgetShopper, shopperToken } from './shopper-session.js';
import { ID_PATTERN } from '../protocol/parse.js';
import type { Reservation, ReserveRequest } from '../protocol/types.js';

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
  set(productId: string, hold?: Hold): void;
  held(productId: string): Reservation | undefined;
  reserve(productId: string, variantId: string, quantity?: number): Promise<Reservation | undefined>;
}

/** Shows again the holds this tab remembers (ids separated by spaces; what is not an id, an older format, is skipped). */
export async function restore(store: HoldKeeper, remembered: string): Promise<void> {
  for (const id of remembered.split(' ').filter((id) => ID_PATTERN.test(id))) {
    const reservation = await getReservation(store.backend, id, await shopperToken(store.backend)).catch(() => undefined);
    if (reservation?.status === 'held' && !store.$holds.get()[reservation.productId])
      store.set(reservation.productId, { phase: 'held', reservation });
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
  const key = store.pendingKeys.get(intent) ?? newIdempotencyKey();
  store.pendingKeys.set(intent, key);
  try {
    const reservation = await sendReservation(store.backend, store.dropId, req, key, await shopperToken(store.backend));
    store.pendingKeys.delete(intent);
    return reservation;
  } catch (error) {
    if (!(error instanceof ApiError) || error.status > 499) throw error;
    store.pendingKeys.delete(intent);
    if (attempt >= 3) throw error;
    if (error.status === 401) forgetShopper(store.backend);
    else if (error.code === 'drop-not-started') await sleep(250 * (attempt + 1));
    else throw error;
    return send(store, req, attempt + 1);
  }
}

/** Cancels a reservation the card no longer shows as held. */
export async function release(store: HoldKeeper, reservation: Reservation): Promise<void> {
  await cancelReservation(store.backend, reservation.id, await shopperToken(store.backend));
}

/** See `ReservationStore.expire` (reservation-store.ts). */
export async function expire(store: HoldKeeper, productId: string): Promise<Reservation | undefined> {
  const reservation = store.held(productId);
  if (!reservation) return undefined;
  const now = await shopperToken(store.backend)
    .then((token) => getReservation(store.backend, reservation.id, token))
    .catch(() => undefined);
  if (store.held(productId) !== reservation) return undefined;
  if (now && now.status !== 'held' && now.status !== 'expired') {
    store.set(productId);
    return undefined;
  }
  store.set(productId, { phase: 'expired', reservation });
  return reservation;
}

/** See `ReservationStore.checkout` (reservation-store.ts). */
export async function checkout(
  store: HoldKeeper,
  productId: string,
  urlTemplate: string | null,
): Promise<DropEventDetails['drop-checkout'] | undefined> {
  const reservation = store.held(productId);
  if (!reservation) return undefined;
  const url = urlTemplate && backendUrl(store.backend, urlTemplate.replaceAll('{reservationId}', encodeURIComponent(reservation.id)));
  // The template comes from the backend: never hand a javascript: (or data:, …) URL to location.assign (an href starts with its scheme, in lower case).
  return { reservation, shopperToken: await shopperToken(store.backend), checkoutUrl: url && /^https?:/.test(url) ? url : null };
}
