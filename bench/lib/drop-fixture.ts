/** Creates the drops and shoppers the benchmarks and fault tests load, through the host API. */
import { randomUUID } from 'node:crypto';
import { routes } from '../../src/protocol/routes.js';
import type { Drop, DropInput, ProductInput, ShopperSession } from '../../src/protocol/types.js';
import { loopbackAddress } from '../../test/support/loopback.js';
import type { HttpClient } from './http-client.js';

export interface RushDropOptions {
  /** Total units on sale, spread as evenly as possible over the variants. */
  stock: number;
  variants: number;
  /** Most units one shopper may hold (default: no practical limit). */
  limitPerCustomer?: number;
  /** Live now (default) or scheduled at this time. */
  startsAt?: number;
  /** How long a reservation holds stock (default: the server's). */
  holdMs?: number;
}

export interface RushDrop {
  drop: Drop;
  /** Every variant on sale with its initial stock. */
  variants: { productId: string; variantId: string; stock: number }[];
}

/** One product with `variants` sizes holding `stock` units in all, already started. */
export async function createRushDrop(client: HttpClient, hostToken: string, o: RushDropOptions): Promise<RushDrop> {
  const variants = Array.from({ length: o.variants }, (_, i) => ({
    productId: 'sneaker',
    variantId: `v${i + 1}`,
    stock: Math.floor(o.stock / o.variants) + (i < o.stock % o.variants ? 1 : 0),
  }));
  const product: ProductInput = {
    id: 'sneaker',
    title: 'Rush sneaker',
    prices: [{ currency: 'USD', amount: 8900 }],
    variants: variants.map((v) => ({ id: v.variantId, label: v.variantId.toUpperCase(), stock: v.stock })),
    limitPerCustomer: o.limitPerCustomer ?? 1000,
  };
  const drop = await createDrop(client, hostToken, {
    title: 'Rush',
    startsAt: o.startsAt ?? Date.now() - 1000,
    products: [product],
    ...(o.holdMs ? { holdMs: o.holdMs } : {}),
  });
  if (o.startsAt === undefined) await client.json('POST', routes.host.start(drop.id), { token: hostToken });
  return { drop, variants };
}

export function createDrop(client: HttpClient, hostToken: string, input: Omit<DropInput, 'id'>): Promise<Drop> {
  return client.json<Drop>('POST', routes.host.drops(), { token: hostToken, body: { id: `d-${randomUUID()}`, ...input } });
}

/**
 * `n` shopper tokens, created `parallel` at a time. A creation that fails
 * (a 408 when a loaded machine leaves a fresh connection's headers unread
 * too long, a reset) is tried again, up to three times.
 * Shopper i asks from `loopbackAddress(i)` and should reserve from there too (bench/lib/rush.ts does).
 */
export async function createShoppers(client: HttpClient, n: number, parallel = 64): Promise<string[]> {
  const tokens: string[] = new Array(n);
  let next = 0;
  const create = async (localAddress: string, tries = 3): Promise<string> => {
    try {
      return (await client.json<ShopperSession>('POST', routes.shoppers(), { localAddress })).shopperToken;
    } catch (error) {
      if (tries <= 1) throw error;
      await new Promise((r) => setTimeout(r, 200));
      return create(localAddress, tries - 1);
    }
  };
  const worker = async () => {
    while (next < n) {
      const i = next++;
      tokens[i] = await create(loopbackAddress(i));
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, n) }, worker));
  return tokens;
}
