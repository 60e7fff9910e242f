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

export interface StockFeed {
  /** The levels of some variants of the drop changed (the keys are a hint; the marks in the database are the truth). */
  changed(dropId: string, keys?: { productId: string; variantId: string }[]): void;
  /** Publishes whatever is pending now and waits for it (shutdown, tests). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

interface DropWindow {
  timer: NodeJS.Timeout | null;
  /** A change arrived during the window: publish when it closes. */
  dirty: boolean;
  /** Publications of this drop, one after the other. */
  chain: Promise<void>;
}

export function createStockFeed(db: Database, bus: EventBus, { windowMs = 75, sweepMs = 5000 } = {}): StockFeed {
  const windows = new Map<string, DropWindow>();

  function publishNow(dropId: string, w: DropWindow) {
    w.dirty = false;
    w.timer = setTimeout(() => {
      w.timer = null;
      if (w.dirty) publishNow(dropId, w);
      else w.chain.then(() => !w.timer && !w.dirty && windows.get(dropId) === w && windows.delete(dropId));
    }, windowMs);
    w.chain = w.chain.then(() =>
      bus
        .publish(dropId, 'stock', async (tx) => {
          const levels = await takePendingLevels(tx, dropId);
          return levels.length ? { levels } : null;
        })
        .then(
          () => {},
          (error) => console.error(`stock feed ${dropId}: ${(error as Error).message}`),
        ),
    );
  }

  function changed(dropId: string) {
    let w = windows.get(dropId);
    if (!w) windows.set(dropId, (w = { timer: null, dirty: false, chain: Promise.resolve() }));
    if (w.timer) w.dirty = true;
    else publishNow(dropId, w);
  }

  async function sweep() {
    try {
      for (const dropId of await dropsWithPendingStock(db)) changed(dropId);
    } catch (error) {
      console.error(`stock feed: ${(error as Error).message}`);
    }
  }
  void sweep();
  const sweeper = setInterval(sweep, sweepMs);
  sweeper.unref();

  async function flush() {
    for (const [dropId, w] of windows) {
      if (w.dirty) {
        if (w.timer) clearTimeout(w.timer);
        publishNow(dropId, w);
      }
    }
    await Promise.all([...windows.values()].map((w) => w.chain));
  }

  return {
    changed,
    flush,
    async close() {
      clearInterval(sweeper);
      await flush();
      for (const w of windows.values()) if (w.timer) clearTimeout(w.timer);
      windows.clear();
    },
  };
}
