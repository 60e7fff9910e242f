/**
 * A lean Server-Sent-Events client over `node:http`, light enough to hold
 * ten thousand streams in one process. It reconnects the way a browser's
 * EventSource does: after the server's `retry:` delay (or `reconnectMs`),
 * sending `Last-Event-ID` with the last id it saw.
 */
import { request, type Agent, type ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface SseMessage {
  id: string;
  type: string;
  data: string;
}

export interface SseClientOptions {
  /** The stream's full URL. */
  url: string;
  agent: Agent;
  /** Called for every dispatched event with `performance.now()` at the chunk's arrival. */
  onEvent: (message: SseMessage, receivedAt: number) => void;
  /** Called when a connection is answered with 200. */
  onOpen?: () => void;
  /** Called when a connection fails or ends (before the reconnect). */
  onDrop?: (reason: string) => void;
  /** Reconnect delay when the server sent no `retry:` (default 1000 ms). */
  reconnectMs?: number;
  /** Upper bound on the delay, whatever `retry:` says (default: none). */
  maxReconnectMs?: number;
  /** Source address of the connections, e.g. `loopbackAddress(i)` (default: the system's). */
  localAddress?: string;
}

export class SseClient {
  lastEventId = '';
  /** Connections opened, the first included. */
  connections = 0;
  private req: ClientRequest | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private retryMs: number;

  constructor(private readonly o: SseClientOptions) {
    this.retryMs = o.reconnectMs ?? 1000;
  }

  connect(): void {
    if (this.closed) return;
    this.connections++;
    const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-cache' };
    if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
    const req = request(this.o.url, { agent: this.o.agent, headers, localAddress: this.o.localAddress }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return this.dropped(`HTTP ${res.statusCode}`);
      }
      this.o.onOpen?.();
      res.setEncoding('utf8');
      let buffer = '';
      let id = '';
      let type = '';
      let data: string[] = [];
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + (buffer[nl] === '\r' && buffer[nl + 1] === '\n' ? 2 : 1));
          if (line === '') {
            if (data.length) {
              this.lastEventId = id;
              this.o.onEvent({ id, type: type || 'message', data: data.join('\n') }, at);
            }
            type = '';
            data = [];
            continue;
          }
          if (line[0] === ':') continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
          if (field === 'data') data.push(value);
          else if (field === 'event') type = value;
          else if (field === 'id' && !value.includes('\0')) id = value;
          else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
        }
      });
      res.on('end', () => this.dropped('stream ended'));
      res.on('error', (err) => this.dropped(err.message));
    });
    req.on('error', (err) => this.dropped(err.message));
    req.end();
    this.req = req;
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.req?.destroy();
  }

  private dropped(reason: string): void {
    if (this.closed || this.timer) return;
    this.req?.destroy();
    this.o.onDrop?.(reason);
    const delay = Math.min(this.retryMs, this.o.maxReconnectMs ?? Infinity);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }
}
