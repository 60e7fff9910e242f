/**
 * Drop events across every node. An event is written to `drop_events` (its
 * bigserial is the SSE id, the same on every node) and announced with NOTIFY
 * in the same transaction, under a per-drop advisory lock so that ids commit
 * in order. Every node, the publishing one included, learns of events only
 * through LISTEN, so all nodes hold the same sequence in their ring buffers.
 *
 * A ring claims to hold every event of its drop above its floor, so a resume
 * from there is served from memory. That claim needs to know where the table
 * stood once the node listened: at start-up and after the listening
 * connection was lost, notifications wait until the bus has read it (and what
 * it missed); one handled before would go into a ring whose floor does not
 * yet say which earlier events it lacks, and a resume from below it would
 * silently skip them.
 */
import type { ChatEventMap } from '../../src/protocol/chat.js';
import type { DropEventMap } from '../../src/protocol/types.js';

/** Every event of a drop's stream: the drop's own and the chat's. */
type StreamEventMap = DropEventMap & ChatEventMap;
type StreamEventType = keyof StreamEventMap;
import type { Database, Queryable } from '../storage/database.js';
import { errorFields, log } from '../observability/logger.js';
import { metrics } from '../observability/metrics.js';
import {
  allEventsKept,
  dropEventsAfter,
  findEvent,
  insertEvent,
  latestEventId,
  otherDropsEventsAfter,
  lockDropEvents,
  notify,
  type StoredEvent,
} from '../storage/event-store.js';

export interface BusEvent {
  id: number;
  type: StreamEventType;
  data: unknown;
  /** Epoch ms of the publishing node's insert, just before its commit; absent for events read back from the table. */
  publishedAt?: number;
}

export interface EventBus {
  /**
   * Builds and publishes one event inside a transaction holding the drop's
   * event lock: whatever `build` reads or writes is consistent with the id.
   * `build` returning null publishes nothing.
   */
  publish<K extends StreamEventType>(
    dropId: string,
    type: K,
    build: (tx: Queryable) => Promise<StreamEventMap[K] | null>,
  ): Promise<BusEvent | null>;
  subscribe(dropId: string, listener: (event: BusEvent) => void): () => void;
  /** Events of the drop after `lastId`, or null when they are no longer all in the buffer. */
  since(dropId: string, lastId: number): BusEvent[] | null;
  /**
   * The drop's committed events after `lastId`, read from the table: for a
   * resume this node's buffer cannot serve (it started after the viewer's
   * last event, as after a rolling restart). Null when `lastId` is no longer
   * stored (housekeeping took it, so later ones may be gone too) or more than
   * the buffer's capacity followed it: then a snapshot is cheaper.
   */
  stored(dropId: string, lastId: number): Promise<BusEvent[] | null>;
  /**
   * Told that the database showed `at` as the drop's newest event (read after
   * this node began listening): every later event of the drop reaches the
   * buffer, so resuming from `at` needs no snapshot while none was dropped.
   */
  readAt(dropId: string, at: number): void;
}

const CHANNEL = 'live_drop_events';
/** NOTIFY payloads are limited to 8000 bytes (not characters); larger events are announced by id and read back. */
const MAX_INLINE_PAYLOAD = 7000;
const RETRY_MS = 500;

export async function createEventBus(db: Database, { capacity = 1000 } = {}): Promise<EventBus> {
  const listeners = new Map<string, Set<(event: BusEvent) => void>>();
  let latest = 0;
  let floor = 0;

  // Per drop: its events as they arrived; those at or below `floor` may be missing.
  const rings = new Map<string, { events: BusEvent[]; floor: number; trimmed: boolean }>();
  const ringOf = (dropId: string) => {
    let ring = rings.get(dropId);
    if (!ring) rings.set(dropId, (ring = { events: [], floor, trimmed: false }));
    return ring;
  };

  const deliver = (dropId: string, event: BusEvent) => {
    const ring = ringOf(dropId);
    if (ring.events.length && event.id <= ring.events[ring.events.length - 1].id) return;
    ring.events.push(event);
    if (ring.events.length > capacity) {
      ring.floor = ring.events.shift()!.id;
      ring.trimmed = true;
    }
    latest = Math.max(latest, event.id);
    for (const listener of listeners.get(dropId) ?? []) listener(event);
  };

  // Notifications are handled strictly in arrival order, even those that need a read.
  let queue = Promise.resolve();
  const inOrder = (work: () => Promise<void> | void) => {
    queue = queue.then(work).catch((error) => log.error(errorFields(error), 'event bus: delivering a notification failed'));
  };
  const deliverStored = (stored: StoredEvent) =>
    deliver(stored.dropId, { id: stored.id, type: stored.type as StreamEventType, data: stored.data });

  /**
   * Read once listening (again), before any notification is handled: each drop with a ring or a subscriber gets the
   * events it missed from the table (per drop: an event of one drop may commit below another drop's newer id); any
   * other drop had no event since the start-up floor but those it missed now, read in one go.
   */
  const catchUp = async () => {
    const newest = await latestEventId(db);
    const known = [...new Set([...rings.keys(), ...listeners.keys()])];
    for (const dropId of known) {
      const ring = ringOf(dropId);
      (await dropEventsAfter(db, dropId, ring.events.at(-1)?.id ?? ring.floor)).forEach(deliverStored);
    }
    (await otherDropsEventsAfter(db, floor, known)).forEach(deliverStored);
    latest = Math.max(latest, newest);
  };
  /** After a lost listening connection: nothing is delivered until the catch-up succeeded (a database just back may refuse it a while). */
  const catchUpPatiently = async () => {
    for (;;) {
      try {
        return await catchUp();
      } catch (error) {
        log.warn(errorFields(error), 'event bus: catching up after the listening connection was lost failed; trying again');
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS).unref());
      }
    }
  };

  let started!: () => void;
  const start = new Promise<void>((resolve) => (started = resolve));
  inOrder(() => start);
  await db.listen(
    CHANNEL,
    (payload) =>
      inOrder(async () => {
        const message = JSON.parse(payload) as { d: string; i: number; t?: StreamEventType; x?: unknown; a?: number };
        if (message.t !== undefined) return deliver(message.d, { id: message.i, type: message.t, data: message.x, publishedAt: message.a });
        const stored = await findEvent(db, message.i);
        if (stored) deliverStored(stored);
      }),
    () => inOrder(catchUpPatiently),
  );
  // Listening first, then reading the newest id: every later event reaches the rings. Notifications wait until then.
  latest = floor = await latestEventId(db);
  started();

  return {
    async publish(dropId, type, build) {
      const event = await db.transaction(async (tx) => {
        await lockDropEvents(tx, dropId);
        const data = await build(tx);
        if (data === null) return null;
        const now = Date.now();
        const id = await insertEvent(tx, dropId, type, data, now);
        const inline = JSON.stringify({ d: dropId, i: id, t: type, x: data, a: now });
        await notify(tx, CHANNEL, Buffer.byteLength(inline) <= MAX_INLINE_PAYLOAD ? inline : JSON.stringify({ d: dropId, i: id }));
        return { id, type, data };
      });
      if (event) metrics.eventPublished(type);
      return event;
    },
    subscribe(dropId, listener) {
      let set = listeners.get(dropId);
      if (!set) listeners.set(dropId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(dropId);
      };
    },
    async stored(dropId, lastId) {
      // Resuming from 0: the viewer's snapshot was read before the drop had any event, and no event names that point.
      const anchored =
        lastId === 0 ? await allEventsKept(db, dropId, Date.now()) : await findEvent(db, lastId).then((e) => e?.dropId === dropId);
      if (!anchored) return null;
      const rows = await dropEventsAfter(db, dropId, lastId, capacity + 1);
      if (rows.length > capacity) return null;
      return rows.map((e) => ({ id: e.id, type: e.type as StreamEventType, data: e.data }));
    },
    since(dropId, lastId) {
      const ring = rings.get(dropId) ?? { events: [], floor };
      if (lastId < ring.floor || lastId > latest) return null;
      return ring.events.filter((e) => e.id > lastId);
    },
    readAt(dropId, at) {
      const ring = ringOf(dropId);
      if (!ring.trimmed) ring.floor = Math.min(ring.floor, at);
    },
  };
}
