/**
 * A viewer's reaction, the one call of the protocol that only the player
 * makes, so it rides in the player's lazy chunk (see shopper-actions.ts for
 * why calls are functions).
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
