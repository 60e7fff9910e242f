/**
 * The shopper's holds in one drop, by product: the state a card renders and
 * the actions its buttons call (reserve, release, expire, checkout). The
 * state lives here, in the script-tag module; the actions' code (the shopper
 * session, the reservation calls, their retries) is a lazy chunk,
 * `reservation-actions.ts`, fetched at once when the tab remembers holds and
 * otherwise while the page is idle, so that the first paint does not wait
 * for code only a click needs.
 * Held reservations are remembered for the tab, so a reload (say, on the
 * way to checkout) shows the hold again instead of a free item.
 */
import { atom, type ReadableAtom } from 'nanostores';
import type { DropEventDetails } from './events.js';
import { sharedBy } from './shared-instances.js';
import { readTab, writeTab } from './tab-storage.js';
import type { Hold, HoldKeeper } from './reservation-actions.js';
import type { Reservation } from '../protocol/types.js';

export type { Hold } from './reservation-actions.js';

type Actions = typeof import('./reservation-actions.js');
let loading: Promise<Actions> | undefined;
/** The actions' chunk, fetched once. A failed fetch is tried again on the next call. */
function actions(): Promise<Actions> {
  loading ??= import('./reservation-actions.js').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

export class ReservationStore implements HoldKeeper {
  readonly #holds = atom<Record<string, Hold | undefined>>({});
  /** The current hold of each product, by product id; absent (or undefined) means none. */
  readonly $holds: ReadableAtom<Record<string, Hold | undefined>> = this.#holds;
  /** @internal Keys of reservations sent but not answered, by `productId/variantId` (reservation-actions.ts). */
  readonly pendingKeys = new Map<string, string>();

  constructor(
    readonly backend: string,
    readonly dropId: string,
  ) {
    const key = `live-drop:holds:${backend} ${dropId}`;
    const remembered = readTab(key);
    if (remembered)
      void actions().then(
        (a) => a.restore(this, remembered),
        () => undefined,
      );
    else setTimeout(() => void actions().catch(() => undefined), 1);
    this.$holds.listen((holds) => {
      const held = Object.values(holds).flatMap((h) => (h?.phase === 'held' ? [h.reservation.id] : []));
      writeTab(key, held.join(' ') || null);
    });
  }

  /** @internal Sets (or, without `hold`, clears) the product's hold. */
  set(productId: string, hold?: Hold): void {
    this.#holds.set({ ...this.#holds.get(), [productId]: hold });
  }

  /** @internal The product's reservation while it is held. */
  held(productId: string): Reservation | undefined {
    const hold = this.$holds.get()[productId];
    return hold?.phase === 'held' ? hold.reservation : undefined;
  }

  /**
   * Reserves one size. The card shows "reserving" at once; the answer (or
   * the refusal, as a `failed` hold) follows. Resolves with the reservation
   * when the stock is held.
   */
  async reserve(productId: string, variantId: string, quantity = 1): Promise<Reservation | undefined> {
    this.set(productId, { phase: 'reserving', variantId });
    try {
      return await (await actions()).reserve(this, productId, variantId, quantity);
    } catch (error) {
      // Only the chunk's own fetch gets here: the actions turn refusals into a failed hold themselves.
      this.set(productId, { phase: 'failed', variantId, error: error as Error });
    }
  }

  /** Releases the hold; the card shows the product as available again at once. */
  async release(productId: string): Promise<void> {
    const reservation = this.held(productId);
    if (!reservation) return;
    this.set(productId);
    // Already expired or released elsewhere: the server frees it anyway at expiry.
    await actions().then(
      (a) => a.release(this, reservation),
      () => undefined,
    );
  }

  /**
   * Settles a hold whose server-time deadline passed. The site may have
   * confirmed it in the meantime (its cart, another tab): then the hold simply
   * ends; otherwise it is expired. Returns the reservation when it expired.
   */
  async expire(productId: string): Promise<Reservation | undefined> {
    return (await actions().catch(() => undefined))?.expire(this, productId) ?? this.#expired(productId);
  }

  /** Marks the held reservation expired (when the server cannot be asked); returns it. */
  #expired(productId: string): Reservation | undefined {
    const reservation = this.held(productId);
    if (reservation) this.set(productId, { phase: 'expired', reservation });
    return reservation;
  }

  /**
   * What the site needs to take the held item to payment: the reservation,
   * the shopper's token (for the page's own scripts, never for a URL) and
   * the drop's checkout URL with the reservation id filled in.
   */
  async checkout(productId: string, urlTemplate: string | null): Promise<DropEventDetails['drop-checkout'] | undefined> {
    return (await actions()).checkout(this, productId, urlTemplate);
  }

  /** Forgets a finished hold or failure (e.g. "Reserve again"). */
  clear(productId: string): void {
    this.set(productId);
  }
}

/** The shopper's holds in one drop, shared by every card of it. */
export const reservationStore = sharedBy((backend: string, dropId: string) => new ReservationStore(backend, dropId));
