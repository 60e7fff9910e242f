/** Shoppers in a waiting line, for the line's tests and benches. */
import { loopbackAddress } from '../../support/loopback.js';
import type { Api, Json } from './api-client.js';

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

/** The outcome of one fairness run: units granted to each group. */
export interface FairnessResult {
  units: number;
  nearUnits: number;
  farUnits: number;
}

/**
 * Issue 20's setting: two equal groups pressing Reserve, one reaching the
 * server through `far` (a proxy that adds latency each way), every path warm.
 * Without a line (`line: false`) everyone presses at `startsAt`; with one,
 * everyone joins before the start, learns its position after the draw from
 * its own group's stream, and reserves the moment that stream says it is
 * admitted (admission follows stock, so positions after the last unit see it
 * sell out instead). Returns the units each group got.
 */
export async function fairnessRun(
  near: Api,
  far: Api,
  {
    group,
    units,
    line,
    offset = 0,
    openEvents,
  }: {
    group: number;
    units: number;
    line: boolean;
    offset?: number;
    openEvents: (
      url: string,
    ) => Promise<{ next(type: string, match?: (e: { data: Json }) => boolean, timeoutMs?: number): Promise<unknown>; close(): void }>;
  },
): Promise<FairnessResult> {
  const dropId = await near.createDrop({
    startsAt: Date.now() + 3_600_000,
    products: [
      {
        id: 'tee',
        title: 'Tee',
        prices: [{ currency: 'EUR', amount: 4500 }],
        variants: [{ id: 's', label: 'S', stock: units }],
        limitPerCustomer: 1,
      },
    ],
    ...(line ? { queue: { joinWindowMs: 7_200_000, graceMs: 0, admitPerSecond: null, passMs: 60_000 } as never } : {}),
  });
  const nearGroup = await newShoppers(near, group, 32, offset);
  const farGroup = await newShoppers(far, group, 64, offset + group);
  const count = (statuses: number[]) => ({
    units: statuses.filter((s) => s === 201).length,
    nearUnits: statuses.slice(0, group).filter((s) => s === 201).length,
    farUnits: statuses.slice(group).filter((s) => s === 201).length,
  });
  if (!line) {
    // The start moves to just ahead once everyone is ready; everyone presses
    // Reserve at zero (same machine: the local clock is the server's).
    const startsAt = Date.now() + 1_000;
    await near.host('PATCH', `/v1/host/drops/${dropId}`, { startsAt });
    await new Promise((r) => setTimeout(r, startsAt - Date.now() + 5));
    return count(
      await Promise.all(
        [...nearGroup.map((s) => reserveOne(near, dropId, s)), ...farGroup.map((s) => reserveOne(far, dropId, s))].map(
          async (r) => (await r).status,
        ),
      ),
    );
  }
  await joinLine(near, dropId, nearGroup);
  await joinLine(far, dropId, farGroup, 64);
  const nearEvents = await openEvents(`${near.url}/v1/drops/${dropId}/events`);
  const farEvents = await openEvents(`${far.url}/v1/drops/${dropId}/events`);
  try {
    await Promise.all([nearEvents.next('snapshot'), farEvents.next('snapshot')]);
    await near.host('PATCH', `/v1/host/drops/${dropId}`, { startsAt: Date.now() });
    const shop = async (api: Api, events: typeof nearEvents, s: Shopper) => {
      await events.next('line', (e) => e.data.drawnAt !== null, 60_000);
      const place = (await api.call('GET', `/v1/drops/${dropId}/line`, { token: s.token, from: s.from })).body;
      const admitted = events.next('line', (e) => e.data.admittedThrough >= place.position, 120_000).then(() => true);
      const soldOut = events
        .next('stock', (e) => e.data.levels.some((l: { available: number }) => l.available === 0), 120_000)
        .then(() => false);
      admitted.catch(() => {});
      soldOut.catch(() => {});
      if (!(await Promise.race([admitted, soldOut]))) return 0;
      return (await reserveOne(api, dropId, s)).status;
    };
    return count(
      await pool(2 * group, 2 * group, (i) =>
        i < group ? shop(near, nearEvents, nearGroup[i]) : shop(far, farEvents, farGroup[i - group]),
      ),
    );
  } finally {
    nearEvents.close();
    farEvents.close();
  }
}
