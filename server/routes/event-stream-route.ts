/**
 * GET /v1/drops/:dropId/events — the drop's live events over SSE.
 *
 * A fresh connection gets a `snapshot` first. A reconnection with
 * `Last-Event-ID` (or `?lastEventId=`, for clients that cannot set headers)
 * gets exactly the events it missed when they are still in the node's ring
 * buffer, and a fresh `snapshot` when they are not.
 */
import { HttpError } from '../http/problem.js';
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

export function addEventStreamRoute(router: Router, services: Services, open: Set<() => void>, { heartbeatMs = 15_000 } = {}): void {
  const snapshots = snapshotCache(services);
  router.add('GET', '/v1/drops/:dropId/events', async ({ req, res, url, params }) => {
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
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      leave();
      open.delete(close);
      sse.close();
    };
    open.add(close);
    res.on('close', close);

    const missed = resumeFrom === null ? null : services.bus.since(dropId, resumeFrom);
    try {
      if (missed) {
        lastSent = resumeFrom!;
        missed.forEach(send);
      } else {
        const { at, drop } = await snapshots(dropId);
        if (res.destroyed) return null;
        sse.frame(sseFrame(at, 'snapshot', drop));
        lastSent = at;
        // Whatever arrived during the read and is newer than the snapshot's id.
        services.bus.since(dropId, at)?.forEach(send);
      }
      for (const e of queued) send(e);
    } catch (error) {
      console.error(`event stream ${dropId}: ${(error as Error).message}`);
      close();
    } finally {
      queued = null;
    }
    return null;
  });
}

/**
 * Viewers arriving together (a show starting, every client reconnecting after
 * a deploy) share one read of the drop. A cached snapshot is only reused while
 * no newer event exists and for at most `maxAgeMs`; anything it misses
 * follows as events with larger ids.
 */
function snapshotCache(services: Services, maxAgeMs = 250) {
  const cache = new Map<string, { at: number; readAt: number; drop: ReturnType<Services['drops']['get']> }>();
  return async (dropId: string) => {
    const latest = services.bus.latestId();
    let entry = cache.get(dropId);
    if (!entry || entry.at !== latest || Date.now() - entry.readAt > maxAgeMs) {
      entry = { at: latest, readAt: Date.now(), drop: services.drops.get(dropId) };
      cache.set(dropId, entry);
      entry.drop.catch(() => cache.delete(dropId));
      setTimeout(() => cache.get(dropId) === entry && cache.delete(dropId), maxAgeMs * 2).unref();
    }
    return { at: entry.at, drop: await entry.drop };
  };
}

function parseLastEventId(raw: string | null): number | null {
  if (raw === null || !/^\d{1,15}$/.test(raw.trim())) return null;
  return Number(raw.trim());
}
