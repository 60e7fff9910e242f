/**
 * Checks for the waiting line's data (the drop's `queue`, `line` events, a
 * shopper's place, the record of the draw). Kept out of parse.ts so that the
 * script-tag module, which does not show the line, carries none of it.
 */
import { check, count, integer, list, orNull, shape, text, timeCheck as time } from './parse.js';
import type { DropEventMap, DropQueue, LinePlace, LineRecord, LineState } from './types.js';

const flag = check<boolean>((v) => typeof v === 'boolean', 'true or false');
const rate = check<number>((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0, 'a number ≥ 0');
const hex = (length: number) => check<string>((v) => typeof v === 'string' && new RegExp(`^[0-9a-f]{${length}}$`).test(v), `${length} hex digits`);
const duration = integer(0, 7 * 86_400_000);

const lineState = {
  admittedThrough: count,
  total: count,
  rate,
  paused: flag,
  drawnAt: orNull(time),
  seed: orNull(hex(64)),
};

const dropQueue = shape<DropQueue>({
  joinWindowMs: duration,
  graceMs: duration,
  admitPerSecond: orNull(rate),
  passMs: duration,
  commitment: hex(64),
  ...lineState,
});
/** The drop's `queue` field: null when the drop has no line. */
export const parseDropQueue = (v: unknown, path = 'drop.queue'): DropQueue | null => orNull(dropQueue)(v, path);

const lineEvent = shape<DropEventMap['line']>({ ...lineState, at: time });
export const parseLineEvent = (v: unknown, path = 'event line'): LineState & { at: number } => lineEvent(v, path);

const linePlace = shape<LinePlace>({ placeId: hex(32), joinedAt: time, onTime: flag, position: orNull(integer(1)), passExpiresAt: orNull(time) });
export const parseLinePlace = (v: unknown, path = 'place'): LinePlace => linePlace(v, path);

const lineRecord = shape<LineRecord>({
  dropId: text(1, 64),
  commitment: hex(64),
  seed: orNull(hex(64)),
  drawnAt: orNull(time),
  cutoff: time,
  onTime: count,
  places: list(shape({ placeId: hex(32), position: orNull(integer(1)), joinedAt: time }), 10_000_000),
});
export const parseLineRecord = (v: unknown, path = 'line'): LineRecord => lineRecord(v, path);
