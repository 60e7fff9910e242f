/**
 * The live chat of one drop, shared by every `<drop-chat>` (and player) on
 * the page that shows it. It reads the drop's one event stream through the
 * drop store (`$raw`: no second connection), so the first listener of the
 * chat opens the stream like any element and the last one closes it.
 *
 *   SSE `snapshot.chat` / `chat` → parseChatState / parseChatEvent → reduceChat() → $chat → <drop-chat>
 *   composer → send() → POST /v1/drops/:id/chat → the message at once (a muted shopper sees theirs), then its event
 *
 * It keeps the newest MAX_MESSAGES, so the page stays small however long the show runs.
 */
import { atom, onMount, type ReadableAtom } from 'nanostores';
import { apiClient } from './api-client.js';
import { dropStore } from './drop-store.js';
import { sharedBy } from './shared-instances.js';
import { forgetShopper, shopperToken } from './shopper-session.js';
import { parseChatEvent, parseChatMessage, parseChatState, type ChatMessage, type ChatSettings } from '../protocol/chat.js';
import { chatRoutes } from '../protocol/routes.js';
import { ApiError } from './api-client.js';

/** Messages kept (and so rendered) at most. */
export const MAX_MESSAGES = 200;

export interface ChatView {
  messages: ChatMessage[];
  settings: ChatSettings;
  /** False until the stream's first snapshot said what the chat holds. */
  ready: boolean;
}

/** What a batch of the stream did: the messages that are new to this page (for `drop-chat-message`). */
export type ChatArrival = (messages: ChatMessage[]) => void;

const initial: ChatView = { messages: [], settings: { enabled: true, slowModeSeconds: 0, pinned: null }, ready: false };

/** Adds messages not seen yet (by id, so a resume or the echo of one's own post is never shown twice), drops removed ones, keeps the newest MAX_MESSAGES. */
export function reduceChat(
  view: ChatView,
  add: ChatMessage[],
  removed: string[] = [],
  settings?: ChatSettings,
): { view: ChatView; added: ChatMessage[] } {
  const known = new Set(view.messages.map((m) => m.id));
  const added = add.filter((m) => !known.has(m.id) && !removed.includes(m.id));
  const gone = new Set(removed);
  const messages = [...view.messages.filter((m) => !gone.has(m.id)), ...added].slice(-MAX_MESSAGES);
  return { view: { messages, settings: settings ?? view.settings, ready: view.ready }, added };
}

export class ChatStore {
  readonly #view = atom<ChatView>(initial);
  readonly #arrivals = new Set<ChatArrival>();
  readonly $chat: ReadableAtom<ChatView> = this.#view;

  constructor(
    readonly backend: string,
    readonly dropId: string,
  ) {
    onMount(this.$chat, () => {
      const $raw = dropStore(backend, dropId).$raw;
      const stop = $raw.listen((message) => message && this.#apply(message.type, message.data));
      // The stream was open before the chat (cards, the player): its snapshot has passed, so ask for the newest
      // messages. Events arriving meanwhile are merged by id, so nothing shows twice and nothing is missed.
      if ($raw.get()) void this.#catchUp();
      return stop;
    });
  }

  async #catchUp() {
    try {
      const state = await apiClient(this.backend).request(chatRoutes.chat(this.dropId), { parse: (v) => parseChatState(v)! });
      const view = this.#view.get();
      const { view: next } = reduceChat(
        view,
        state.messages.filter((m) => !this.#removed.has(m.id)),
        [],
        view.ready ? view.settings : state.settings,
      );
      this.#view.set({ ...next, messages: [...next.messages].sort((a, b) => a.at - b.at), ready: true });
    } catch (error) {
      console.warn(`[live-drop] could not read the chat of drop "${this.dropId}":`, error);
    }
  }

  /** Ids the host removed: a history read before the removal must not bring them back. */
  readonly #removed = new Set<string>();

  /** Told of every message that arrives from the stream after the first snapshot (not of one's own posts). */
  onArrival(listener: ChatArrival): () => void {
    this.#arrivals.add(listener);
    return () => this.#arrivals.delete(listener);
  }

  #apply(type: string, data: string) {
    try {
      if (type === 'snapshot') {
        const state = parseChatState(JSON.parse(data).chat);
        // A snapshot without chat (the host edited the drop): the chat goes on as it was.
        if (!state) return;
        const view = this.#view.get();
        // A fresh snapshot is the whole truth: what it lacks was removed meanwhile. One's own muted posts stay.
        const own = view.messages.filter((m) => this.#own.has(m.id) && !state.messages.some((s) => s.id === m.id));
        const { view: next, added } = reduceChat({ ...view, messages: own }, state.messages, [], state.settings);
        this.#view.set({ ...next, messages: [...next.messages].sort((a, b) => a.at - b.at), ready: true });
        if (view.ready) this.#tell(added.filter((m) => !view.messages.some((v) => v.id === m.id)));
      } else if (type === 'chat') {
        const event = parseChatEvent(JSON.parse(data));
        event.removed.forEach((id) => this.#removed.add(id));
        const { view, added } = reduceChat(this.#view.get(), event.messages, event.removed, event.settings);
        this.#view.set(view);
        this.#tell(added);
      }
    } catch (error) {
      console.warn(`[live-drop] skipped a chat event of drop "${this.dropId}":`, error);
    }
  }

  #tell(added: ChatMessage[]) {
    if (!added.length) return;
    // One's own message can come back on the stream before its post is answered with its id: hold the
    // arrivals until then, so it is told once, as sent, and never as received.
    if (this.#sending) this.#held.push(...added);
    else for (const listener of this.#arrivals) listener(added);
  }

  /** Posts under way, and the arrivals held meanwhile. */
  #sending = 0;
  #held: ChatMessage[] = [];

  /** Ids of this page's own posts. */
  readonly #own = new Set<string>();

  /**
   * Posts a message: with the site's signed `identity` (verified), else as
   * this tab's anonymous shopper under `name`. Resolves with the message,
   * shown at once; rejects with the server's ApiError (a 429 carries Retry-After).
   */
  async send(text: string, { name, identity }: { name?: string; identity?: string | null }): Promise<ChatMessage> {
    const post = async (): Promise<ChatMessage> =>
      apiClient(this.backend).request(chatRoutes.chat(this.dropId), {
        method: 'POST',
        body: identity ? { text, identity } : { text, name },
        token: identity ? undefined : await shopperToken(this.backend),
        parse: parseChatMessage,
      });
    let message: ChatMessage;
    this.#sending++;
    try {
      try {
        message = await post();
      } catch (error) {
        // An expired shopper token: a new one, once.
        if (!(error instanceof ApiError && error.status === 401 && !identity)) throw error;
        forgetShopper(this.backend);
        message = await post();
      }
      this.#own.add(message.id);
      this.#view.set(reduceChat(this.#view.get(), [message]).view);
      return message;
    } finally {
      if (!--this.#sending) this.#tell(this.#held.splice(0).filter((m) => !this.#own.has(m.id)));
    }
  }
}

/** The shared chat of one drop on one backend. */
export const chatStore = sharedBy((backend: string, dropId: string) => new ChatStore(backend, dropId));
