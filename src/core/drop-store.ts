/**
 * The live state of one drop, shared by every element on the page that shows
 * it. The event stream opens when the first element subscribes and closes
 * (after nanostores' short unmount delay) when the last one leaves: ten
 * cards of one drop share one connection because they share this store.
 *
 *   SSE line → parseDropEvent → reduceDrop() → one state atom → computed views $drop, $featured, $reactions, … → elements
 *   (and drop-views.ts for apps)
 */
import { atom, computed, onMount, type ReadableAtom } from 'nanostores';
import { sharedBy } from './shared-instances.js';
import { openDropStream, type ConnectionState } from './event-stream.js';
import type { Drop, DropEvent, DropEventMap } from '../protocol/types.js';

export type { ConnectionState } from './event-stream.js';

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
      const { productId, at } = event.data;
      const featured = productId ? { productId, at } : null;
      return { ...drop, featured, featuredHistory: featured ? [...drop.featuredHistory, featured] : drop.featuredHistory };
    }
    case 'line':
      return drop.queue ? { ...drop, queue: { ...drop.queue, ...event.data } } : drop;
    case 'status':
      return {
        ...drop,
        status: event.data.status,
        startsAt: event.data.startsAt,
        endsAt: event.data.endsAt,
        stream: event.data.stream ?? drop.stream,
      };
    default:
      return drop;
  }
}

/** One change of the featured product at the server's moment `at`; `productId` null: nothing featured from then on. */
export type FeaturedChange = DropEventMap['featured'];

interface DropState {
  drop?: Drop;
  featured: readonly FeaturedChange[];
  viewers?: number;
  reactions: Readonly<Record<string, number>>;
  connection: ConnectionState;
  error?: Error;
  raw?: MessageEvent<string>;
}

export class DropStore {
  // One source: its first listener (through any view below) opens the stream, which closes when the last has left.
  readonly #state = atom<DropState>({ featured: [], reactions: {}, connection: 'connecting' });
  #close: (() => void) | undefined;

  // Each view changes only with its piece, so each element re-renders only for what it shows.
  readonly $drop: ReadableAtom<Drop | undefined> = this.#view('drop');
  /**
   * The `featured` events this page received, each at the server's `at`, clears included (`productId` null): with
   * the drop's `featuredHistory`, which has no clears, the timeline the player shows products by.
   */
  readonly $featured: ReadableAtom<readonly FeaturedChange[]> = this.#view('featured');
  readonly $viewers: ReadableAtom<number | undefined> = this.#view('viewers');
  /** Every reaction since this page opened the stream, summed by kind: no event's counts are lost, however late a reader looks. */
  readonly $reactions: ReadableAtom<Readonly<Record<string, number>>> = this.#view('reactions');
  readonly $connection: ReadableAtom<ConnectionState> = this.#view('connection');
  /** The latest error: fatal when `$connection` is `error`, else a skipped malformed event. */
  readonly $error: ReadableAtom<Error | undefined> = this.#view('error');
  /** The latest message of the stream as it came (its `type` and `data`): the chat's chunk reads its events from here. */
  readonly $raw: ReadableAtom<MessageEvent<string> | undefined> = this.#view('raw');

  constructor(
    readonly backend: string,
    readonly dropId: string,
  ) {
    onMount(this.#state, () => {
      this.#connect();
      return () => {
        this.#close?.();
        this.#close = undefined;
      };
    });
  }

  #view<K extends keyof DropState>(key: K): ReadableAtom<DropState[K]> {
    return computed(this.#state, (state) => state[key]);
  }

  #set(patch: Partial<DropState>) {
    this.#state.set({ ...this.#state.get(), ...patch });
  }

  #connect() {
    this.#close = openDropStream(this.backend, this.dropId, {
      event: (event) => {
        const { drop, featured, reactions } = this.#state.get();
        if (event.type === 'viewers') this.#set({ viewers: event.data.count });
        else if (event.type === 'reactions') {
          const sums = { ...reactions };
          for (const kind in event.data.counts) sums[kind] = (sums[kind] ?? 0) + event.data.counts[kind];
          this.#set({ reactions: sums });
        } else
          this.#set({
            drop: reduceDrop(drop, event),
            featured: event.type === 'featured' ? [...featured, event.data] : featured,
            // A snapshot is the whole truth again: a skipped event's error no longer matters.
            ...(event.type === 'snapshot' && { error: undefined }),
          });
      },
      state: (connection) => this.#set({ connection }),
      raw: (raw) => this.#set({ raw }),
      error: (error, fatal) => {
        if (!fatal) console.warn(`[live-drop] skipped an event of drop "${this.dropId}":`, error);
        // Say it once per outage, not on every background retry.
        else if (!this.#state.get().error)
          console.error(`[live-drop] could not load drop "${this.dropId}" from ${this.backend}: ${error.message}`);
        this.#set({ error });
      },
    });
  }

  /** Starts over after an error (the Retry button), if anyone is listening. */
  retry(): void {
    if (!this.#close) return;
    this.#close();
    this.#set({ connection: 'connecting', error: undefined });
    this.#connect();
  }
}

/** The shared store of one drop on one backend. */
export const dropStore = sharedBy((backend: string, dropId: string) => new DropStore(backend, dropId));
