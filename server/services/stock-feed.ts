/**
 * Stock events, coalesced on the leading edge per drop: the first change
 * after a quiet window is published at once; changes during the window that
 * follows are published together when it closes (so a rush costs at most one
 * event per variant per window, and a lone change waits for nothing).
 *
 * What is published is read, not remembered: every change of a variant's
 * level marks it in the same transaction (a trigger, migration 004), and the
 * publishing transaction takes the marked levels under the drop's event
 * lock. So the newest event always carries the newest levels, and a node
 * killed after a commit but before its event leaves the mark behind: every
 * node looks for marks at start-up and every `sweepMs`, and publishes them.
 */
import type { Database } from '../storage/database.js';
import { dropsWithPendingStock, takePendingLevels } from '../storage/stock-event-store.js';
import type { EventBus } from './event-bus.js';
import { leadingEdge } from './leading-edge.js';

export interface StockFeed {
  /** The levels of some variants of the drop changed (the keys are a hint; the marks in the database are the truth). */
  changed(dropId: string, keys?: { productId: string; variantId: string }[]): void;
  /** Publishes whatever is pending now and waits for it (shutdown, tests). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createStockFeed(db: Database, bus: EventBus, { windowMs = 75, sweepMs = 5000 } = {}): StockFeed {
  const edge = leadingEdge(
    windowMs,
    (dropId) =>
      bus.publish(dropId, 'stock', async (tx) => {
        const levels = await takePendingLevels(tx, dropId);
        return levels.length ? { levels } : null;
      }),
    'stock feed',
  );

  async function sweep() {
    try {
      for (const dropId of await dropsWithPendingStock(db)) edge.changed(dropId);
    } catch (error) {
      console.error(`stock feed: ${(error as Error).message}`);
    }
  }
  void sweep();
  const sweeper = setInterval(sweep, sweepMs);
  sweeper.unref();

  return {
    changed: (dropId) => edge.changed(dropId),
    flush: () => edge.flush(),
    async close() {
      clearInterval(sweeper);
      await edge.close();
    },
  };
}
