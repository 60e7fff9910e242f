/**
 * The waiting line of a drop (docs/fairness.md): joining, the draw at
 * `startsAt + graceMs`, admission in position order, and the one `line`
 * event that tells everyone how far admission has come.
 *
 * Several nodes share a line through the database alone. Every node runs the
 * tick; each tick of a drop is one transaction under the drop's event lock
 * (EventBus.publish), so ticks of one drop never overlap, and the draw's
 * conditional UPDATE (`drawn_at IS NULL`) lets exactly one node draw. A join
 * before the draw holds the line row FOR SHARE while it inserts, so the draw
 * (which updates that row) waits for joins under way and sees them, and a
 * join that waited for the draw finds the line drawn and queues behind.
 */
import { createHash } from 'node:crypto';
import type { DropQueue, LinePlace, LineRecord, QueueSettings } from '../../src/protocol/types.js';
import { errorFields, log } from '../observability/logger.js';
import type { Database, Queryable } from '../storage/database.js';
import { findDropRow, type DropRow } from '../storage/drop-store.js';
import { findShoppers } from '../storage/reservation-batch-store.js';
import {
  activeLines,
  admit,
  countPlaces,
  deleteLine,
  findLine,
  findPlace,
  insertPlace,
  insertPlaces,
  leavePlace,
  lineState,
  listPlaces,
  markDrawn,
  markPublished,
  readQueue,
  setPaused,
  setPositions,
  stockAndOpenPasses,
  takeNextPosition,
  unplacedPlaces,
  upsertLine,
  type LineRow,
  type PlaceRow,
} from '../storage/line-store.js';
import { DomainError, notFound } from './domain-error.js';
import type { EventBus } from './event-bus.js';
import { commitmentOf, drawOrder, newSeed, placeIdOf } from './line-draw.js';

export const DEFAULT_QUEUE: QueueSettings = { joinWindowMs: 600_000, graceMs: 10_000, admitPerSecond: null, passMs: 180_000 };
/** `line` events are at least this far apart (so at most two a second per viewer), whatever the number of nodes. */
export const LINE_EVENT_GAP_MS = 500;

export interface LineService {
  /** Joins (one place per shopper token); `created` false when the shopper was in the line already. */
  join(dropId: string, shopperToken: string): Promise<{ created: boolean; place: LinePlace }>;
  place(dropId: string, shopperToken: string): Promise<LinePlace>;
  /** Leaves the line: a pass ends at once, admission goes on past the place. */
  leave(dropId: string, shopperToken: string): Promise<void>;
  /** The public record of the draw. */
  record(dropId: string): Promise<LineRecord>;
  setPaused(dropId: string, paused: boolean): Promise<DropQueue>;
  /** One round of the draw and admission over every line not ended (the timer calls it; tests may too). */
  tick(): Promise<void>;
  close(): void;
}

/** Creates, changes or (null) removes a drop's line inside a drop write; the seed is chosen once and never changes. */
export async function writeQueue(tx: Queryable, dropId: string, input: Partial<QueueSettings> | null): Promise<void> {
  if (input === null) return deleteLine(tx, dropId);
  const current = await findLine(tx, dropId);
  const settings = { ...DEFAULT_QUEUE, ...(current ?? {}), ...input };
  const seed = current?.seed ?? newSeed();
  await upsertLine(tx, dropId, settings, seed, commitmentOf(seed));
}

const shopperDigest = (token: string) => createHash('sha256').update(token).digest('hex');

/** Thrown inside a join's transaction when the draw ran meanwhile: the join starts over, behind. */
class DrawnMeanwhile extends Error {}

export function createLineService(db: Database, bus: EventBus, { tickMs = 250, shopperTtlMs = 86_400_000 } = {}): LineService {
  const placeOf = (line: LineRow, startsAt: number, p: PlaceRow): LinePlace => ({
    placeId: p.placeId,
    joinedAt: p.joinedAt,
    onTime: p.position !== null && line.drawnAt !== null ? p.position <= line.onTime : p.joinedAt <= startsAt + line.graceMs,
    position: p.position,
    passExpiresAt: p.admittedAt === null || p.leftAt !== null ? null : p.admittedAt + line.passMs,
    reserved: p.reserved,
  });

  /**
   * The drop and its line as joins see them: read at most every 200 ms per drop, since thousands join at the
   * start. Only the open window and the end are judged from it; whether the draw ran is read under the lock.
   */
  const seen = new Map<string, { at: number; value: Promise<{ drop: DropRow; line: LineRow }> }>();
  function lineForJoin(dropId: string) {
    const cached = seen.get(dropId);
    if (cached && Date.now() - cached.at < 200) return cached.value;
    const value = lineOf(db, dropId);
    seen.set(dropId, { at: Date.now(), value });
    value.catch(() => seen.delete(dropId));
    return value;
  }

  async function lineOf(q: Queryable, dropId: string) {
    const drop = await findDropRow(q, dropId);
    if (!drop) throw notFound(`drop "${dropId}"`);
    const line = await findLine(q, dropId);
    if (!line) throw new DomainError('no-line', 409, `drop "${dropId}" has no waiting line: reserve directly`);
    return { drop, line };
  }

  async function mine(dropId: string, token: string): Promise<LinePlace> {
    const { drop, line } = await lineOf(db, dropId);
    const place = await findPlace(db, dropId, shopperDigest(token));
    if (!place) throw notFound(`place in the line of drop "${dropId}" (join it first)`);
    return placeOf(line, drop.startsAt, place);
  }

  /** Draws if due, admits what the rate or the stock allows, and returns the `line` event to publish, if any. */
  async function advance(tx: Queryable, dropId: string) {
    const drop = await findDropRow(tx, dropId);
    let line = await findLine(tx, dropId, 'update');
    if (!drop || !line || drop.status === 'ended') return null;
    const now = Date.now();
    const cutoff = drop.startsAt + line.graceMs;
    if (line.drawnAt === null && now >= cutoff && (await markDrawn(tx, dropId, now))) {
      const places = await unplacedPlaces(tx, dropId);
      const onTime = places.filter((p) => p.joinedAt <= cutoff).map((p) => p.placeId);
      const late = places.filter((p) => p.joinedAt > cutoff).map((p) => p.placeId);
      await setPositions(tx, dropId, [...drawOrder(line.seed, onTime), ...late], onTime.length);
      log.info({ dropId, onTime: onTime.length, late: late.length }, 'line: drawn');
      line = (await findLine(tx, dropId))!;
    }
    if (line.drawnAt !== null && !line.paused) {
      const through = await admissible(tx, line, now);
      if (through !== null) {
        await admit(tx, line, through, now);
        line = { ...line, admittedThrough: through };
      }
    }
    const total = line.drawnAt === null ? await countPlaces(tx, dropId) : line.lastPosition;
    const state = lineState(line, total);
    const encoded = JSON.stringify(state);
    if (encoded === line.publishedState || now - line.publishedAt < LINE_EVENT_GAP_MS) return null;
    await markPublished(tx, dropId, encoded, now);
    return { ...state, at: now };
  }

  /**
   * How far admission may go now (null: unchanged; `line.admitClock` and `line.rate` are updated in place).
   * At a fixed rate, credit accrues from the admission clock while someone is waiting. Following stock, as
   * many are admitted as there are units on sale beyond the passes still open: a pass that lapses unused,
   * or whose holder left, frees its unit for the next position.
   */
  async function admissible(tx: Queryable, line: LineRow, now: number): Promise<number | null> {
    const clock = line.admitClock ?? now;
    if (line.admittedThrough >= line.lastPosition) {
      // Nobody waiting: no credit piles up for a burst when the next one joins.
      line.admitClock = now;
      return line.admittedThrough;
    }
    if (line.admitPerSecond !== null) {
      const credit = Math.floor(((now - clock) * line.admitPerSecond) / 1000);
      if (credit <= 0) return null;
      const through = Math.min(line.lastPosition, line.admittedThrough + credit);
      line.admitClock = through === line.lastPosition ? now : clock + (credit * 1000) / line.admitPerSecond;
      line.rate = line.admitPerSecond;
      return through;
    }
    const { available, open } = await stockAndOpenPasses(tx, line.dropId, line.passMs, now);
    const through = Math.min(line.lastPosition, line.admittedThrough + Math.max(0, available - open));
    const seconds = (now - clock) / 1000;
    if (seconds <= 0) return null;
    line.rate = line.rate * 0.8 + ((through - line.admittedThrough) / seconds) * 0.2;
    line.admitClock = now;
    return through;
  }

  /**
   * Joins before the draw, group-committed like reservations (one batcher per drop, no timer: a batch starts
   * when the previous one has committed): one transaction holds the line row FOR SHARE and inserts the whole
   * batch with one statement. Each join learns whether its place was new, or that the draw ran meanwhile.
   */
  type Join = {
    placeId: string;
    shopper: string;
    joinedAt: number;
    resolve(result: boolean | 'drawn' | 'unknown'): void;
    reject(error: unknown): void;
  };
  const joining = new Map<string, { open: Join[]; running: boolean }>();
  function joinBeforeDraw(
    dropId: string,
    place: { placeId: string; shopper: string; joinedAt: number },
  ): Promise<boolean | 'drawn' | 'unknown'> {
    return new Promise((resolve, reject) => {
      let state = joining.get(dropId);
      if (!state) joining.set(dropId, (state = { open: [], running: false }));
      state.open.push({ ...place, resolve, reject });
      if (state.running) return;
      state.running = true;
      const queue = state;
      setImmediate(async () => {
        while (queue.open.length) {
          const batch = queue.open.splice(0, 1000);
          try {
            const result = await db.transaction(async (tx) => {
              const locked = await findLine(tx, dropId, 'share');
              if (!locked) throw new DomainError('no-line', 409, `drop "${dropId}" has no waiting line: reserve directly`);
              if (locked.drawnAt !== null) return 'drawn' as const;
              // The batch's tokens are checked here, once for all (the route only checked their form).
              const known = await findShoppers(tx, [...new Set(batch.map((j) => j.shopper))], Date.now() - shopperTtlMs);
              return {
                known,
                inserted: await insertPlaces(
                  tx,
                  dropId,
                  batch.filter((j) => known.has(j.shopper)),
                ),
              };
            });
            // The same shopper twice in one batch: the first is new, the second finds it.
            for (const j of batch)
              j.resolve(result === 'drawn' ? 'drawn' : !result.known.has(j.shopper) ? 'unknown' : result.inserted.delete(j.placeId));
          } catch (error) {
            batch.forEach((j) => j.reject(error));
          }
        }
        queue.running = false;
      });
    });
  }

  let running = false;
  let closed = false;
  const timer = setInterval(async () => {
    if (running || closed) return;
    running = true;
    try {
      await service.tick();
    } catch (error) {
      if (!closed) log.error(errorFields(error), 'line: admission tick failed');
    } finally {
      running = false;
    }
  }, tickMs);

  const service: LineService = {
    async join(dropId, token) {
      const { drop, line } = await lineForJoin(dropId);
      const now = Date.now();
      if (drop.status === 'ended' || (drop.endsAt !== null && drop.endsAt <= now))
        throw new DomainError('drop-ended', 409, `drop "${dropId}" has ended`);
      const opens = drop.startsAt - line.joinWindowMs;
      if (now < opens)
        throw new DomainError('line-not-open', 409, `the line of drop "${dropId}" opens at ${new Date(opens).toISOString()}`);
      const shopper = shopperDigest(token);
      const place = { placeId: placeIdOf(dropId, token), shopper, joinedAt: now };
      const existing = async () => ({ created: false, place: await mine(dropId, token) });
      // A new place is answered from what was written (no read back: joins come in thousands at the start).
      const joined = (position: number | null, onTime: boolean) => ({
        created: true,
        place: { placeId: place.placeId, joinedAt: now, onTime, position, passExpiresAt: null, reserved: false },
      });
      if (line.drawnAt === null) {
        const created = await joinBeforeDraw(dropId, place);
        if (created === 'unknown') throw new DomainError('unauthorized', 401, 'unknown or expired shopper token');
        if (created !== 'drawn') return created ? joined(null, now <= drop.startsAt + line.graceMs) : existing();
      }
      if (!(await findShoppers(db, [shopper], Date.now() - shopperTtlMs)).size)
        throw new DomainError('unauthorized', 401, 'unknown or expired shopper token');
      // After the draw: behind everyone, in arrival order (the line row's lock orders the positions).
      if (await findPlace(db, dropId, shopper)) return existing();
      const position = await db
        .transaction(async (tx) => {
          const next = await takeNextPosition(tx, dropId);
          if (!(await insertPlace(tx, dropId, { ...place, position: next }))) throw new DrawnMeanwhile(); // joined twice at once: undo the position
          return next;
        })
        .catch((error) => {
          if (error instanceof DrawnMeanwhile) return null;
          throw error;
        });
      return position === null ? existing() : joined(position, false);
    },

    place: mine,

    async leave(dropId, token) {
      await lineOf(db, dropId);
      if (!(await leavePlace(db, dropId, shopperDigest(token), Date.now()))) throw notFound(`place in the line of drop "${dropId}"`);
    },

    async record(dropId) {
      const { drop, line } = await lineOf(db, dropId);
      return {
        dropId,
        commitment: line.commitment,
        seed: line.drawnAt === null ? null : line.seed,
        drawnAt: line.drawnAt,
        cutoff: drop.startsAt + line.graceMs,
        onTime: line.onTime,
        places: await listPlaces(db, dropId),
      };
    },

    async setPaused(dropId, paused) {
      await lineOf(db, dropId);
      await db.transaction((tx) => setPaused(tx, dropId, paused, Date.now()));
      return (await readQueue(db, dropId))!;
    },

    async tick() {
      for (const dropId of await activeLines(db)) {
        if (closed) return;
        await bus.publish(dropId, 'line', (tx) => advance(tx, dropId));
      }
    },

    close() {
      closed = true;
      clearInterval(timer);
    },
  };
  return service;
}
