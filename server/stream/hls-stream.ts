/**
 * The simulated live stream: an 8-second clip looped on the wall clock and
 * served as a Low-Latency HLS stream (fMP4 parts of 1/3 s, blocking
 * playlist reloads), plus VOD replays of past windows with the same
 * program date-times (see playlists.ts for the arithmetic), with an
 * English WebVTT captions rendition on the same timeline. Stateless, so
 * every server node serves the same stream (it asks `isShow` whether a replay
 * window was a show, and keeps replay playlists it built, which never change
 * once recorded). The HTTP layer hands it every
 * request under `/stream/`:
 *
 *   GET stream/main.m3u8                       multivariant playlist: the live video + captions
 *   GET stream/main.m3u8?from=<ms>&to=<ms>     the same for a replay of that wall-clock window
 *   GET stream/live.m3u8                       live video playlist (sliding window, parts)
 *   GET stream/live.m3u8?_HLS_msn=<n>[&_HLS_part=<i>]
 *                                              the same once it holds segment n (part i): a blocking reload
 *   GET stream/replay.m3u8?from=<ms>&to=<ms>   VOD video playlist of that wall-clock window
 *   GET stream/captions.m3u8[?from=<ms>&to=<ms>] live (or VOD) captions playlist, same segments
 *   GET stream/init.mp4                        the fMP4 initialisation section of every segment and part
 *   GET stream/segments/<n>.m4s                segment n (fMP4), once it has started
 *   GET stream/parts/<n>.<i>.m4s               part i of segment n, once it has ended (held until then when it is near)
 *   GET stream/captions/<n>.vtt                captions of segment n (WebVTT), once it has started
 *   GET stream/poster.jpg                      a still for the drop's poster
 *
 * live.m3u8 and replay.m3u8 are video only, as they always were; a drop
 * that wants captions plays main.m3u8.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { problemType, type ProblemCode } from '../../src/protocol/types.js';
import { loadClip, type Clip } from './clip.js';
import {
  blockingReload,
  livePlaylist,
  multivariantPlaylist,
  partEnd,
  replayPlaylist,
  segmentStart,
  sequenceAt,
  STREAM_EPOCH_MS,
  type Rendition,
  type Timeline,
} from './playlists.js';

export interface HlsStream {
  /** Serves `/stream/...` requests; returns false when the path is not the stream's. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
  /** Path of the playlist a drop plays: the live multivariant playlist (video + captions), relative to the backend URL (no leading slash). */
  livePath(): string;
  /**
   * Path of the VOD playlist covering the wall-clock window [fromMs, toMs] of
   * `hls`, with the live stream's program date-times: main.m3u8's replay for
   * main.m3u8, replay.m3u8 for live.m3u8; null when `hls` is not this stream.
   */
  replayOf(hls: string, fromMs: number, toMs: number): string | null;
  /** Path of the poster still, relative to the backend URL (no leading slash). */
  posterPath(): string;
}

export interface HlsStreamOptions {
  /** The looped recording; `media/clip/` by default. */
  clip?: Clip;
  /** Segments in the live playlist (default 6, i.e. 12 s). */
  window?: number;
  /** Longest replay window served (default 24 h). */
  maxReplayMs?: number;
  /**
   * Whether [fromMs, toMs] lies within a show that was live on this stream
   * (the app asks the database): replays are served for real shows only, so
   * nobody can make the server build a day-long playlist per request. Absent:
   * any window (the stream on its own, in its tests).
   */
  isShow?: (fromMs: number, toMs: number) => Promise<boolean>;
  /** The wall clock (tests pin it). */
  now?: () => number;
  /** Wall-clock start of segment 0; `STREAM_EPOCH_MS` by default. Every node must use the same. */
  epochMs?: number;
  /**
   * Longest a blocking playlist reload or a request for a part not yet ended
   * is held before it is answered 503 (default: three target durations, as
   * RFC 8216bis recommends).
   */
  holdLimitMs?: number;
}

const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';
const VTT_TYPE = 'text/vtt; charset=utf-8';
const MP4_TYPE = 'video/mp4';
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'Range',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Range, X-Server-Time',
  'Access-Control-Max-Age': '86400',
};
/** Memory for built replay playlists (a day-long one is about 4 MB). */
const REPLAY_CACHE_BYTES = 32 * 1024 * 1024;
/** Playlists change every segment; segments and the poster never change. */
const NO_CACHE = 'no-cache';
const IMMUTABLE = 'public, max-age=86400, immutable';

export function createHlsStream(options: HlsStreamOptions = {}): HlsStream {
  const clip = options.clip ?? loadClip();
  const window = options.window ?? 6;
  const maxReplayMs = options.maxReplayMs ?? 24 * 3600_000;
  const now = options.now ?? Date.now;
  const timeline: Timeline = {
    segmentMs: clip.segmentMs,
    parts: clip.partsPerSegment,
    loop: clip.segments.length,
    epochMs: options.epochMs ?? STREAM_EPOCH_MS,
  };
  const holdLimitMs = options.holdLimitMs ?? 3 * Math.ceil(clip.segmentMs / 1000) * 1000;
  // Key frames sit at the same parts of every clip segment (make-clip.sh); the playlist marks them INDEPENDENT.
  const independent = (i: number) => clip.segments.every((s) => s.parts[i].independent);

  const isShow = options.isShow ?? (async () => true);
  // Windows found to be shows: a show's replay is asked for by all its viewers.
  const shows = new Set<string>();
  // Built replay playlists, newest last, up to REPLAY_CACHE_BYTES: a past window's playlist never changes.
  const replays = new Map<string, Buffer>();
  let replayBytes = 0;

  // Peak bits per second of the video, for the multivariant playlist.
  const bandwidth = Math.ceil((Math.max(...clip.segments.map((s) => s.bytes.length)) * 8 * 1000) / clip.segmentMs);

  function serve(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): void {
    if (path === 'live.m3u8') return live(req, res, query);
    if (path === 'replay.m3u8') return mediaPlaylist(req, res, 'video', query, true);
    if (path === 'captions.m3u8' && clip.captions) return mediaPlaylist(req, res, 'captions', query, false);
    if (path === 'main.m3u8') {
      const replay = query.has('from') || query.has('to');
      // The replay's media playlists get the window as asked: each cuts it at what has been recorded when it is read.
      const range = replay ? `?from=${query.get('from')}&to=${query.get('to')}` : '';
      const body = multivariantPlaylist({
        bandwidth,
        codecs: clip.codecs,
        resolution: clip.resolution,
        uri: replay ? `replay.m3u8${range}` : 'live.m3u8',
        captionsUri: clip.captions ? `captions.m3u8${range}` : undefined,
      });
      if (!replay) return send(req, res, 200, PLAYLIST_TYPE, NO_CACHE, body);
      return void ofShow(res, query, () => send(req, res, 200, PLAYLIST_TYPE, NO_CACHE, body));
    }
    if (path === 'poster.jpg' && clip.poster) return send(req, res, 200, 'image/jpeg', IMMUTABLE, clip.poster);
    if (path === 'init.mp4') return send(req, res, 200, MP4_TYPE, IMMUTABLE, clip.init);
    const segment = /^segments\/(\d{1,15})\.m4s$/.exec(path);
    if (segment && serveStarted(req, res, MP4_TYPE, Number(segment[1]), (n) => clip.segments[n % timeline.loop].bytes)) return;
    const cues = /^captions\/(\d{1,15})\.vtt$/.exec(path);
    if (cues && clip.captions && serveStarted(req, res, VTT_TYPE, Number(cues[1]), (n) => clip.captions![n % timeline.loop].bytes)) return;
    const part = /^parts\/(\d{1,15})\.(\d{1,3})\.m4s$/.exec(path);
    if (part && Number(part[2]) < timeline.parts) return servePart(req, res, Number(part[1]), Number(part[2]));
    problem(res, 404, 'not-found', `No stream resource at stream/${path}`);
  }

  /** Serves file n of the loop (segment or captions) once segment n has started; false before then. */
  function serveStarted(req: IncomingMessage, res: ServerResponse, type: string, n: number, bytes: (n: number) => Buffer): boolean {
    if (n > sequenceAt(timeline, now())) return false;
    send(req, res, 200, type, IMMUTABLE, bytes(n));
    return true;
  }

  /**
   * Part i of segment n once its wall-clock end has passed. One that ends
   * within the hold limit (the preload hint, a player a little ahead) is held
   * until then, as RFC 8216bis asks of a server for hinted parts; later ones
   * are not there (404).
   */
  function servePart(req: IncomingMessage, res: ServerResponse, n: number, i: number): void {
    const at = partEnd(timeline, n, i);
    if (at - now() > holdLimitMs) return problem(res, 404, 'not-found', `part ${i} of segment ${n} has not been recorded yet`);
    hold(res, at, () => send(req, res, 200, MP4_TYPE, IMMUTABLE, clip.segments[n % timeline.loop].parts[i].bytes));
  }

  /** The live video playlist, at once or, for a blocking reload (`_HLS_msn`, `_HLS_part`), once it holds what was asked for. */
  function live(req: IncomingMessage, res: ServerResponse, query: URLSearchParams): void {
    const playlistNow = () => send(req, res, 200, PLAYLIST_TYPE, NO_CACHE, livePlaylist(timeline, now(), window, 'video', independent));
    const msn = query.get('_HLS_msn');
    const part = query.get('_HLS_part');
    if (msn === null && part === null) return playlistNow();
    if (msn === null) return problem(res, 400, 'bad-request', '_HLS_part needs _HLS_msn');
    const wait = blockingReload(timeline, now(), msn, part);
    if ('error' in wait) return problem(res, 400, 'bad-request', wait.error);
    hold(res, wait.at, playlistNow);
  }

  /**
   * Calls `answer` once the wall clock has reached `at`, or at once when it has;
   * 503 when the hold limit passes first. A viewer who hangs up is forgotten.
   */
  function hold(res: ServerResponse, at: number, answer: () => void): void {
    if (at <= now()) return answer();
    // The limit runs on the monotonic clock: the stream's own clock may be pinned (tests) or jump.
    const deadline = performance.now() + holdLimitMs;
    let timer: ReturnType<typeof setTimeout>;
    const check = () => {
      if (now() >= at) return answer();
      const left = Math.min(at - now(), deadline - performance.now());
      if (left <= 0) {
        res.setHeader('Retry-After', '1');
        return problem(res, 503, 'unavailable', `not recorded within ${holdLimitMs} ms; ask again`);
      }
      // A millisecond late rather than early: the wall-clock end must have passed.
      timer = setTimeout(check, left + 1);
    };
    res.once('close', () => clearTimeout(timer));
    check();
  }

  /** A media playlist of one rendition: live without a window (unless `needsWindow`), VOD of the window with one. */
  function mediaPlaylist(
    req: IncomingMessage,
    res: ServerResponse,
    rendition: Rendition,
    query: URLSearchParams,
    needsWindow: boolean,
  ): void {
    if (!needsWindow && !query.has('from') && !query.has('to')) {
      return send(req, res, 200, PLAYLIST_TYPE, NO_CACHE, livePlaylist(timeline, now(), window, rendition, independent));
    }
    void ofShow(res, query, ({ from, to }) => {
      const key = `${rendition} ${from} ${to}`;
      let body = replays.get(key);
      if (body)
        replays.delete(key); // re-inserted below as the newest
      else body = Buffer.from(replayPlaylist(timeline, from, to, rendition));
      // Only a window recorded to its end is final: one reaching into the present grows.
      if (to === Number(query.get('to'))) remember(key, body);
      send(req, res, 200, PLAYLIST_TYPE, NO_CACHE, body);
    });
  }

  function remember(key: string, body: Buffer) {
    replays.set(key, body);
    replayBytes += body.length;
    for (const [old, bytes] of replays) {
      if (replayBytes <= REPLAY_CACHE_BYTES) break;
      replays.delete(old);
      replayBytes -= bytes.length;
    }
  }

  /** Calls `serve` with the replay window of `query` when it is valid and within a show; answers the problem otherwise. */
  async function ofShow(res: ServerResponse, query: URLSearchParams, serve: (window: { from: number; to: number }) => void): Promise<void> {
    const window = replayWindow(query);
    if (typeof window === 'string') return problem(res, 400, 'bad-request', window);
    const key = `${query.get('from')} ${query.get('to')}`;
    try {
      if (!shows.has(key)) {
        if (!(await isShow(Number(query.get('from')), Number(query.get('to')))))
          return problem(res, 404, 'not-found', 'no show was live on this stream in that window: replays cover real shows only');
        if (shows.size >= 10_000) shows.clear();
        shows.add(key);
      }
    } catch (error) {
      console.error(`stream: ${(error as Error).message}`);
      return problem(res, 500, 'internal', 'could not look up the show');
    }
    if (!res.destroyed) serve(window);
  }

  /** The validated replay window, or why the query is bad. */
  function replayWindow(query: URLSearchParams): { from: number; to: number } | string {
    const from = query.get('from') ?? '';
    const to = query.get('to') ?? '';
    if (!/^\d{1,15}$/.test(from) || !/^\d{1,15}$/.test(to)) {
      return 'from and to must be integers: milliseconds since the Unix epoch';
    }
    const window = { from: Number(from), to: Number(to) };
    if (window.to <= window.from) return 'to must be later than from';
    if (window.to - window.from > maxReplayMs) return `a replay may span at most ${maxReplayMs} ms`;
    if (window.from > now()) return 'the replay window has not started yet';
    if (window.from < timeline.epochMs) return `the stream's recording starts at ${new Date(timeline.epochMs).toISOString()}`;
    // Only what has been recorded: up to the end of the segment being recorded now.
    const recorded = Math.min(window.to, segmentStart(timeline, sequenceAt(timeline, now()) + 1));
    return { from: window.from, to: recorded };
  }

  return {
    handle(req, res, url) {
      const m = /^\/stream\/(.*)$/.exec(url.pathname);
      if (!m) return false;
      if (req.method === 'OPTIONS') {
        res.writeHead(204, CORS).end();
      } else if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD, OPTIONS');
        problem(res, 405, 'method-not-allowed', `${req.method} is not allowed on the stream`);
      } else {
        serve(req, res, m[1], url.searchParams);
      }
      return true;
    },
    livePath: () => 'stream/main.m3u8',
    replayOf(hls, fromMs, toMs) {
      const range = `from=${Math.floor(fromMs)}&to=${Math.ceil(toMs)}`;
      if (hls === 'stream/main.m3u8') return `stream/main.m3u8?${range}`;
      if (hls === 'stream/live.m3u8') return `stream/replay.m3u8?${range}`;
      return null;
    },
    posterPath: () => 'stream/poster.jpg',
  };
}

/** Sends a body, honouring HEAD and a single `Range: bytes=a-b` (native players ask for ranges). */
function send(req: IncomingMessage, res: ServerResponse, status: number, type: string, cache: string, body: string | Buffer): void {
  let bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const headers: Record<string, string> = { ...CORS, 'Content-Type': type, 'Cache-Control': cache, 'Accept-Ranges': 'bytes' };
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (range && (range[1] || range[2])) {
    const size = bytes.length;
    const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]));
    const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start > end || start >= size) {
      res.setHeader('Content-Range', `bytes */${size}`);
      problem(res, 416, 'bad-request', `range ${req.headers.range} is outside the ${size} bytes of this resource`);
      return;
    }
    headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
    bytes = bytes.subarray(start, end + 1);
    status = 206;
  }
  headers['Content-Length'] = String(bytes.length);
  res.writeHead(status, headers);
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

function problem(res: ServerResponse, status: number, code: ProblemCode, detail: string): void {
  const title =
    {
      400: 'Bad request',
      404: 'Not found',
      405: 'Method not allowed',
      416: 'Range not satisfiable',
      500: 'Internal server error',
      503: 'Service unavailable',
    }[status] ?? 'Error';
  res.writeHead(status, { ...CORS, 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify({ type: problemType(code), code, title, status, detail }));
}
