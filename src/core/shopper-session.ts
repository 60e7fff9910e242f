/**
 * The anonymous shopper of this browser tab, one per backend: created on the
 * first reservation and kept in sessionStorage so a reload keeps its holds.
 */
import { createShopper } from './shopper-actions.js';
import { readTab, writeTab } from './tab-storage.js';

const sessions = new Map<string, Promise<string>>();
const storageKey = (backend: string) => `live-drop:shopper:${backend}`;

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
