/**
 * Calls of the protocol that the script-tag module does not make on load, as
 * plain functions rather than `ApiClient` methods: a bundler drops a function
 * nobody imports, but never a method (the modular style of Firebase's v9 SDK,
 * for the same reason). The reservations ride in the card's reservation
 * chunk (reservation-actions.ts), fetched when a page may reserve; a
 * viewer's reaction is in reactions.ts, in the player's chunk. (Confirming a
 * sale is not here: only the site's server may, with the host token or the
 * confirm key.)
 */
import { apiClient } from './api-client.js';
import { clientRoutes } from '../protocol/routes.js';
import { parseReservation } from '../protocol/parse.js';
import type { Reservation, ReserveRequest } from '../protocol/types.js';

/** Holds stock for the shopper; the idempotency key makes repeating it safe. */
export function reserve(backend: string, dropId: string, req: ReserveRequest, idempotencyKey: string, token: string): Promise<Reservation> {
  return apiClient(backend).request(clientRoutes.reservations(dropId), { method: 'POST', body: req, idempotencyKey, token, parse: parseReservation });
}

export function getReservation(backend: string, id: string, token: string): Promise<Reservation> {
  return apiClient(backend).request(clientRoutes.reservation(id), { token, parse: parseReservation });
}

/** Releases a held reservation. */
export function cancelReservation(backend: string, id: string, token: string): Promise<Reservation> {
  return apiClient(backend).request(clientRoutes.reservation(id), { method: 'DELETE', token, parse: parseReservation });
}
