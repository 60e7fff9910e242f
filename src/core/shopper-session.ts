/**
 * The anonymous shopper of this browser tab, one per backend: created on the
 * first reservation and kept in sessionStorage so a reload keeps its holds.
 */
import { apiClient } from './api-client.js';
import { parseShopperSession } from '../protocol/parse.js';
import { clientRoutes } from '../protocol/routes.js';
import type { ShopperSession } from '../protocol/types.js';
import { readTab, writeTab } from './tab-storage.js';

const sessions = new Map<string, Promise<string>>();
const storageKey = (backend: string) => `live-drop:shopper:${backend}`;

/** A new anonymous shopper session. A lost answer only costs an unused session, so retrying is safe. */
export function createShopper(backend: string): Promise<ShopperSession> {
  return apiClient(backend).request(clientRoutes.shoppers(), { method: 'POST', repeatable: true, parse: parseShopperSession });
}

export function shopperToken(backend: string): Promise<string> {
  let session = sessions.get(backend);
  if (!session) {
    const known = readTab(storageKey(backend));
    session = known
      ? Promise.resolve(known)
      : createShopper(backend).then(({ shopperToken }) => {
          writeTab(storageKey(backend), shopperToken);
          return shopperToken;
        });
    session.catch(() => sessions.delete(backend));
    sessions.set(backend, session);
  }
  return session;
}

/** Forgets a token the server no longer accepts, so the next call makes a new one. */
export function forgetShopper(backend: string): void {
  sessions.delete(backend);
  writeTab(storageKey(backend), null);
}
