/**
 * The shopper's holds in one drop, by product: the actions a card's buttons
 * call (reserve, release, expire) and the state they render. Reserving sends
 * one idempotency key per intent; the API client repeats it on network
 * failure, and a second click after a lost answer or a server error reuses it, so the
 * server makes at most one reservation however often the answer is lost.
 * Held reservations are remembered for the tab, so a reload (say, on the
 * way to checkout) shows the hold again instead of a free item.
 */
import { atom, type ReadableAtom } from 'nanostores';
import { ApiError, apiClient, newIdempotencyKey, sleep, type ApiClient } from './api-client.js';
import { backendUrl } from './config.js';
import { sharedBy } from './shared-instances.js';
import { readTab, writeTab } from './tab-storage.js';
import { forgetShopper, shopperToken } from './shopper-session.js';
import type { DropEventDetails } from './events.js';
import { ID_PATTERN } from '../protocol/parse.js';
import type { Reservation, ReserveRequest } from '../protocol/types.js';

export type Hold =
  | { phase: 'reserving'; variantId: string }
  | { phase: 'held'; reservation: Reservation }
  | { phase: 'expired'; reservation: Reservation }
  | { phase: 'failed'; variantId: string; error: Error };

export class ReservationStore {
  readonly #holds = atom<Record<string, Hold | undefined>>({});
  /** The current hold of each product, by product id; absent (or undefined) means none. */
  readonly $holds: ReadableAtom<Record<string, Hold | undefined>> = this.#holds;
  /** Keys of reservations sent but not answered, by `productId/variantId`. */
  readonly #pendingKeys = new Map<string, string>();

  constructor(
    readonly backend: string,
    readonly dropId: string,
  ) {
    const key = `live-drop:holds:${backend} ${dropId}`;
    // Ids are separated by spaces, which an id never contains; what is not an id (an older format) is skipped.
    void this.#restore(readTab(key)?.split(' ').filter((id) => ID_PATTERN.test(id)) ?? []);
    this.$holds.listen((holds) => {
      const held = Object.values(holds).flatMap((h) => (h?.phase === 'held' ? [h.reservation.id] : []));
      writeTab(key, held.join(' ') || null);
    });
  }

  /** Calls the backend on the shopper's behalf (their session is made on first use). */
  async #call<T>(send: (api: ApiClient, token: string) => Promise<T>): Promise<T> {
    return send(apiClient(this.backend), await shopperToken(this.backend));
  }

  #set(productId: string, hold?: Hold) {
    this.#holds.set({ ...this.#holds.get(), [productId]: hold });
  }

  /** The product's reservation while it is held. */
  #held(productId: string): Reservation | undefined {
    const hold = this.$holds.get()[productId];
    return hold?.phase === 'held' ? hold.reservation : undefined;
  }

  async #restore(ids: string[]) {
    for (const id of ids) {
      const reservation = await this.#call((api, token) => api.getReservation(id, token)).catch(() => undefined);
      if (reservation?.status === 'held' && !this.$holds.get()[reservation.productId])
        this.#set(reservation.productId, { phase: 'held', reservation });
    }
  }

  async reserve(productId: string, variantId: string, quantity = 1): Promise<Reservation | undefined> {
    this.#set(productId, { phase: 'reserving', variantId });
    try {
      const reservation = await this.#send({ productId, variantId, quantity });
      this.#set(productId, { phase: 'held', reservation });
      return reservation;
    } catch (error) {
      const failed: Hold = { phase: 'failed', variantId, error: error as Error };
      this.#set(productId, failed);
      // Too many tries from this address (429): the card says so, and tries again when the server allows, unless the shopper moved on.
      if ((error as ApiError).retryAfter) {
        await sleep(+(error as ApiError).retryAfter! * 1000);
        if (this.$holds.get()[productId] === failed) return this.reserve(productId, variantId, quantity);
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
  async #send(req: ReserveRequest, attempt = 0): Promise<Reservation> {
    const intent = `${req.productId}/${req.variantId}`;
    const key = this.#pendingKeys.get(intent) ?? newIdempotencyKey();
    this.#pendingKeys.set(intent, key);
    try {
      const reservation = await this.#call((api, token) => api.reserve(this.dropId, req, key, token));
      this.#pendingKeys.delete(intent);
      return reservation;
    } catch (error) {
      if (!(error instanceof ApiError) || error.status > 499) throw error;
      this.#pendingKeys.delete(intent);
      if (attempt >= 3) throw error;
      if (error.status === 401) forgetShopper(this.backend);
      else if (error.code === 'drop-not-started') await sleep(250 * (attempt + 1));
      else throw error;
      return this.#send(req, attempt + 1);
    }
  }

  /** Releases the hold; the card shows the product as available again at once. */
  async release(productId: string): Promise<void> {
    const reservation = this.#held(productId);
    if (!reservation) return;
    this.#set(productId);
    // Already expired or released elsewhere: the server frees it anyway at expiry.
    await this.#call((api, token) => api.cancel(reservation.id, token)).catch(() => undefined);
  }

  /**
   * Settles a hold whose server-time deadline passed. The site may have
   * confirmed it in the meantime (its cart, another tab): then the hold simply
   * ends; otherwise it is expired. Returns the reservation when it expired.
   */
  async expire(productId: string): Promise<Reservation | undefined> {
    const reservation = this.#held(productId);
    if (!reservation) return undefined;
    const now = await this.#call((api, token) => api.getReservation(reservation.id, token)).catch(() => undefined);
    if (this.#held(productId) !== reservation) return undefined;
    if (now && now.status !== 'held' && now.status !== 'expired') {
      this.#set(productId);
      return undefined;
    }
    this.#set(productId, { phase: 'expired', reservation });
    return reservation;
  }

  /**
   * What the site needs to take the held item to payment: the reservation,
   * the shopper's token (for the page's own scripts, never for a URL) and
   * the drop's checkout URL with the reservation id filled in.
   */
  async checkout(productId: string, urlTemplate: string | null): Promise<DropEventDetails['drop-checkout'] | undefined> {
    const reservation = this.#held(productId);
    if (!reservation) return undefined;
    const url = urlTemplate && backendUrl(this.backend, urlTemplate.replaceAll('{reservationId}', encodeURIComponent(reservation.id)));
    // The template comes from the backend: never hand a javascript: (or data:, …) URL to location.assign (an href starts with its scheme, in lower case).
    return { reservation, shopperToken: await shopperToken(this.backend), checkoutUrl: url && /^https?:/.test(url) ? url : null };
  }

  /** Forgets a finished hold or failure (e.g. "Reserve again"). */
  clear(productId: string): void {
    this.#set(productId);
  }
}

/** The shopper's holds in one drop, shared by every card of it. */
export const reservationStore = sharedBy((backend: string, dropId: string) => new ReservationStore(backend, dropId));
