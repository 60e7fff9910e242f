/**
 * The live state of one drop, shared by every element on the page that shows
 * it. The event stream opens when the first element subscribes and closes
 * (after nanostores' short unmount delay) when the last one leaves: ten
 * cards of one drop share one connection because they share this store.
 *
 *   SSE line → parseDropEvent → reduce() → $state → computed atoms → elements
 */
import { atom, computed, onMount, type ReadableAtom } from 'nanostores';
import { apiClient } from './api-client.js';
import { sharedBy } from './shared-instances.js';
import { openDropStream, type ConnectionState } from './event-stream.js';
import type { Drop, DropEvent, DropEventMap, Product, ReactionKind } from '../protocol/types.js';

export type { ConnectionState } from './event-stream.js';

interface DropState {
  drop?: Drop;
  viewers?: number;
  reactions?: DropEventMap['reactions'];
  connection: ConnectionState;
  error?: Error;
}

/** Applies one event to the drop: a snapshot wholesale, the others as patches. */
export function reduceDrop(drop: Drop | undefined, event: DropEvent): Drop | undefined {
  if (event.type === 'snapshot') return event.data;
  if (!drop) return drop;
  switch (event.type) {
    case 'stock': {
      const levels = new Map(event.data.levels.map((l) => [`${l.productId}/${l.variantId}`, l.available]));
      return {
        ...drop,
        products: drop.products.map((p) => ({
          ...p,
          variants: p.variants.map((v) => ({ ...v, available: levels.get(`${p.id}/${v.id}`) ?? v.available })),
        })),
      };
    }
    case 'featured': {
      const featured = event.data.productId ? { productId: event.data.productId, at: event.data.at } : null;
      return { ...drop, featured, featuredHistory: featured ? [...drop.featuredHistory, featured] : drop.featuredHistory };
    }
    case 'status':
      return { ...drop, status: event.data.status, startsAt: event.data.startsAt, endsAt: event.data.endsAt, stream: event.data.stream ?? drop.stream };
    default:
      return drop;
  }
}

export class DropStore {
  readonly #state = atom<DropState>({ connection: 'connecting' });
  #close: (() => void) | undefined;

  readonly $drop: ReadableAtom<Drop | undefined>;
  readonly $products: ReadableAtom<Product[]>;
  readonly $viewers: ReadableAtom<number | undefined>;
  /** The latest aggregated reaction counts. */
  readonly $reactions: ReadableAtom<DropEventMap['reactions'] | undefined>;
  readonly $connection: ReadableAtom<ConnectionState>;
  /** The latest error: fatal when `$connection` is `error`, else a skipped malformed event. */
  readonly $error: ReadableAtom<Error | undefined>;
  /** Units available by `productId/variantId`. */
  readonly $stock: ReadableAtom<Record<string, number>>;

  constructor(
    readonly backend: string,
    readonly dropId: string,
  ) {
    const $s = this.#state;
    /** One field of the state as an atom of its own, so each element re-renders only for what it shows. */
    const field = <K extends keyof DropState>(key: K) => computed($s, (s) => s[key]);
    this.$drop = field('drop');
    this.$viewers = field('viewers');
    this.$reactions = field('reactions');
    this.$connection = field('connection');
    this.$error = field('error');
    this.$products = computed(this.$drop, (d) => d?.products ?? []);
    this.$stock = computed(this.$drop, (d) => {
      const stock: Record<string, number> = {};
      for (const p of d?.products ?? []) for (const v of p.variants) stock[`${p.id}/${v.id}`] = v.available;
      return stock;
    });
    onMount($s, () => {
      this.#connect();
      return () => {
        this.#close?.();
        this.#close = undefined;
      };
    });
  }

  #patch(patch: Partial<DropState>) {
    this.#state.set({ ...this.#state.get(), ...patch });
  }

  #connect() {
    this.#close = openDropStream(this.backend, this.dropId, {
      event: (event) => {
        if (event.type === 'viewers') this.#patch({ viewers: event.data.count });
        else if (event.type === 'reactions') this.#patch({ reactions: event.data });
        else if (event.type === 'snapshot') this.#patch({ drop: event.data, error: undefined });
        else this.#patch({ drop: reduceDrop(this.#state.get().drop, event) });
      },
      state: (connection) => this.#patch({ connection }),
      error: (error, fatal) => {
        if (!fatal) console.warn(`[live-drop] skipped a malformed event of drop "${this.dropId}":`, error.message);
        // Say it once per outage, not on every background retry.
        else if (!this.#state.get().error) console.error(`[live-drop] could not load drop "${this.dropId}" from ${this.backend}: ${error.message}`);
        this.#patch({ error });
      },
    });
  }

  /** Units of a variant available now (undefined until loaded or when unknown); one atom per variant. */
  readonly stock = sharedBy((productId: string, variantId: string): ReadableAtom<number | undefined> =>
    computed(this.$stock, (s) => s[`${productId}/${variantId}`]),
  );

  /** Sends a viewer's reaction. A lost one is not worth an error message: the next tap sends another. */
  react(kind: ReactionKind): Promise<void> {
    return apiClient(this.backend)
      .react(this.dropId, kind)
      .catch(() => undefined);
  }

  /** Starts over after an error (the Retry button), if anyone is listening. */
  retry(): void {
    if (!this.#close) return;
    this.#close();
    this.#patch({ connection: 'connecting', error: undefined });
    this.#connect();
  }
}

/** The shared store of one drop on one backend. */
export const dropStore = sharedBy((backend: string, dropId: string) => new DropStore(backend, dropId));
