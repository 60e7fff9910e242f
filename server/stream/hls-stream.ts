/**
 * The simulated live stream (interface only; the implementation lands with issue 5's
 * stream work). The HTTP layer hands it every request under `/stream/`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HlsStream {
  /** Serves `/stream/...` requests; returns false when the path is not the stream's. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
  /** Path of the live playlist, relative to the backend URL (no leading slash). */
  livePath(): string;
  /** Path of a VOD playlist covering the wall-clock window [fromMs, toMs], with the live stream's program date-times. */
  replayPath(fromMs: number, toMs: number): string;
}

export function createHlsStream(): HlsStream {
  return {
    handle: () => false,
    livePath: () => 'stream/live.m3u8',
    replayPath: (fromMs, toMs) => `stream/replay.m3u8?from=${fromMs}&to=${toMs}`,
  };
}
