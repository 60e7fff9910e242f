/**
 * The events the elements fire for the site to integrate or measure, one map
 * for all three elements (the base element's `emit()` is typed by it). All
 * bubble and cross shadow roots (`composed`), so one listener on `document`
 * sees every element's events.
 */
import type { ChatMessage } from '../protocol/chat.js';
import type { ReactionKind, Reservation } from '../protocol/types.js';

/** What `<live-drop-player>` shows, reflected as its `state` attribute. */
export type PlayerState = 'loading' | 'scheduled' | 'live' | 'offline' | 'ended' | 'error';

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
  /** A featured product's card slid in: the playhead reached the moment the host featured it (`playhead`: the program date-time on screen, ms). */
  'drop-featured-shown': { dropId: string; productId: string; at: number; playhead: number | null };
  /** The viewer sent a reaction. */
  'drop-reaction': { dropId: string; kind: ReactionKind };
  /** The player's state changed (`live`, `offline`, `ended`, …). */
  'drop-player-state': { dropId: string; state: PlayerState };
  /** A chat message this viewer sent (`sent`, once the server took it) or one that arrived from the stream (`received`). */
  'drop-chat-message': { dropId: string; message: ChatMessage; direction: 'sent' | 'received' };
}

export type DropEventName = keyof DropEventDetails;
export type LiveDropEvent<K extends DropEventName> = CustomEvent<DropEventDetails[K]>;

declare global {
  interface HTMLElementEventMap {
    'drop-started': LiveDropEvent<'drop-started'>;
    'drop-product-viewed': LiveDropEvent<'drop-product-viewed'>;
    'drop-variant-selected': LiveDropEvent<'drop-variant-selected'>;
    'drop-reserved': LiveDropEvent<'drop-reserved'>;
    'drop-reservation-expired': LiveDropEvent<'drop-reservation-expired'>;
    'drop-checkout': LiveDropEvent<'drop-checkout'>;
    'drop-error': LiveDropEvent<'drop-error'>;
    'drop-featured-shown': LiveDropEvent<'drop-featured-shown'>;
    'drop-reaction': LiveDropEvent<'drop-reaction'>;
    'drop-player-state': LiveDropEvent<'drop-player-state'>;
    'drop-chat-message': LiveDropEvent<'drop-chat-message'>;
  }
}
