/**
 * Calls of the protocol that the elements of the script-tag module do not
 * make, as plain functions rather than `ApiClient` methods: a bundler drops a
 * function nobody imports, but never a method (the modular style of
 * Firebase's v9 SDK, for the same reason). `sendReaction` is the player's, so
 * it rides in the player's lazy chunk. (Confirming a sale is not here: only
 * the site's server may, with the host token or the confirm key.)
 */
import { apiClient } from './api-client.js';
import { clientRoutes } from '../protocol/routes.js';
import type { ReactionKind } from '../protocol/types.js';

/** Sends a viewer's reaction to the drop. A lost one is not worth an error message: the next tap sends another. */
export function sendReaction(backend: string, dropId: string, kind: ReactionKind): Promise<void> {
  return apiClient(backend)
    .request(clientRoutes.reactions(dropId), { method: 'POST', body: { kind }, parse: () => undefined })
    .catch(() => undefined);
}
