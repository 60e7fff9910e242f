/**
 * Calls of the protocol that the elements of the script-tag module do not
 * make, as plain functions rather than `ApiClient` methods: a bundler drops a
 * function nobody imports, but never a method (the modular style of
 * Firebase's v9 SDK, for the same reason). `sendReaction` is the player's, so
 * it rides in the player's lazy chunk; `confirmReservation` is for apps.
 */
import { apiClient, newIdempotencyKey } from './api-client.js';
import { parseOrder } from '../protocol/parse.js';
import { clientRoutes } from '../protocol/routes.js';
import type { Order, ReactionKind } from '../protocol/types.js';

/** Sends a viewer's reaction to the drop. A lost one is not worth an error message: the next tap sends another. */
export function sendReaction(backend: string, dropId: string, kind: ReactionKind): Promise<void> {
  return apiClient(backend)
    .request(clientRoutes.reactions(dropId), { method: 'POST', body: { kind }, parse: () => undefined })
    .catch(() => undefined);
}

/**
 * Confirms the shopper's own held reservation as an order (`POST
 * /v1/reservations/{id}/confirm`), e.g. from a checkout page that has the
 * `shopperToken` of the `drop-checkout` event. Retried on network failure with
 * the same idempotency key, so it confirms once.
 */
export function confirmReservation(backend: string, reservationId: string, shopperToken: string, idempotencyKey = newIdempotencyKey()): Promise<Order> {
  return apiClient(backend).request(clientRoutes.confirm(reservationId), { method: 'POST', idempotencyKey, token: shopperToken, parse: parseOrder });
}
