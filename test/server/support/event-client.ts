/**
 * A Server-Sent-Events client for the tests, parsing the stream as the
 * WHATWG spec says a browser does (fields, blank-line dispatch, comments),
 * and keeping every event so a test can wait for the one it expects.
 */
import type { Json } from './api-client.js';

export interface SseEvent {
  id: string;
  type: string;
  data: Json;
}

export interface EventClient {
  readonly status: number;
  readonly headers: Headers;
  readonly events: SseEvent[];
  readonly comments: string[];
  /** The `retry:` value, once seen. */
  readonly retry: number | null;
  /** Resolves with the first event (from the start) of `type` that passes `match`. */
  next(type: string, match?: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

export async function openEvents(url: string, { lastEventId, query }: { lastEventId?: string; query?: string } = {}): Promise<EventClient> {
  const controller = new AbortController();
  const res = await fetch(url + (query ?? ''), {
    headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let retry: number | null = null;
  const waiters = new Set<() => void>();

  (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    let [id, type, data] = ['', '', [] as string[]];
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let nl: number;
        while ((nl = buffer.search(/\r\n|\r|\n/)) >= 0) {
          const line = buffer.slice(0, nl);
          buffer = buffer.slice(nl + (buffer.startsWith('\r\n', nl) ? 2 : 1));
          if (line === '') {
            if (data.length) events.push({ id, type: type || 'message', data: JSON.parse(data.join('\n')) });
            [type, data] = ['', []];
            waiters.forEach((w) => w());
            continue;
          }
          if (line.startsWith(':')) {
            comments.push(line.slice(1).trim());
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'id') id = value;
          else if (field === 'event') type = value;
          else if (field === 'data') data.push(value);
          else if (field === 'retry' && /^\d+$/.test(value)) retry = Number(value);
        }
      }
    } catch {
      /* closed */
    }
  })();

  return {
    status: res.status,
    headers: res.headers,
    events,
    comments,
    get retry() {
      return retry;
    },
    next(wanted, match = () => true, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find((e) => e.type === wanted && match(e));
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no "${wanted}" event within ${timeoutMs} ms; got: ${events.map((e) => `${e.id}:${e.type}`).join(', ')}`));
        }, timeoutMs);
        // A wait nobody needs any more (the loser of a race) must not keep the test file's process alive for its whole timeout.
        timer.unref();
        waiters.add(check);
        check();
      });
    },
    close: () => controller.abort(),
  };
}
