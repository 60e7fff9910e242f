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

type MessageRow = { id: unknown; author_id: string; author_name: string; author_mark: string | null; body: string; created_at: unknown; state?: string };
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

/** Serialises one author's posts in one drop (the slow-mode and duplicate checks), on every node. */
export async function lockAuthor(q: Queryable, dropId: string, authorId: string): Promise<void> {
  await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`live-drop-chat:${dropId}:${authorId}`]);
}

export async function readSettings(q: Queryable, dropId: string): Promise<StoredSettings> {
  const [row] = await q.query<{ enabled: boolean; slow_mode_seconds: unknown; blocked_terms: unknown; pinned_id: unknown }>(
    'SELECT enabled, slow_mode_seconds, blocked_terms, pinned_id FROM chat_settings WHERE drop_id = $1',
    [dropId],
  );
  if (!row) return { enabled: true, slowModeSeconds: 0, blockedTerms: [], pinnedId: null };
  const terms = typeof row.blocked_terms === 'string' ? JSON.parse(row.blocked_terms) : row.blocked_terms;
  return { enabled: row.enabled, slowModeSeconds: num(row.slow_mode_seconds), blockedTerms: terms as string[], pinnedId: numOrNull(row.pinned_id) };
}

export async function writeSettings(q: Queryable, dropId: string, s: StoredSettings): Promise<void> {
  await q.query(
    `INSERT INTO chat_settings (drop_id, enabled, slow_mode_seconds, blocked_terms, pinned_id) VALUES ($1, $2, $3, $4::jsonb, $5)
     ON CONFLICT (drop_id) DO UPDATE SET enabled = EXCLUDED.enabled, slow_mode_seconds = EXCLUDED.slow_mode_seconds,
       blocked_terms = EXCLUDED.blocked_terms, pinned_id = EXCLUDED.pinned_id`,
    [dropId, s.enabled, s.slowModeSeconds, JSON.stringify(s.blockedTerms), s.pinnedId],
  );
}

/** The author's newest message time since `since`, and whether one with this folded text came after `dupSince`. */
export async function recentByAuthor(q: Queryable, dropId: string, authorId: string, bodyKey: string, since: number, dupSince: number) {
  const [row] = await q.query<{ last: unknown; dup: boolean | null }>(
    `SELECT MAX(created_at) AS last, BOOL_OR(body_key = $3 AND created_at > $5) AS dup
     FROM chat_messages WHERE drop_id = $1 AND author_id = $2 AND created_at > $4 AND state <> 'removed'`,
    [dropId, authorId, bodyKey, since, dupSince],
  );
  return { last: numOrNull(row?.last), duplicate: row?.dup === true };
}

export async function isMuted(q: Queryable, dropId: string, authorId: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM chat_mutes WHERE drop_id = $1 AND author_id = $2', [dropId, authorId])).length > 0;
}

export async function insertMessage(
  q: Queryable,
  m: { dropId: string; authorId: string; authorName: string; authorMark: ChatMark | null; body: string; bodyKey: string; at: number; state: MessageState },
): Promise<ChatMessage> {
  const [row] = await q.query<MessageRow>(
    `INSERT INTO chat_messages (drop_id, author_id, author_name, author_mark, body, body_key, created_at, state)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
    [m.dropId, m.authorId, m.authorName, m.authorMark, m.body, m.bodyKey, m.at, m.state],
  );
  return toMessage(row);
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
  if (muted) await q.query('INSERT INTO chat_mutes (drop_id, author_id, muted_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [dropId, authorId, now]);
  else await q.query('DELETE FROM chat_mutes WHERE drop_id = $1 AND author_id = $2', [dropId, authorId]);
}

export async function mutedAuthors(q: Queryable, dropId: string): Promise<string[]> {
  return (await q.query<{ author_id: string }>('SELECT author_id FROM chat_mutes WHERE drop_id = $1 ORDER BY muted_at', [dropId])).map((r) => r.author_id);
}

/** Drops with messages committed more than `olderThan` ago and not published yet (a node died inside its window). */
export async function dropsWithPendingChat(q: Queryable, olderThan: number): Promise<string[]> {
  const rows = await q.query<{ drop_id: string }>("SELECT DISTINCT drop_id FROM chat_messages WHERE state = 'pending' AND created_at < $1", [olderThan]);
  return rows.map((r) => r.drop_id);
}

/** Retention: forgets messages posted before `before` (a pinned one is unpinned by its foreign key). */
export async function deleteChatBefore(q: Queryable, before: number): Promise<void> {
  await q.query('DELETE FROM chat_messages WHERE created_at < $1', [before]);
}
