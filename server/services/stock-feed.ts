/**
 * Coalesces stock changes per drop: the first change opens a short window,
 * the levels of every variant touched in it are read (under the event lock,
 * so the newest event always carries the newest levels) and published as one
 * `stock` event. A rush of a thousand purchases costs a handful of events.
 */
import { readStockLevels, type StockKey } from '../storage/drop-store.js';
import type { EventBus } from './event-bus.js';

export interface StockFeed {
  changed(dropId: string, keys: StockKey[]): void;
  /** Publishes whatever is pending now (shutdown, tests). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createStockFeed(bus: EventBus, { windowMs = 75 } = {}): StockFeed {
  const pending = new Map<string, Map<string, StockKey>>();
  let timer: NodeJS.Timeout | null = null;

  async function flush() {
    timer = null;
    const batches = [...pending];
    pending.clear();
    await Promise.all(
      batches.map(([dropId, keys]) =>
        bus
          .publish(dropId, 'stock', async (tx) => {
            const levels = await readStockLevels(tx, dropId, [...keys.values()]);
            return levels.length ? { levels } : null;
          })
          .catch((error) => console.error(`stock feed: ${(error as Error).message}`)),
      ),
    );
  }

  return {
    changed(dropId, keys) {
      let set = pending.get(dropId);
      if (!set) pending.set(dropId, (set = new Map()));
      for (const key of keys) set.set(`${key.productId}/${key.variantId}`, key);
      timer ??= setTimeout(flush, windowMs);
    },
    flush: async () => {
      if (timer) clearTimeout(timer);
      await flush();
    },
    async close() {
      if (timer) clearTimeout(timer);
      await flush();
    },
  };
}
