/**
 * The events the elements fire for the site to integrate or measure. All
 * bubble and cross shadow roots (`composed`), so one listener on `document`
 * sees every element's events.
 */
import type { Reservation } from '../protocol/types.js';

export interface DropEventDetails {
  /** The drop went live (the countdown reached zero or the server said so). */
  'drop-started': { dropId: string; startsAt: number };
  /** A product card became visible to the shopper for the first time. */
  'drop-product-viewed': { dropId: string; productId: string };
  'drop-variant-selected': { dropId: string; productId: string; variantId: string };
  /** Stock is held for the shopper until `reservation.expiresAt` (server time). */
  'drop-reserved': { reservation: Reservation };
  'drop-reservation-expired': { reservation: Reservation };
  /**
   * The shopper wants to pay. Call `preventDefault()` to take over (your cart);
   * otherwise the element opens the drop's checkout URL, if it has one.
   */
  'drop-checkout': { reservation: Reservation; shopperToken: string; checkoutUrl: string | null };
  /** Something went wrong that the element shows; `code` is a protocol problem code or `network`, `protocol`, `config`, `product-not-found`. */
  'drop-error': { code: string; message: string };
}

export type DropEventName = keyof DropEventDetails;
export type LiveDropEvent<K extends DropEventName> = CustomEvent<DropEventDetails[K]>;

/** Fires a typed `drop-*` event; returns false when a cancelable one was prevented. */
export function emit<K extends DropEventName>(target: EventTarget, name: K, detail: DropEventDetails[K], cancelable = false): boolean {
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }));
}

declare global {
  interface HTMLElementEventMap {
    'drop-started': LiveDropEvent<'drop-started'>;
    'drop-product-viewed': LiveDropEvent<'drop-product-viewed'>;
    'drop-variant-selected': LiveDropEvent<'drop-variant-selected'>;
    'drop-reserved': LiveDropEvent<'drop-reserved'>;
    'drop-reservation-expired': LiveDropEvent<'drop-reservation-expired'>;
    'drop-checkout': LiveDropEvent<'drop-checkout'>;
    'drop-error': LiveDropEvent<'drop-error'>;
  }
}
