/**
 * Calls of the protocol that the script-tag module does not make on load, as
 * plain functions rather than `ApiClient` methods: a bundler drops a function
 * nobody imports, but never a method (the modular style of Firebase's v9 SDK,
 * for the same reason). `sendReaction` is the player's, so it rides in the
 * player's lazy chunk; the shopper's session and reservations ride in the
 * card's reservation chunk (reservation-actions.ts), fetched when a page may
 * reserve. (Confirming a sale is not here: only the site's server may, with
 * the host token or the confirm key.)
 */
import { apiClient } from './api-client.js';
import { clientRoutes } from '../protocol/routes.js';
import { parseReservation, parseShopperSession } from '../protocol/parse-reservation.js';
import type { ReactionKind, Reservation, ReserveRequest, ShopperSession } from '../protocol/types.js';

/**
 * A reservation's idempotency key: 128 random bits in hex (`crypto.randomUUID` is missing on
 * plain-http pages, `getRandomValues` is not). Here, not in api-client.ts, so it rides in the reservation chunk.
 */
export function newIdempotencyKey(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((x) => x.toString(16).padStart(2, '0')).join('');
}

/** Sends a viewer's reaction to the drop. A lost one is not worth an error message: the next tap sends another. */
export function sendReaction(backend: string, dropId: string, kind: ReactionKind): Promise<void> {
  return apiClient(backend)
    .request(clientRoutes.reactions(dropId), { method: 'POST', body: { kind }, parse: () => undefined })
    .catch(() => undefined);
}

/** A new anonymous shopper session. A lost answer only costs an unused session, so retrying is safe. */
export function createShopper(backend: string): Promise<ShopperSession> {
  return apiClient(backend).request(clientRoutes.shoppers(), { method: 'POST', repeatable: true, parse: parseShopperSession });
}

/** Holds stock for the shopper; the idempotency key makes repeating it safe. */
export function reserve(backend: string, dropId: string, req: ReserveRequest, idempotencyKey: string, token: string): Promise<Reservation> {
  return apiClient(backend).request(clientRoutes.reservations(dropId), {
    method: 'POST',
    body: req,
    idempotencyKey,
    token,
    parse: parseReservation,
  });
}

export function getReservation(backend: string, id: string, token: string): Promise<Reservation> {
  return apiClient(backend).request(clientRoutes.reservation(id), { token, parse: parseReservation });
}

/** Releases a held reservation. */
export function cancelReservation(backend: string, id: string, token: string): Promise<Reservation> {
  return apiClient(backend).request(clientRoutes.reservation(id), { method: 'DELETE', token, parse: parseReservation });
}
