/**
 * Turns drops live at `startsAt` and ends them at `endsAt`: one timer armed
 * for the earliest due moment (re-read at least every few seconds, since
 * another node may have changed the schedule). Several nodes may fire at the
 * same moment; the conditional UPDATEs let exactly one publish the change.
 */
import { errorFields, log } from '../observability/logger.js';
import type { Database } from '../storage/database.js';
import { dueTransitions } from '../storage/drop-store.js';
import type { DropService } from './drop-service.js';

export interface StatusScheduler {
  /** Re-reads the schedule now (after a host changed a start or end time). */
  poke(): void;
  close(): void;
}

export function createStatusScheduler(db: Database, drops: DropService, { maxSleepMs = 5000 } = {}): StatusScheduler {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;

  async function run() {
    try {
      const { due, next } = await dueTransitions(db, Date.now());
      for (const id of due) await drops.applySchedule(id);
      arm(next === null ? maxSleepMs : Math.min(maxSleepMs, Math.max(0, next - Date.now())));
    } catch (error) {
      if (!closed) log.error(errorFields(error), 'status scheduler failed');
      arm(maxSleepMs);
    }
  }

  function arm(ms: number) {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(poke, ms);
  }

  function poke() {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = run().finally(() => {
      running = null;
      if (again) {
        again = false;
        poke();
      }
    });
  }

  poke();
  return {
    poke,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
