import type { DropStatus } from '../../src/protocol/types.js';
import type { DropRow } from '../storage/drop-store.js';

/**
 * The status a drop has at `now`. The scheduler writes transitions a few
 * milliseconds late at worst; reads and the reserving rule must not wait for it.
 */
export function effectiveStatus(row: Pick<DropRow, 'status' | 'startsAt' | 'endsAt'>, now: number): DropStatus {
  if (row.status === 'ended' || (row.endsAt !== null && row.endsAt <= now)) return 'ended';
  if (row.status === 'live' || row.startsAt <= now) return 'live';
  return 'scheduled';
}
