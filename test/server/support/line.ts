/** Shoppers in a waiting line, for the line's tests and benches. */
import { loopbackAddress } from '../../support/loopback.js';
import type { Api } from './api-client.js';

export interface Shopper {
  token: string;
  /** The loopback source address it always comes from. */
  from: string;
}

/** Runs `work(i)` for i in 0 … n−1, `parallel` at a time. */
export async function pool<T>(n: number, parallel: number, work: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, n) }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await work(i);
      }
    }),
  );
  return out;
}

/** `n` new shoppers, the i-th from loopback address `offset + i` (so per-address limits stay at their defaults). */
export const newShoppers = (api: Api, n: number, parallel = 32, offset = 0): Promise<Shopper[]> =>
  pool(n, parallel, async (i) => {
    const from = loopbackAddress(offset + i);
    return { token: await api.newShopper(from), from };
  });

/** Joins the drop's line for each shopper; returns their places (throws on anything but 201). */
export const joinLine = (api: Api, dropId: string, who: Shopper[], parallel = 32) =>
  pool(who.length, parallel, async (i) => {
    const res = await api.call('POST', `/v1/drops/${dropId}/line`, { token: who[i].token, from: who[i].from });
    if (res.status !== 201) throw new Error(`joining answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  });

export const reserveOne = (api: Api, dropId: string, s: Shopper, variantId = 's', productId = 'tee') =>
  api.call('POST', `/v1/drops/${dropId}/reservations`, { token: s.token, from: s.from, body: { productId, variantId, quantity: 1 } });
