/**
 * One drop's live connection: a first `GET` of the drop (so a wrong URL or a
 * malformed answer becomes a clear error), then the Server-Sent-Events
 * stream. On a broken stream it reconnects with exponential backoff and
 * jitter and resumes with the last event id; the server answers a resume it
 * cannot serve with a fresh snapshot.
 */
import { ApiError, apiClient, backoff } from './api-client.js';
import { DROP_EVENT_TYPES, parseDropEvent, ProtocolError } from '../protocol/parse.js';
import { clientRoutes, joinUrl } from '../protocol/routes.js';
import type { DropEvent } from '../protocol/types.js';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'error';

export interface DropStreamHandlers {
  event(event: DropEvent): void;
  state(state: ConnectionState): void;
  /** `fatal`: the drop cannot be shown at all (nothing loaded, or the backend says no). */
  error(error: Error, fatal: boolean): void;
  /** Every message as it came, the chat's too, for the lazy chunks that read more of it than the store (`<drop-chat>`). */
  raw(message: MessageEvent<string>): void;
}

/** Whether trying again later could help (the network, a busy server), as opposed to a wrong URL or id. */
function isTransient(error: unknown): boolean {
  if (error instanceof ProtocolError) return false;
  if (error instanceof ApiError) return error.status === 429 || error.status >= 500;
  return true;
}

/** Opens the drop's stream; returns the function that closes it for good. */
export function openDropStream(backend: string, dropId: string, on: DropStreamHandlers): () => void {
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let loaded = false;
  let lastEventId = '';
  let failures = 0;

  const retryLater = () => {
    timer = setTimeout(start, backoff(failures++, 500, 30_000));
  };

  async function start() {
    if (closed) return;
    if (!loaded) {
      // While retrying in the background the element keeps showing the error.
      if (!failures) on.state('connecting');
      try {
        const drop = await apiClient(backend).getDrop(dropId, 0);
        if (closed) return;
        on.event({ id: '', type: 'snapshot', data: drop });
        loaded = true;
      } catch (error) {
        if (closed) return;
        on.error(error as Error, true);
        on.state('error');
        if (isTransient(error)) retryLater();
        return;
      }
    }
    listen();
  }

  function listen() {
    const url = new URL(joinUrl(backend, clientRoutes.events(dropId)));
    if (lastEventId) url.searchParams.set('lastEventId', lastEventId);
    const es = (source = new EventSource(url));
    es.onopen = () => {
      failures = 0;
      on.state('open');
    };
    es.onerror = () => {
      // Take over from the browser's fixed retry: back off with jitter instead.
      es.close();
      if (closed) return;
      on.state('reconnecting');
      retryLater();
    };
    // `chat` is not parsed here (its parser is in the chat's chunk), but it moves the resume point like any event.
    for (const type of [...DROP_EVENT_TYPES, 'chat']) {
      es.addEventListener(type, (e) => {
        const message = e as MessageEvent<string>;
        on.raw(message);
        try {
          const event = parseDropEvent(type, message.data, message.lastEventId);
          if (message.lastEventId) lastEventId = message.lastEventId;
          if (event) on.event(event);
        } catch (error) {
          // One bad message must not take the page down: report it and keep listening.
          on.error(error as Error, false);
        }
      });
    }
  }

  void start();
  return () => {
    closed = true;
    clearTimeout(timer);
    source?.close();
  };
}
