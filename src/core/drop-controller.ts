/**
 * What every drop element needs from its `backend` and `drop` attributes:
 * the resolved backend (or the sentence saying what to set, logged once),
 * the shared store and clock of that drop, and re-renders when they change.
 */
import type { ReactiveController, ReactiveElement } from 'lit';
import { $config, resolveBackend, type BackendResolution } from './config.js';
import { dropStore, type ConnectionState, type DropStore } from './drop-store.js';
import { serverClock, type ServerClock } from './server-clock.js';
import { StoreController } from './store-controller.js';
import type { Drop } from '../protocol/types.js';

export interface DropHost extends ReactiveElement {
  backend: string | null;
  drop: string | null;
}

const logged = new Set<string>();

export class DropController implements ReactiveController {
  readonly #drop: StoreController<Drop | undefined>;
  readonly #connection: StoreController<ConnectionState>;
  readonly #error: StoreController<Error | undefined>;
  readonly #offset: StoreController<number | undefined>;

  constructor(
    private readonly host: DropHost,
    private readonly tag: string,
    /** Whether the element needs a drop (a countdown with a fixed `target` does not). */
    private readonly needsDrop: () => boolean = () => true,
  ) {
    host.addController(this);
    // configure() may change the page's backend: re-render to resolve it again.
    new StoreController(host, () => $config);
    this.#drop = new StoreController(host, () => this.store?.$drop);
    this.#connection = new StoreController(host, () => this.store?.$connection);
    this.#error = new StoreController(host, () => this.store?.$error);
    this.#offset = new StoreController(host, () => this.clock?.$offset);
  }

  hostUpdate() {
    const error = this.configError;
    if (error && !logged.has(error)) {
      logged.add(error);
      console.error(`[live-drop] ${error}`);
    }
  }

  get resolution(): BackendResolution {
    return resolveBackend(this.host.backend, this.tag);
  }

  /** The problem with the element's setup, if any: missing backend or drop. */
  get configError(): string | undefined {
    // A countdown to a fixed target needs no backend (it counts on the visitor's clock), but a bad one is still wrong.
    if (this.resolution.error && (this.needsDrop() || this.host.backend)) return this.resolution.error;
    if (!this.host.drop && this.needsDrop()) return `<${this.tag}> needs a drop="…" attribute with the drop's id.`;
    return undefined;
  }

  get store(): DropStore | undefined {
    const { backend } = this.resolution;
    return backend && this.host.drop ? dropStore(backend, this.host.drop) : undefined;
  }

  get clock(): ServerClock | undefined {
    const { backend } = this.resolution;
    return backend ? serverClock(backend) : undefined;
  }

  get drop(): Drop | undefined {
    return this.#drop.value;
  }

  /** The error that keeps the drop from showing (a failed load), if any. */
  get fatalError(): Error | undefined {
    return this.#connection.value === 'error' ? this.#error.value : undefined;
  }

  /** Whether server time is known (the clock's first measurement is in). */
  get clockSynced(): boolean {
    return this.#offset.value !== undefined;
  }

  retry(): void {
    this.store?.retry();
  }
}
