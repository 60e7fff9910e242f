/**
 * The simulated live stream: an 8-second clip looped on the wall clock and
 * served as a live HLS stream, plus VOD replays of any past window with the
 * same program date-times (see playlists.ts for the arithmetic). Stateless,
 * so every server node serves the same stream. The HTTP layer hands it
 * every request under `/stream/`:
 *
 *   GET stream/live.m3u8                     live playlist (sliding window)
 *   GET stream/replay.m3u8?from=<ms>&to=<ms> VOD playlist of that wall-clock window
 *   GET stream/segments/<n>.ts               segment n (MPEG-TS), once it has started
 *   GET stream/poster.jpg                    a still for the drop's poster
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { problemType, type ProblemCode } from '../../src/protocol/types.js';
import { loadClip, type Clip } from './clip.js';
import { livePlaylist, replayPlaylist, segmentStart, sequenceAt, STREAM_EPOCH_MS, type Timeline } from './playlists.js';

export interface HlsStream {
  /** Serves `/stream/...` requests; returns false when the path is not the stream's. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
  /** Path of the live playlist, relative to the backend URL (no leading slash). */
  livePath(): string;
  /** Path of a VOD playlist covering the wall-clock window [fromMs, toMs], with the live stream's program date-times. */
  replayPath(fromMs: number, toMs: number): string;
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
  /** The wall clock (tests pin it). */
  now?: () => number;
  /** Wall-clock start of segment 0; `STREAM_EPOCH_MS` by default. Every node must use the same. */
  epochMs?: number;
}

const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
  'Access-Control-Allow-Headers': 'Range',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Range, X-Server-Time',
  'Access-Control-Max-Age': '86400',
};
/** Playlists change every segment; segments and the poster never change. */
const NO_CACHE = 'no-cache';
const IMMUTABLE = 'public, max-age=86400, immutable';

export function createHlsStream(options: HlsStreamOptions = {}): HlsStream {
  const clip = options.clip ?? loadClip();
  const window = options.window ?? 6;
  const maxReplayMs = options.maxReplayMs ?? 24 * 3600_000;
  const now = options.now ?? Date.now;
  const timeline: Timeline = { segmentMs: clip.segmentMs, loop: clip.segments.length, epochMs: options.epochMs ?? STREAM_EPOCH_MS };

  function serve(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): void {
    if (path === 'live.m3u8') return send(req, res, 200, PLAYLIST_TYPE, NO_CACHE, livePlaylist(timeline, now(), window));
    if (path === 'replay.m3u8') {
      const window = replayWindow(query);
      if (typeof window === 'string') return problem(res, 400, 'bad-request', window);
      return send(req, res, 200, PLAYLIST_TYPE, NO_CACHE, replayPlaylist(timeline, window.from, window.to));
    }
    if (path === 'poster.jpg' && clip.poster) return send(req, res, 200, 'image/jpeg', IMMUTABLE, clip.poster);
    const segment = /^segments\/(\d{1,15})\.ts$/.exec(path);
    if (segment) {
      const n = Number(segment[1]);
      if (n <= sequenceAt(timeline, now())) {
        return send(req, res, 200, 'video/mp2t', IMMUTABLE, clip.segments[n % clip.segments.length].bytes);
      }
    }
    problem(res, 404, 'not-found', `No stream resource at stream/${path}`);
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
    livePath: () => 'stream/live.m3u8',
    replayPath: (fromMs, toMs) => `stream/replay.m3u8?from=${Math.floor(fromMs)}&to=${Math.ceil(toMs)}`,
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
  const title = { 400: 'Bad request', 404: 'Not found', 405: 'Method not allowed', 416: 'Range not satisfiable' }[status] ?? 'Error';
  res.writeHead(status, { ...CORS, 'Content-Type': 'application/problem+json', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify({ type: problemType(code), code, title, status, detail }));
}
