/**
 * The live chat's rules: who may post what and when, moderation, and the
 * batched delivery.
 *
 * Posts are checked and stored `pending` in batches (group commit, one
 * transaction per batch, serialised per drop across nodes, so slow mode and
 * the duplicate check hold there too).
 * Delivery is on the leading edge per drop (see leading-edge.ts): the first
 * message after a quiet window goes out at once, the messages of the window
 * that follows go out together in one `chat` event. The publishing
 * transaction takes whatever is pending in the drop, from any node, under the
 * drop's event lock, so each message is in exactly one event, and a
 * connection's snapshot (read with its event id) holds exactly the messages
 * of the events up to that id. A node killed inside its window leaves its
 * messages pending: every node publishes such leftovers every few seconds.
 */
import {
  CHAT_HISTORY,
  type ChatAuthor,
  type ChatEvent,
  type ChatMessage,
  type ChatModeration,
  type ChatSettings,
  type ChatSettingsPatch,
  type ChatState,
} from '../../src/protocol/chat.js';
import { readSnapshot, type Database, type Queryable } from '../storage/database.js';
import {
  dropsWithPendingChat,
  findMessage,
  insertMessages,
  lockChatPosts,
  messageRowId,
  mutedAmong,
  mutedAuthors,
  readSettings,
  recentMessages,
  recentOfAuthors,
  removeMessage,
  setMuted,
  takePending,
  writeSettings,
  type NewMessage,
  type StoredSettings,
} from '../storage/chat-store.js';
import { DomainError, notFound } from './domain-error.js';
import type { EventBus } from './event-bus.js';
import { leadingEdge } from './leading-edge.js';

const DUPLICATE_WINDOW_MS = 30_000;

export interface ChatService {
  /** Stores a message for delivery; a muted author's is stored but never delivered to others. */
  post(dropId: string, author: ChatAuthor, text: string): Promise<ChatMessage>;
  /** The chat part of a connection's snapshot, read in the snapshot's transaction. */
  state(tx: Queryable, dropId: string): Promise<ChatState>;
  /** The same, read on its own (a page whose stream was open before its chat). */
  current(dropId: string): Promise<ChatState>;
  moderation(dropId: string): Promise<ChatModeration>;
  patch(dropId: string, patch: ChatSettingsPatch): Promise<ChatModeration>;
  remove(dropId: string, messageId: string): Promise<void>;
  mute(dropId: string, authorId: string, muted: boolean): Promise<void>;
  /** Publishes what is pending now and waits for it. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Text folded for comparing: compatibility forms, no accents, lower case, one space between words. */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/** Whether the folded text contains a blocked term as a whole word or phrase (so "class" does not match "ass"). */
export function blockedTermIn(text: string, terms: string[]): string | null {
  const folded = fold(text);
  for (const term of terms) {
    const t = fold(term);
    if (!t) continue;
    let at = folded.indexOf(t);
    while (at >= 0) {
      const before = folded.slice(0, at).match(/[\p{L}\p{N}]$/u);
      const after = folded.slice(at + t.length).match(/^[\p{L}\p{N}]/u);
      if (!before && !after) return term;
      at = folded.indexOf(t, at + 1);
    }
  }
  return null;
}

export function createChatService(
  db: Database,
  bus: EventBus,
  { windowMs = 150, sweepMs = 3000, drops }: { windowMs?: number; sweepMs?: number; drops: { exists(id: string): Promise<boolean> } },
): ChatService {
  const edge = leadingEdge(
    windowMs,
    (dropId) =>
      bus.publish(dropId, 'chat', async (tx) => {
        const messages = await takePending(tx, dropId);
        return messages.length ? { messages, removed: [] } : null;
      }),
    'chat feed',
  );

  const sweeper = setInterval(async () => {
    try {
      for (const dropId of await dropsWithPendingChat(db, Date.now() - sweepMs)) edge.changed(dropId);
    } catch (error) {
      console.error(`chat feed: ${(error as Error).message}`);
    }
  }, sweepMs);
  sweeper.unref();

  // Group commit, as for reservations: posts to a drop join its open batch; when none of the drop's batches is
  // committing, the open one starts at once (a lone post waits for nothing), and posts arriving meanwhile form the next.
  // A batch is one transaction of a fixed handful of statements, however many posts it holds.
  interface Post {
    author: ChatAuthor;
    text: string;
    resolve(message: ChatMessage): void;
    reject(error: unknown): void;
  }
  const open = new Map<string, Post[]>();
  const committing = new Set<string>();

  async function commitNext(dropId: string) {
    const batch = open.get(dropId);
    open.delete(dropId);
    if (!batch?.length) return;
    committing.add(dropId);
    try {
      const answers = await commit(dropId, batch);
      batch.forEach((post, i) => {
        const answer = answers[i];
        if (answer instanceof Error) post.reject(answer);
        else post.resolve(answer);
      });
      if (answers.some((a) => !(a instanceof Error))) edge.changed(dropId);
    } catch (error) {
      batch.forEach((post) => post.reject(error));
    } finally {
      committing.delete(dropId);
      if (open.has(dropId)) void commitNext(dropId);
    }
  }

  /** Judges the batch's posts in arrival order (one author's posts in it count together) and stores the accepted ones. */
  async function commit(dropId: string, batch: Post[]): Promise<(ChatMessage | Error)[]> {
    if (!(await drops.exists(dropId))) return batch.map(() => notFound(`drop "${dropId}"`));
    const now = Date.now();
    return db.transaction(async (tx) => {
      await lockChatPosts(tx, dropId);
      const settings = await readSettings(tx, dropId);
      const authors = [...new Set(batch.map((p) => p.author.id))];
      const slowMs = settings.slowModeSeconds * 1000;
      const recent = await recentOfAuthors(tx, dropId, authors, now - Math.max(slowMs, DUPLICATE_WINDOW_MS));
      const muted = await mutedAmong(tx, dropId, authors);
      const answers: (NewMessage | Error)[] = batch.map(({ author, text }) => {
        const isHost = author.mark === 'host';
        if (!settings.enabled && !isHost) return new DomainError('chat-off', 409, 'the host has switched the chat off');
        if (!isHost && blockedTermIn(text, settings.blockedTerms) !== null)
          return new DomainError('message-blocked', 422, 'the message contains a term this chat does not allow');
        const bodyKey = fold(text);
        const own = recent.filter((r) => r.authorId === author.id);
        const last = Math.max(-Infinity, ...own.map((r) => r.at));
        if (!isHost && slowMs && now - last < slowMs) {
          const wait = Math.max(1, Math.ceil((last + slowMs - now) / 1000));
          return new DomainError('slow-mode', 429, `slow mode: one message every ${settings.slowModeSeconds} s`, {
            'Retry-After': String(wait),
          });
        }
        if (own.some((r) => r.bodyKey === bodyKey && r.at > now - DUPLICATE_WINDOW_MS))
          return new DomainError('duplicate-message', 409, 'the same message was posted less than 30 s ago');
        recent.push({ authorId: author.id, at: now, bodyKey });
        return {
          authorId: author.id,
          authorName: author.name,
          authorMark: author.mark,
          body: text,
          bodyKey,
          state: !isHost && muted.has(author.id) ? 'hidden' : 'pending',
        };
      });
      const accepted = answers.filter((a): a is NewMessage => !(a instanceof Error));
      const stored = accepted.length ? await insertMessages(tx, dropId, now, accepted) : [];
      let next = 0;
      return answers.map((a) => (a instanceof Error ? a : stored[next++]));
    });
  }

  async function settingsOf(q: Queryable, dropId: string, stored: StoredSettings): Promise<ChatSettings> {
    const pinned = stored.pinnedId === null ? null : await findMessage(q, dropId, stored.pinnedId);
    const shown =
      pinned && (pinned.state === 'published' || pinned.state === 'pending')
        ? { id: pinned.id, author: pinned.author, text: pinned.text, at: pinned.at }
        : null;
    return { enabled: stored.enabled, slowModeSeconds: stored.slowModeSeconds, pinned: shown };
  }

  async function mustExist(dropId: string) {
    if (!(await drops.exists(dropId))) throw notFound(`drop "${dropId}"`);
  }

  const service: ChatService = {
    post(dropId, author, text) {
      return new Promise((resolve, reject) => {
        let batch = open.get(dropId);
        if (!batch) open.set(dropId, (batch = []));
        batch.push({ author, text, resolve, reject });
        if (!committing.has(dropId)) void commitNext(dropId);
      });
    },

    async state(tx, dropId) {
      return {
        messages: await recentMessages(tx, dropId, CHAT_HISTORY),
        settings: await settingsOf(tx, dropId, await readSettings(tx, dropId)),
      };
    },

    async current(dropId) {
      await mustExist(dropId);
      return readSnapshot(db, (tx) => service.state(tx, dropId));
    },

    async moderation(dropId) {
      await mustExist(dropId);
      const stored = await readSettings(db, dropId);
      return { ...(await settingsOf(db, dropId, stored)), blockedTerms: stored.blockedTerms, muted: await mutedAuthors(db, dropId) };
    },

    async patch(dropId, patch) {
      await mustExist(dropId);
      await bus.publish(dropId, 'chat', async (tx): Promise<ChatEvent | null> => {
        const before = await readSettings(tx, dropId);
        const after: StoredSettings = {
          enabled: patch.enabled ?? before.enabled,
          slowModeSeconds: patch.slowModeSeconds ?? before.slowModeSeconds,
          blockedTerms: patch.blockedTerms ?? before.blockedTerms,
          pinnedId: before.pinnedId,
        };
        if (patch.pinnedMessageId !== undefined) {
          const rowId = patch.pinnedMessageId === null ? null : messageRowId(patch.pinnedMessageId);
          if (patch.pinnedMessageId !== null) {
            const found = rowId === null ? null : await findMessage(tx, dropId, rowId);
            if (!found || found.state === 'removed' || found.state === 'hidden')
              throw notFound(`message "${patch.pinnedMessageId}" in the chat of drop "${dropId}"`);
          }
          after.pinnedId = rowId;
        }
        await writeSettings(tx, dropId, after);
        const shown =
          after.enabled !== before.enabled || after.slowModeSeconds !== before.slowModeSeconds || after.pinnedId !== before.pinnedId;
        return shown ? { messages: [], removed: [], settings: await settingsOf(tx, dropId, after) } : null;
      });
      return service.moderation(dropId);
    },

    async remove(dropId, messageId) {
      await mustExist(dropId);
      const rowId = messageRowId(messageId);
      const missing = () => notFound(`message "${messageId}" in the chat of drop "${dropId}"`);
      if (rowId === null) throw missing();
      await bus.publish(dropId, 'chat', async (tx): Promise<ChatEvent> => {
        if (!(await removeMessage(tx, dropId, rowId))) throw missing();
        const stored = await readSettings(tx, dropId);
        if (stored.pinnedId !== rowId) return { messages: [], removed: [messageId] };
        await writeSettings(tx, dropId, { ...stored, pinnedId: null });
        return { messages: [], removed: [messageId], settings: await settingsOf(tx, dropId, { ...stored, pinnedId: null }) };
      });
    },

    async mute(dropId, authorId, muted) {
      await mustExist(dropId);
      await setMuted(db, dropId, authorId, muted, Date.now());
    },

    flush: () => edge.flush(),
    async close() {
      clearInterval(sweeper);
      await edge.close();
    },
  };
  return service;
}
