/**
 * A Server-Sent-Events response written to the WHATWG HTML spec
 * (§9.2 "Server-sent events"): `id:`, `event:`, one `data:` line per line of
 * data, a blank line after each event, `retry:` once, comment heartbeats.
 * Headers switch off every buffer on the way (compression, proxies).
 */
import type { ServerResponse } from 'node:http';
import { SERVER_TIME_HEADER } from '../../src/protocol/routes.js';

/** One event as SSE text; build it once and write it to every viewer. */
export function sseFrame(id: number | string, type: string, data: unknown): string {
  // JSON.stringify never emits raw newlines, so the data is always one `data:` line.
  return `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

export interface SseWriter {
  /** Writes a frame made by `sseFrame`. */
  frame(text: string): void;
  comment(text: string): void;
  /** Bytes waiting to be sent: a client that reads too slowly is dropped. */
  readonly backlog: number;
  close(): void;
  /**
   * Ends the stream asking the client to come back: `retry:` sets how long an
   * EventSource waits before it reconnects (sending Last-Event-ID), which may
   * land on another node. The comment says why, for people reading the stream.
   */
  reconnect(retryMs: number, reason: string): void;
  /** Drops the connection at once, discarding what is still queued (a client too slow to keep up). */
  abort(): void;
}

export function openSse(res: ServerResponse, { retryMs = 2000 } = {}): SseWriter {
  res.socket?.setNoDelay(true);
  res.socket?.setKeepAlive(true);
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
    [SERVER_TIME_HEADER]: String(Date.now()),
  });
  res.write(`retry: ${retryMs}\n\n`);
  return {
    frame(text) {
      res.write(text);
    },
    comment(text) {
      res.write(`: ${text.replace(/\n/g, ' ')}\n\n`);
    },
    get backlog() {
      return res.writableLength;
    },
    close() {
      res.end();
    },
    reconnect(retryMs, reason) {
      res.end(`retry: ${Math.max(0, Math.round(retryMs))}\n: ${reason.replace(/\n/g, ' ')}\n\n`);
    },
    abort() {
      res.destroy();
    },
  };
}
