/**
 * Periodic work of every node: expire lapsed holds (every `sweepMs`, so a
 * hold comes back on sale within about a second of its expiry) and, hourly,
 * forget idempotency keys and events older than a day, shoppers whose tokens
 * expired and the client addresses of holds that ended, and chat messages
 * older than the chat's retention.
 */
import { errorFields, log } from '../observability/logger.js';
import type { Database } from '../storage/database.js';
import { deleteChatBefore } from '../storage/chat-store.js';
import { deleteEventsBefore, EVENT_RETENTION_MS } from '../storage/event-store.js';
import { deleteOldKeys } from '../storage/idempotency-store.js';
import type { ReservationService } from './reservation-service.js';

const DAY = 86_400_000;

export function startHousekeeping(
  db: Database,
  reservations: ReservationService,
  { sweepMs = 500, cleanupMs = 3_600_000, chatRetentionMs = null as number | null } = {},
) {
  let sweeping = false;
  const sweep = setInterval(async () => {
    if (sweeping) return;
    sweeping = true;
    try {
      await reservations.sweep();
    } catch (error) {
      log.error(errorFields(error), 'hold sweeper failed');
    } finally {
      sweeping = false;
    }
  }, sweepMs);
  const cleanup = setInterval(async () => {
    try {
      await deleteOldKeys(db, Date.now() - DAY);
      await deleteEventsBefore(db, Date.now() - EVENT_RETENTION_MS);
      await reservations.forgetExpired();
      if (chatRetentionMs !== null) await deleteChatBefore(db, Date.now() - chatRetentionMs);
    } catch (error) {
      log.error(errorFields(error), 'cleanup failed');
    }
  }, cleanupMs);
  return {
    stop() {
      clearInterval(sweep);
      clearInterval(cleanup);
    },
  };
}
