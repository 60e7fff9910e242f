/**
 * Atoms that follow one piece of a drop, for applications: React's
 * `useStore(variantStock(store, 'tee', 'm'))`, Vue's, Svelte's `$` syntax.
 * Each is a nanostores `computed` view of `store.$drop`, made once per store
 * (and id) and shared; listening to one opens the drop's shared event stream
 * just as an element does. The elements read `$drop` itself, so none of this
 * is in the script-tag bundle.
 */
import { computed, type ReadableAtom } from 'nanostores';
import type { DropStore } from './drop-store.js';
import type { Drop, DropStatus, FeaturedProduct, Product } from '../protocol/types.js';

const views = new WeakMap<DropStore, Map<string, ReadableAtom<unknown>>>();

function view<T>(store: DropStore, key: string, select: (drop: Drop | undefined) => T): ReadableAtom<T> {
  let ofStore = views.get(store);
  if (!ofStore) views.set(store, (ofStore = new Map()));
  let atom = ofStore.get(key) as ReadableAtom<T> | undefined;
  if (!atom) ofStore.set(key, (atom = computed(store.$drop, select)));
  return atom;
}

/** `scheduled`, `live` or `ended`; undefined until loaded. */
export const dropStatus = (store: DropStore): ReadableAtom<DropStatus | undefined> => view(store, 'status', (d) => d?.status);

/** The drop's products with their live stock; empty until loaded. */
export const dropProducts = (store: DropStore): ReadableAtom<Product[]> => view(store, 'products', (d) => d?.products ?? []);

/** The product the host features now (null: none; undefined until loaded). */
export const featuredProduct = (store: DropStore): ReadableAtom<FeaturedProduct | null | undefined> =>
  view(store, 'featured', (d) => d?.featured);

/** One product as it changes; undefined until loaded or when the drop has no such product. */
export const dropProduct = (store: DropStore, productId: string): ReadableAtom<Product | undefined> =>
  view(store, `product ${productId}`, (d) => d?.products.find((p) => p.id === productId));

/** Units of one variant available now; undefined until loaded or when unknown. */
export const variantStock = (store: DropStore, productId: string, variantId: string): ReadableAtom<number | undefined> =>
  view(
    store,
    `stock ${productId}/${variantId}`,
    (d) => d?.products.find((p) => p.id === productId)?.variants.find((v) => v.id === variantId)?.available,
  );

/** Units available of every variant, by `productId/variantId`. */
export const dropStock = (store: DropStore): ReadableAtom<Record<string, number>> =>
  view(store, 'stock', (d) => {
    const stock: Record<string, number> = {};
    for (const p of d?.products ?? []) for (const v of p.variants) stock[`${p.id}/${v.id}`] = v.available;
    return stock;
  });
