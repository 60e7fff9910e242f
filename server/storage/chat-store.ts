/** SQL of the live chat (migration 006): messages, per-drop settings, muted authors. */
import type { ChatMark, ChatMessage } from '../../src/protocol/chat.js';
import { num, numOrNull, type Queryable } from './database.js';

export type MessageState = 'pending' | 'published' | 'hidden' | 'removed';

export interface StoredSettings {
  enabled: boolean;
  slowModeSeconds: number;
  blockedTerms: string[];
  pinnedId: number | null;
}

type MessageRow = {
  id: unknown;
  author_id: string;
  author_name: string;
  author_mark: string | null;
  body: string;
  created_at: unknown;
  state?: string;
};
const COLUMNS = 'id, author_id, author_name, author_mark, body, created_at, state';

/** Wire ids of messages are `m` + the row id, so they are never mistaken for event ids. */
export const messageWireId = (id: number) => `m${id}`;
export const messageRowId = (wireId: string): number | null => (/^m[1-9]\d{0,14}$/.test(wireId) ? Number(wireId.slice(1)) : null);

const toMessage = (r: MessageRow): ChatMessage => ({
  id: messageWireId(num(r.id)),
  author: { id: r.author_id, name: r.author_name, mark: r.author_mark as ChatMark | null },
  text: r.body,
  at: num(r.created_at),
});

/** Serialises the batches of posts to one drop (the slow-mode and duplicate checks), on every node. */
export async function lockChatPosts(q: Queryable, dropId: string): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`live-drop-chat:${dropId}`]);
}

export async function readSettings(q: Queryable, dropId: string): Promise<StoredSettings> {
  const [row] = await q.query<{ enabled: boolean; slow_mode_seconds: unknown; blocked_terms: unknown; pinned_id: unknown }>(
    'SELECT enabled, slow_mode_seconds, blocked_terms, pinned_id FROM chat_settings WHERE drop_id = $1',
    [dropId],
  );
  if (!row) return { enabled: true, slowModeSeconds: 0, blockedTerms: [], pinnedId: null };
  const terms = typeof row.blocked_terms === 'string' ? JSON.parse(row.blocked_terms) : row.blocked_terms;
  return {
    enabled: row.enabled,
    slowModeSeconds: num(row.slow_mode_seconds),
    blockedTerms: terms as string[],
    pinnedId: numOrNull(row.pinned_id),
  };
}

export async function writeSettings(q: Queryable, dropId: string, s: StoredSettings): Promise<void> {
  await q.query(
    `INSERT INTO chat_settings (drop_id, enabled, slow_mode_seconds, blocked_terms, pinned_id) VALUES ($1, $2, $3, $4::jsonb, $5)
     ON CONFLICT (drop_id) DO UPDATE SET enabled = EXCLUDED.enabled, slow_mode_seconds = EXCLUDED.slow_mode_seconds,
       blocked_terms = EXCLUDED.blocked_terms, pinned_id = EXCLUDED.pinned_id`,
    [dropId, s.enabled, s.slowModeSeconds, JSON.stringify(s.blockedTerms), s.pinnedId],
  );
}

/** The messages of these authors posted after `since` (not removed): their times and folded texts, for slow mode and duplicates. */
export async function recentOfAuthors(q: Queryable, dropId: string, authorIds: string[], since: number) {
  const rows = await q.query<{ author_id: string; created_at: unknown; body_key: string }>(
    `SELECT author_id, created_at, body_key FROM chat_messages
     WHERE drop_id = $1 AND author_id = ANY($2::text[]) AND created_at > $3 AND state <> 'removed'`,
    [dropId, authorIds, since],
  );
  return rows.map((r) => ({ authorId: r.author_id, at: num(r.created_at), bodyKey: r.body_key }));
}

/** Which of these authors are muted in the drop. */
export async function mutedAmong(q: Queryable, dropId: string, authorIds: string[]): Promise<Set<string>> {
  const rows = await q.query<{ author_id: string }>('SELECT author_id FROM chat_mutes WHERE drop_id = $1 AND author_id = ANY($2::text[])', [
    dropId,
    authorIds,
  ]);
  return new Set(rows.map((r) => r.author_id));
}

export interface NewMessage {
  authorId: string;
  authorName: string;
  authorMark: ChatMark | null;
  body: string;
  bodyKey: string;
  state: MessageState;
}

/** Inserts a batch's messages with one statement; returns them in the given order. */
export async function insertMessages(q: Queryable, dropId: string, at: number, messages: NewMessage[]): Promise<ChatMessage[]> {
  const column = <K extends keyof NewMessage>(k: K) => messages.map((m) => m[k]);
  const rows = await q.query<MessageRow & { ord: unknown }>(
    `INSERT INTO chat_messages (drop_id, author_id, author_name, author_mark, body, body_key, created_at, state)
     SELECT $1, t.a, t.n, t.k, t.b, t.f, $2, t.s
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) WITH ORDINALITY AS t(a, n, k, b, f, s, ord)
     ORDER BY t.ord RETURNING ${COLUMNS}`,
    [dropId, at, column('authorId'), column('authorName'), column('authorMark'), column('body'), column('bodyKey'), column('state')],
  );
  return rows.sort((a, b) => num(a.id) - num(b.id)).map(toMessage);
}

/**
 * Publishes the drop's pending messages: call it in the transaction that
 * writes their `chat` event, under the drop's event lock. Messages of an
 * author muted meanwhile become hidden instead. Returns the published ones in
 * posting order.
 */
export async function takePending(q: Queryable, dropId: string): Promise<ChatMessage[]> {
  const rows = await q.query<MessageRow>(
    `UPDATE chat_messages m SET state = CASE WHEN EXISTS (SELECT 1 FROM chat_mutes u WHERE u.drop_id = m.drop_id AND u.author_id = m.author_id)
       THEN 'hidden' ELSE 'published' END
     WHERE m.drop_id = $1 AND m.state = 'pending' RETURNING ${COLUMNS}`,
    [dropId],
  );
  return rows
    .filter((r) => r.state === 'published')
    .sort((a, b) => num(a.id) - num(b.id))
    .map(toMessage);
}

/** The newest `limit` published messages, oldest first. */
export async function recentMessages(q: Queryable, dropId: string, limit: number): Promise<ChatMessage[]> {
  const rows = await q.query<MessageRow>(
    `SELECT ${COLUMNS} FROM chat_messages WHERE drop_id = $1 AND state = 'published' ORDER BY id DESC LIMIT $2`,
    [dropId, limit],
  );
  return rows.reverse().map(toMessage);
}

export async function findMessage(q: Queryable, dropId: string, id: number): Promise<(ChatMessage & { state: MessageState }) | null> {
  const [row] = await q.query<MessageRow>(`SELECT ${COLUMNS} FROM chat_messages WHERE drop_id = $1 AND id = $2`, [dropId, id]);
  return row ? { ...toMessage(row), state: row.state as MessageState } : null;
}

/** Marks a message removed; false when the drop has no such message. */
export async function removeMessage(q: Queryable, dropId: string, id: number): Promise<boolean> {
  return (await q.query("UPDATE chat_messages SET state = 'removed' WHERE drop_id = $1 AND id = $2 RETURNING id", [dropId, id])).length > 0;
}

export async function setMuted(q: Queryable, dropId: string, authorId: string, muted: boolean, now: number): Promise<void> {
  if (muted)
    await q.query('INSERT INTO chat_mutes (drop_id, author_id, muted_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      dropId,
      authorId,
      now,
    ]);
  else await q.query('DELETE FROM chat_mutes WHERE drop_id = $1 AND author_id = $2', [dropId, authorId]);
}

export async function mutedAuthors(q: Queryable, dropId: string): Promise<string[]> {
  return (await q.query<{ author_id: string }>('SELECT author_id FROM chat_mutes WHERE drop_id = $1 ORDER BY muted_at', [dropId])).map(
    (r) => r.author_id,
  );
}

/** Drops with messages committed more than `olderThan` ago and not published yet (a node died inside its window). */
export async function dropsWithPendingChat(q: Queryable, olderThan: number): Promise<string[]> {
  const rows = await q.query<{ drop_id: string }>(
    "SELECT DISTINCT drop_id FROM chat_messages WHERE state = 'pending' AND created_at < $1",
    [olderThan],
  );
  return rows.map((r) => r.drop_id);
}

/** Retention: forgets messages posted before `before` (a pinned one is unpinned by its foreign key). */
export async function deleteChatBefore(q: Queryable, before: number): Promise<void> {
  await q.query('DELETE FROM chat_messages WHERE created_at < $1', [before]);
}
