/**
 * The live chat's part of the wire format: its types, its `chat` event and
 * the rules for a message's text. Kept out of `types.ts`/`parse.ts` so that
 * the script-tag module does not carry it: `<drop-chat>` (a lazy chunk) and
 * the server import it.
 *
 *   POST  /v1/drops/:dropId/chat                       ChatPost → 201 ChatMessage (shopper token, identity token or host token)
 *   GET   /v1/host/drops/:dropId/chat                  → ChatModeration
 *   PATCH /v1/host/drops/:dropId/chat                  ChatSettingsPatch → ChatModeration
 *   DELETE /v1/host/drops/:dropId/chat/messages/:id    → 204 (viewers get `removed`)
 *   PUT / DELETE /v1/host/drops/:dropId/chat/mutes/:authorId → 204
 */
import { among, check, count, list, orNull, ProtocolError, shape, text, time, type Check } from './parse.js';

/** `host`: the drop's host; `verified`: a user the site vouched for with a signed identity token. */
export type ChatMark = 'host' | 'verified';

export interface ChatAuthor {
  /** Public and stable for one shopper (or one verified user) in a drop: what the host mutes. Never the shopper token. */
  id: string;
  name: string;
  mark: ChatMark | null;
}

export interface ChatMessage {
  id: string;
  author: ChatAuthor;
  text: string;
  /** Server time it was posted, ms. */
  at: number;
}

/** What every viewer needs to know about the chat besides its messages. */
export interface ChatSettings {
  /** False: the host switched the chat off; nobody but the host can post. */
  enabled: boolean;
  /** 0: off; else one message per shopper per that many seconds. */
  slowModeSeconds: number;
  pinned: ChatMessage | null;
}

/**
 * `event: chat`: what happened in a short window (the reference server: 150 ms).
 * `messages` in posting order; `removed` ids vanish everywhere; `settings` only when they changed.
 */
export interface ChatEvent {
  messages: ChatMessage[];
  removed: string[];
  settings?: ChatSettings;
}

/** The chat's event on the drop's stream, next to `DropEventMap`'s. */
export interface ChatEventMap {
  chat: ChatEvent;
}

/** The `chat` field of a connection's `snapshot`: the newest messages (at most 50, oldest first) and the settings. */
export interface ChatState {
  messages: ChatMessage[];
  settings: ChatSettings;
}

/** Body of `POST /v1/drops/:dropId/chat`. */
export interface ChatPost {
  text: string;
  /** The name a shopper chose (with a shopper token); ignored with an identity token, which carries its own. */
  name?: string;
  /** A token the site signed for a logged-in user (see docs/protocol.md#identity-tokens). */
  identity?: string;
}

/** The host's view (`GET`/`PATCH /v1/host/drops/:dropId/chat`): the settings, blocked terms and muted authors. */
export interface ChatModeration extends ChatSettings {
  blockedTerms: string[];
  muted: string[];
}

export interface ChatSettingsPatch {
  enabled?: boolean;
  slowModeSeconds?: number;
  blockedTerms?: string[];
  /** A message id, or null to unpin. */
  pinnedMessageId?: string | null;
}

export const CHAT_MESSAGE_MAX = 300;
export const CHAT_NAME_MAX = 40;
export const CHAT_HISTORY = 50;
export const CHAT_SLOW_MODE_MAX = 3600;

// Control characters (C0, DEL, C1), line and paragraph separators, and the bidi overrides and isolates
// that could make a message or a name display as something else.
const FORBIDDEN = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * A message text or a name as the chat keeps it: trimmed, then 1–`max`
 * characters (code points), well-formed Unicode, no control characters.
 */
export function chatText(v: unknown, path: string, max: number): string {
  const trimmed = typeof v === 'string' ? v.trim() : v;
  const expected = `a text of 1–${max} characters without control characters`;
  if (typeof trimmed !== 'string' || LONE_SURROGATE.test(trimmed)) throw new ProtocolError(path, `well-formed Unicode text: ${expected}`);
  const length = [...trimmed].length;
  if (length < 1 || length > max || FORBIDDEN.test(trimmed)) throw new ProtocolError(path, expected);
  return trimmed;
}

const messageId = check<string>((v) => typeof v === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(v), 'a message id');
const author = shape<ChatAuthor>({ id: text(1, 64), name: text(1, 200), mark: orNull(among<ChatMark>(['host', 'verified'])) });
const message = shape<ChatMessage>({ id: messageId, author, text: text(1, 2000), at: time });
const settings = shape<ChatSettings>({
  enabled: check<boolean>((v) => typeof v === 'boolean', 'true or false'),
  slowModeSeconds: count,
  pinned: orNull(message),
});
const settingsOrAbsent: Check<ChatSettings | undefined> = (v, path) => (v === undefined ? undefined : settings(v, path));

const chatEvent = shape<ChatEvent>({ messages: list(message, 10_000), removed: list(messageId, 10_000), settings: settingsOrAbsent });
const chatState = shape<ChatState>({ messages: list(message, 1000), settings });

/** The data of a `chat` event; ProtocolError when it is malformed. */
export const parseChatEvent = (v: unknown): ChatEvent => chatEvent(v, 'event chat');
/** The `chat` field of a snapshot, or null when the backend sent none (a backend without chat). */
export const parseChatState = (v: unknown): ChatState | null => (v === undefined || v === null ? null : chatState(v, 'snapshot.chat'));
export const parseChatMessage = (v: unknown): ChatMessage => message(v, 'message');
