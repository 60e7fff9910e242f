/**
 * Counts open event streams on every node. Each node writes its own count per
 * drop to `viewer_presence` (when it changed, at most every `tickMs`, and as a
 * heartbeat); the node that finds the total changed publishes `viewers`.
 * Rows of a node that stopped heart-beating drop out after `staleMs`.
 */
import { errorFields, log } from '../observability/logger.js';
import type { Database } from '../storage/database.js';
import { deletePresence, recountViewers, savePresence } from '../storage/event-store.js';
import type { EventBus } from './event-bus.js';

export interface ViewerPresence {
  /** Counts one open stream; call the returned function when it closes. */
  join(dropId: string): () => void;
  close(): Promise<void>;
}

export function createViewerPresence(
  db: Database,
  bus: EventBus,
  nodeId: string,
  { tickMs = 1000, heartbeatMs = 10_000, staleMs = 30_000 } = {},
): ViewerPresence {
  const local = new Map<string, { count: number; dirty: boolean; savedAt: number }>();
  let running = false;

  const save = (dropId: string, count: number, now: number) =>
    bus.publish(dropId, 'viewers', async (tx) => {
      await savePresence(tx, nodeId, dropId, count, now);
      const total = await recountViewers(tx, dropId, now - staleMs);
      return total === null ? null : { count: total };
    });

  async function tick() {
    if (running) return;
    running = true;
    const now = Date.now();
    try {
      for (const [dropId, entry] of local) {
        if (!entry.dirty && now - entry.savedAt < heartbeatMs) continue;
        entry.dirty = false;
        entry.savedAt = now;
        await save(dropId, entry.count, now);
        if (entry.count === 0) local.delete(dropId);
      }
    } catch (error) {
      log.error(errorFields(error), 'viewer presence failed');
    } finally {
      running = false;
    }
  }
  const timer = setInterval(tick, tickMs);

  return {
    join(dropId) {
      let entry = local.get(dropId);
      if (!entry) local.set(dropId, (entry = { count: 0, dirty: true, savedAt: 0 }));
      entry.count++;
      entry.dirty = true;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        const e = local.get(dropId);
        if (e) {
          e.count--;
          e.dirty = true;
        } else local.set(dropId, { count: 0, dirty: true, savedAt: 0 });
      };
    },
    async close() {
      clearInterval(timer);
      const drops = await deletePresence(db, nodeId);
      const now = Date.now();
      for (const dropId of drops) {
        await bus
          .publish(dropId, 'viewers', async (tx) => {
            const total = await recountViewers(tx, dropId, now - staleMs);
            return total === null ? null : { count: total };
          })
          .catch(() => {});
      }
    },
  };
}
