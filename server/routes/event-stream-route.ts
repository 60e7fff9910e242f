/**
 * GET /v1/drops/:dropId/events — the drop's live events over SSE.
 *
 * A fresh connection gets a `snapshot` first. A reconnection with
 * `Last-Event-ID` (or `?lastEventId=`, for clients that cannot set headers)
 * gets exactly the events it missed when they are still in the node's ring
 * buffer, and a fresh `snapshot` when they are not.
 */
import { HttpError } from '../http/problem.js';
import { errorFields, log } from '../observability/logger.js';
import { metrics } from '../observability/metrics.js';
import { header } from '../http/request.js';
import type { Router } from '../http/router.js';
import { openSse, sseFrame } from '../http/sse.js';
import type { BusEvent } from '../services/event-bus.js';
import { pathId } from './auth.js';
import type { Services } from './services.js';


/** Each event is serialised once, however many viewers it goes to. */
const frames = new WeakMap<BusEvent, string>();
function frameOf(e: BusEvent): string {
  let frame = frames.get(e);
  if (!frame) frames.set(e, (frame = sseFrame(e.id, e.type, e.data)));
  return frame;
}
const MAX_BACKLOG_BYTES = 1 << 20;
/**
 * Closes one open stream; with `reconnectMs`, asks the client to come back
 * after that delay (a draining node), resuming from its Last-Event-ID.
 */
export type CloseStream = (reconnectMs?: number) => void;

export function addEventStreamRoute(router: Router, services: Services, open: Set<CloseStream>, { heartbeatMs = 15_000 } = {}): void {
  const snapshots = snapshotCache(services);
  router.add('GET', '/v1/drops/:dropId/events', async ({ req, res, url, params }) => {
    const dropId = pathId(params, 'dropId');
    if (!(await services.drops.exists(dropId))) throw new HttpError(404, 'not-found', `drop "${dropId}" does not exist`);
    const resumeFrom = parseLastEventId(header(req, 'last-event-id') ?? url.searchParams.get('lastEventId'));

    const sse = openSse(res);
    if (req.method === 'HEAD') {
      sse.close();
      return null;
    }
    let lastSent = 0;
    // Events arriving while the snapshot is read wait here, then go out in order.
    let queued: BusEvent[] | null = [];
    const send = (e: BusEvent) => {
      if (e.id <= lastSent) return;
      lastSent = e.id;
      sse.frame(frameOf(e));
      // A viewer that stopped reading must not hold megabytes: it reconnects and resumes when it can.
      if (sse.backlog > MAX_BACKLOG_BYTES) {
        close();
        sse.abort();
      }
    };
    const unsubscribe = services.bus.subscribe(dropId, (e) => (queued ? queued.push(e) : send(e)));
    const leave = services.viewers.join(dropId);
    const heartbeat = setInterval(() => sse.comment('heartbeat'), heartbeatMs);
    const missed = resumeFrom === null ? null : services.bus.since(dropId, resumeFrom);
    const closed = metrics.streamOpened(missed ? 'resumed' : resumeFrom === null ? 'fresh' : 'resync');
    const close: CloseStream = (reconnectMs) => {
      if (!open.delete(close)) return;
      clearInterval(heartbeat);
      unsubscribe();
      leave();
      closed();
      if (reconnectMs === undefined) sse.close();
      else sse.reconnect(reconnectMs, 'this node is shutting down: reconnect with Last-Event-ID');
    };
    open.add(close);
    res.on('close', () => close());

    try {
      if (missed) {
        lastSent = resumeFrom!;
        missed.forEach(send);
      } else {
        const { at, drop } = await snapshots(dropId);
        // Closed meanwhile (the client left, or the node began to drain).
        if (res.destroyed || res.writableEnded) return null;
        sse.frame(sseFrame(at, 'snapshot', drop));
        lastSent = at;
        // Whatever arrived since the read (a shared one may be older than this subscription) and is newer than the snapshot's id.
        services.bus.since(dropId, at)?.forEach(send);
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
    entry = { readAt: Date.now(), read: services.drops.snapshot(dropId) };
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
