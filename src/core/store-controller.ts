/**
 * Re-renders a Lit element when a nanostore changes. The store comes from a
 * function, so an element whose `backend` or `drop` attribute changes
 * follows the new store; subscriptions start on connect and end on
 * disconnect, which is what lets a drop's stream close by itself.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ReadableAtom } from 'nanostores';

export class StoreController<T> implements ReactiveController {
  #store: ReadableAtom<T> | undefined;
  #unsubscribe: (() => void) | undefined;
  #connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly select: () => ReadableAtom<T> | undefined,
  ) {
    host.addController(this);
  }

  /** The store's current value (undefined while there is no store). */
  get value(): T | undefined {
    this.#follow();
    return this.#store?.get();
  }

  hostConnected() {
    this.#connected = true;
    this.#follow();
  }

  hostDisconnected() {
    this.#connected = false;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#store = undefined;
  }

  hostUpdate() {
    this.#follow();
  }

  #follow() {
    if (!this.#connected) return;
    const store = this.select();
    if (store === this.#store) return;
    this.#unsubscribe?.();
    this.#store = store;
    this.#unsubscribe = store?.listen(() => this.host.requestUpdate());
  }
}
