/**
 * A Server-Sent-Events response written to the WHATWG HTML spec
 * (§9.2 "Server-sent events"): `id:`, `event:`, one `data:` line per line of
 * data, a blank line after each event, `retry:` once, comment heartbeats.
 * Headers switch off every buffer on the way (compression, proxies).
 */
import type { ServerResponse } from 'node:http';
import { SERVER_TIME_HEADER } from '../../src/protocol/routes.js';

export interface SseWriter {
  event(id: number | string, type: string, data: unknown): void;
  comment(text: string): void;
  /** Bytes waiting to be sent: a client that reads too slowly is dropped. */
  readonly backlog: number;
  close(): void;
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
    event(id, type, data) {
      const lines = JSON.stringify(data).split('\n'); // JSON has no raw newlines; kept for safety
      res.write(`id: ${id}\nevent: ${type}\n${lines.map((l) => `data: ${l}`).join('\n')}\n\n`);
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
  };
}
