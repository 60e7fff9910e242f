/** Sums reactions per drop and kind, and publishes the sums every `windowMs`. */
import type { ReactionKind } from '../../src/protocol/types.js';
import { errorFields, log } from '../observability/logger.js';
import type { EventBus } from './event-bus.js';

export interface ReactionFeed {
  add(dropId: string, kind: ReactionKind): void;
  close(): void;
}

export function createReactionFeed(bus: EventBus, { windowMs = 300 } = {}): ReactionFeed {
  const pending = new Map<string, Record<string, number>>();
  let timer: NodeJS.Timeout | null = null;

  function flush() {
    timer = null;
    for (const [dropId, counts] of pending) {
      bus
        .publish(dropId, 'reactions', async () => ({ counts, at: Date.now() }))
        .catch((error) => log.error(errorFields(error), 'reactions: publishing failed'));
    }
    pending.clear();
  }

  return {
    add(dropId, kind) {
      let counts = pending.get(dropId);
      if (!counts) pending.set(dropId, (counts = {}));
      counts[kind] = (counts[kind] ?? 0) + 1;
      timer ??= setTimeout(flush, windowMs);
    },
    close() {
      if (timer) clearTimeout(timer);
      pending.clear();
    },
  };
}
