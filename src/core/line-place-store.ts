/**
 * The shopper's own place in a drop's waiting line, one store per (backend,
 * drop) for the page, in the line's lazy chunk. Everyone's progress comes
 * from the drop's stream (`drop.queue`, patched by `line` events); only the
 * shopper's own place is fetched (`GET`/`POST /v1/drops/:dropId/line`, the
 * drop's path plus `/line`, so the script-tag module does not carry the
 * whole route table for the chunk): on first use, on joining, and when the
 * line says something about it changed (the draw ran, admission reached it).
 */
import { atom, type ReadableAtom } from 'nanostores';
import { apiClient, errorCode } from './api-client.js';
import { sharedBy } from './shared-instances.js';
import { forgetShopper, shopperToken } from './shopper-session.js';
import { parseLinePlace } from '../protocol/parse-line.js';
import { clientRoutes } from '../protocol/routes.js';
import type { LinePlace } from '../protocol/types.js';

export class LinePlaceStore {
  readonly #place = atom<LinePlace | null | undefined>();
  readonly #busy = atom(false);
  readonly #error = atom<Error | undefined>();
  /** undefined: not known yet; null: not in the line. */
  readonly $place: ReadableAtom<LinePlace | null | undefined> = this.#place;
  readonly $busy: ReadableAtom<boolean> = this.#busy;
  readonly $error: ReadableAtom<Error | undefined> = this.#error;
  #loaded = false;

  constructor(
    readonly backend: string,
    readonly dropId: string,
  ) {}

  /** Reads the place once (a page with several cards of the drop asks once). */
  load(): void {
    if (this.#loaded) return;
    this.#loaded = true;
    void this.refresh();
  }

  refresh(): Promise<void> {
    return this.#send('GET');
  }

  join(): Promise<void> {
    return this.#send('POST');
  }

  async #send(method: 'GET' | 'POST') {
    this.#busy.set(true);
    try {
      const token = await shopperToken(this.backend);
      // Joining twice answers the place as it is, so a POST is safe to repeat.
      this.#place.set(
        await apiClient(this.backend).request(`${clientRoutes.drop(this.dropId)}/line`, {
          method,
          token,
          repeatable: true,
          parse: parseLinePlace,
        }),
      );
      this.#error.set(undefined);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'unauthorized') forgetShopper(this.backend);
      if (method === 'GET' && (code === 'not-found' || code === 'unauthorized')) this.#place.set(null);
      else this.#error.set(error as Error);
    } finally {
      this.#busy.set(false);
    }
  }
}

export const linePlaceStore = sharedBy((backend: string, dropId: string) => new LinePlaceStore(backend, dropId));
