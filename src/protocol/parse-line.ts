/**
 * Checks for the waiting line's data (the drop's `queue`, `line` events, a
 * shopper's place, the record of the draw). Kept out of parse.ts, and written
 * with a few checkers of its own rather than parse.ts's, so that the
 * script-tag module (which only passes `queue` and `line` events on) carries
 * none of it and exports nothing more for it: every binding the line's chunk
 * shared with it cost the size budget bytes.
 */
import { ProtocolError } from './parse.js';
import type { DropEventMap, DropQueue, LinePlace, LineRecord } from './types.js';

type Check<T> = (v: unknown, path: string) => T;

const check =
  <T>(test: (v: T) => boolean, expected: string): Check<T> =>
  (v, path) => {
    if (!test(v as T)) throw new ProtocolError(path, expected);
    return v as T;
  };
const orNull =
  <T>(inner: Check<T>): Check<T | null> =>
  (v, path) =>
    v == null ? null : inner(v, path);
/** An object with exactly these fields (others are dropped), each checked at `${path}.${field}`. */
const shape =
  <T>(fields: { [K in keyof T]-?: Check<T[K]> }): Check<T> =>
  (v, path) => {
    const o = check<Record<string, unknown>>((x) => typeof x === 'object' && x !== null && !Array.isArray(x), 'an object')(v, path);
    const out = {} as T;
    for (const field in fields) out[field] = fields[field](o[field], `${path}.${field}`);
    return out;
  };

const whole = (min: number) => check<number>((v) => Number.isSafeInteger(v) && v >= min, `an integer ≥ ${min}`);
const count = whole(0);
const time = whole(0);
const flag = check<boolean>((v) => typeof v === 'boolean', 'true or false');
const rate = check<number>((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0, 'a number ≥ 0');
const hex = (length: number) =>
  check<string>((v) => typeof v === 'string' && new RegExp(`^[0-9a-f]{${length}}$`).test(v), `${length} hex digits`);

const lineState = {
  admittedThrough: count,
  total: count,
  rate,
  paused: flag,
  drawnAt: orNull(time),
  seed: orNull(hex(64)),
};

const dropQueue = shape<DropQueue>({
  joinWindowMs: count,
  graceMs: count,
  admitPerSecond: orNull(rate),
  passMs: count,
  commitment: hex(64),
  ...lineState,
});
/** The drop's `queue` field: null when the drop has no line. */
export const parseDropQueue = (v: unknown, path = 'drop.queue'): DropQueue | null => orNull(dropQueue)(v, path);

const lineEvent = shape<DropEventMap['line']>({ ...lineState, at: time });
export const parseLineEvent = (v: unknown, path = 'event line'): DropEventMap['line'] => lineEvent(v, path);

const linePlace = shape<LinePlace>({
  placeId: hex(32),
  joinedAt: time,
  onTime: flag,
  position: orNull(whole(1)),
  passExpiresAt: orNull(time),
  reserved: flag,
});
export const parseLinePlace = (v: unknown, path = 'place'): LinePlace => linePlace(v, path);

const place = shape<LineRecord['places'][number]>({ placeId: hex(32), position: orNull(whole(1)), joinedAt: time });
const lineRecord = shape<LineRecord>({
  dropId: check<string>((v) => typeof v === 'string' && v.length > 0, 'an id'),
  commitment: hex(64),
  seed: orNull(hex(64)),
  drawnAt: orNull(time),
  cutoff: time,
  onTime: count,
  places: (v, path) => check<unknown[]>(Array.isArray, 'an array')(v, path).map((p, i) => place(p, `${path}[${i}]`)),
});
export const parseLineRecord = (v: unknown, path = 'line'): LineRecord => lineRecord(v, path);
