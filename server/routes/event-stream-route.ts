/**
 * GET /v1/drops/:dropId/events — the drop's live events over SSE.
 *
 * A fresh connection gets a `snapshot` first. A reconnection with
 * `Last-Event-ID` (or `?lastEventId=`, for clients that cannot set headers)
 * gets exactly the events it missed: from the node's ring buffer, or from the
 * `drop_events` table when the node started after them (a rolling restart),
 * and a fresh `snapshot` when neither still holds them all.
 */
import { HttpError } from '../http/problem.js';
import { errorFields, log } from '../observability/logger.js';
import { metrics } from '../observability/metrics.js';
import { header } from '../http/request.js';
import type { Router } from '../http/router.js';
import { openSse, sseComment, sseFrame } from '../http/sse.js';
import type { BusEvent } from '../services/event-bus.js';
import { pathId } from './auth.js';
import type { Services } from './services.js';
import { pattern, routes } from '../../src/protocol/routes.js';

const MAX_BACKLOG_BYTES = 1 << 20;
/**
 * Closes one open stream; with `reconnectMs`, asks the client to come back
 * after that delay (a draining node), resuming from its Last-Event-ID.
 */
export type CloseStream = (reconnectMs?: number) => void;
/** Viewers written to before yielding to the event loop, so reservations keep being answered during a broadcast. */
export const SLICE = 256;

/** A viewer as the room sees it: takes a pass's events (in order) or a heartbeat and decides what to write. */
export interface Viewer {
  deliver(events: Pass): void;
  beat(): void;
}

/**
 * What the room's pump writes to one viewer: the events it has not had yet,
 * framed once and joined once for every viewer that lacks the same ones, so a
 * viewer gets them in one write to its socket. Writes per viewer, not bytes,
 * are what a broadcast to 10,000 viewers costs (a system call each).
 */
export interface Pass {
  events: BusEvent[];
  /** The frames of every event of the pass, for a viewer that has none of them yet (nearly all). */
  joined: Buffer;
}

function passOf(events: BusEvent[]): Pass {
  return { events, joined: events.length === 1 ? frameOf(events[0]) : Buffer.concat(events.map(frameOf)) };
}

interface Room {
  /** Each viewer with the position in `events` of the first event it has not been written. */
  viewers: Map<Viewer, number>;
  /** The events not yet written to every viewer; `events[0]` is at position `base`. */
  events: BusEvent[];
  base: number;
  /** Passes by the position they start at, for the current end of `events`. */
  passes: Map<number, Pass>;
  beat: boolean;
  pumping: boolean;
  stop(): void;
}

/**
 * One drop's viewers on this node. The room holds the drop's only bus
 * subscription; each event is encoded once. The pump goes round the viewers
 * in slices of SLICE, writing to each, in one write, every event it has not
 * had yet, up to the newest: an event that arrives while the pump is going
 * round reaches the viewers it has not reached yet on this round, and the
 * others on the next, so no viewer waits more than one round for it.
 * Heartbeats go the same way, from one timer per room rather than one per
 * viewer, to the viewers that get no event on that round.
 */
export function createRooms(bus: Pick<Services['bus'], 'subscribe'>, heartbeatMs: number) {
  const rooms = new Map<string, Room>();
  const heartbeat = sseComment('heartbeat');
  const end = (room: Room) => room.base + room.events.length;

  function passFrom(room: Room, from: number): Pass {
    let pass = room.passes.get(from);
    if (!pass) room.passes.set(from, (pass = passOf(room.events.slice(from - room.base))));
    return pass;
  }

  async function pump(room: Room) {
    room.pumping = true;
    try {
      for (;;) {
        const last = end(room);
        const beat = room.beat;
        room.beat = false;
        let i = 0;
        for (const viewer of [...room.viewers.keys()]) {
          const from = room.viewers.get(viewer);
          if (from === undefined) continue; // left meanwhile
          const to = end(room);
          if (from < to) {
            room.viewers.set(viewer, to); // first: a viewer too slow to keep up leaves while it is written to
            viewer.deliver(passFrom(room, from));
          } else if (beat) viewer.beat();
          else continue; // up to date: nothing written, so it does not count towards the slice
          if (++i % SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
        }
        // Every viewer has had the events up to `last` (one that joined during the round starts after them).
        const now = Date.now();
        for (const e of room.events.splice(0, last - room.base))
          if (e.publishedAt !== undefined) metrics.eventDelivered(e.publishedAt, now);
        room.base = last;
        room.passes.clear();
        if (end(room) === last && !room.beat) return;
      }
    } finally {
      room.pumping = false;
    }
  }

  return {
    join(dropId: string, viewer: Viewer): () => void {
      let room = rooms.get(dropId);
      if (!room) {
        const r: Room = { viewers: new Map(), events: [], base: 0, passes: new Map(), beat: false, pumping: false, stop: () => {} };
        const wake = () => {
          if (!r.pumping) void pump(r);
        };
        const unsubscribe = bus.subscribe(dropId, (e) => {
          r.events.push(e);
          r.passes.clear();
          wake();
        });
        const beats = setInterval(() => {
          r.beat = true;
          wake();
        }, heartbeatMs);
        r.stop = () => {
          unsubscribe();
          clearInterval(beats);
        };
        rooms.set(dropId, (room = r));
      }
      const joined = room;
      // From the next event on: those before it come with the viewer's snapshot or resume (read after this join).
      joined.viewers.set(viewer, end(joined));
      return () => {
        joined.viewers.delete(viewer);
        if (joined.viewers.size === 0 && rooms.get(dropId) === joined) {
          joined.stop();
          rooms.delete(dropId);
        }
      };
    },
    heartbeat,
  };
}

/** Each event is encoded once, however many viewers (and rooms, and resumes) it goes to. */
const frames = new WeakMap<object, Buffer>();
function frameOf(e: BusEvent): Buffer {
  let frame = frames.get(e);
  if (!frame) frames.set(e, (frame = sseFrame(e.id, e.type, e.data)));
  return frame;
}
/** So is a snapshot read once for the viewers arriving together (`snapshotCache`), the frame they all get first. */
function snapshotFrameOf(snapshot: { at: number; drop: unknown }): Buffer {
  let frame = frames.get(snapshot);
  if (!frame) frames.set(snapshot, (frame = sseFrame(snapshot.at, 'snapshot', snapshot.drop)));
  return frame;
}

export function addEventStreamRoute(router: Router, services: Services, open: Set<CloseStream>, { heartbeatMs = 15_000 } = {}): void {
  const snapshots = snapshotCache(services);
  const rooms = createRooms(services.bus, heartbeatMs);
  router.add('GET', pattern(routes.events, 'dropId'), async ({ req, res, url, params }) => {
    const dropId = pathId(params, 'dropId');
    await services.limits.take('streams', req);
    if (!(await services.drops.exists(dropId))) throw new HttpError(404, 'not-found', `drop "${dropId}" does not exist`);
    const resumeFrom = parseLastEventId(header(req, 'last-event-id') ?? url.searchParams.get('lastEventId'));

    const sse = openSse(res);
    if (req.method === 'HEAD') {
      sse.close();
      return null;
    }
    let lastSent = 0;
    let closed = false;
    // Events arriving while the snapshot is read wait here, then go out in order.
    let queued: BusEvent[] | null = [];
    const write = (bytes: Buffer) => {
      sse.frame(bytes);
      // A viewer that stopped reading must not hold megabytes: it reconnects and resumes when it can.
      if (sse.backlog > MAX_BACKLOG_BYTES) {
        close();
        sse.abort();
      }
    };
    const send = (e: BusEvent) => {
      if (closed || e.id <= lastSent) return;
      lastSent = e.id;
      write(frameOf(e));
    };
    /** A pass's events in one write: all of them as joined, or those after `lastSent` (a viewer that just started). */
    const sendPass = ({ events, joined }: Pass) => {
      if (closed) return;
      const last = events[events.length - 1].id;
      if (events[0].id > lastSent) {
        lastSent = last;
        write(joined);
      } else if (last > lastSent) {
        const fresh = events.filter((e) => e.id > lastSent);
        lastSent = last;
        write(Buffer.concat(fresh.map(frameOf)));
      }
    };
    const leaveRoom = rooms.join(dropId, {
      deliver: (pass) => (queued ? queued.push(...pass.events) : sendPass(pass)),
      beat: () => !closed && write(rooms.heartbeat),
    });
    const leave = services.viewers.join(dropId);
    const missed = resumeFrom === null ? null : services.bus.since(dropId, resumeFrom);
    const streamClosed = metrics.streamOpened(missed ? 'resumed' : resumeFrom === null ? 'fresh' : 'resync');
    const close: CloseStream = (reconnectMs) => {
      if (closed) return;
      closed = true;
      open.delete(close);
      leaveRoom();
      leave();
      streamClosed();
      if (reconnectMs === undefined) sse.close();
      else sse.reconnect(reconnectMs, 'this node is shutting down: reconnect with Last-Event-ID');
    };
    open.add(close);
    res.on('close', () => close());

    try {
      // Not in this node's buffer (it started after the viewer's last event): committed events come from the table,
      // and whatever commits after the read arrives through the subscription, which began before it.
      const resumed = missed ?? (resumeFrom === null ? null : await services.bus.stored(dropId, resumeFrom));
      if (resumed) {
        if (res.destroyed || res.writableEnded) return null;
        lastSent = resumeFrom!;
        resumed.forEach(send);
      } else {
        const snapshot = await snapshots(dropId);
        // Closed meanwhile (the client left, or the node began to drain).
        if (res.destroyed || res.writableEnded) return null;
        sse.frame(snapshotFrameOf(snapshot));
        lastSent = snapshot.at;
        // Whatever arrived since the read (a shared one may be older than this subscription) and is newer than the snapshot's id.
        services.bus.since(dropId, snapshot.at)?.forEach(send);
      }
      for (const e of queued) send(e);
    } catch (error) {
      log.error({ dropId, ...errorFields(error) }, 'event stream: starting it failed');
      close();
    } finally {
      queued = null;
    }
    return null;
  });
}

/**
 * Viewers arriving together (a show starting, every client reconnecting after
 * a deploy) share one read of the drop. A snapshot's id is its own drop's
 * newest event, read with it. A cached snapshot is reused for at most
 * `maxAgeMs`, and only while the events after its id are all still buffered:
 * those follow it.
 */
function snapshotCache(services: Services, maxAgeMs = 250) {
  const cache = new Map<string, { readAt: number; read: ReturnType<Services['drops']['snapshot']> }>();
  return async (dropId: string) => {
    let entry = cache.get(dropId);
    const fresh = entry && Date.now() - entry.readAt <= maxAgeMs ? await entry.read.catch(() => null) : null;
    if (fresh && services.bus.since(dropId, fresh.at)) return fresh;
    // With the chat's newest messages and settings, read in the same transaction: exactly those of the events up to its id.
    entry = { readAt: Date.now(), read: services.drops.snapshot(dropId, async (tx, id) => ({ chat: await services.chat.state(tx, id) })) };
    cache.set(dropId, entry);
    const read = entry.read.then((r) => (services.bus.readAt(dropId, r.at), r));
    read.catch(() => cache.get(dropId) === entry && cache.delete(dropId));
    const current = entry;
    setTimeout(() => cache.get(dropId) === current && cache.delete(dropId), maxAgeMs * 2).unref();
    return read;
  };
}

function parseLastEventId(raw: string | null): number | null {
  if (raw === null || !/^\d{1,15}$/.test(raw.trim())) return null;
  return Number(raw.trim());
}
