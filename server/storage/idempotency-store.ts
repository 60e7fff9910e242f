/** SQL for Idempotency-Key records. */
import { num, type Queryable } from './database.js';

export interface StoredAnswer {
  fingerprint: string;
  status: number;
  body: unknown;
}

/**
 * Claims the key inside the caller's transaction. Returns null when claimed
 * (go on, then `saveAnswer`), or the earlier request's record. On PostgreSQL a
 * concurrent claim of the same key waits here for the first to commit.
 */
export async function claimKey(
  q: Queryable,
  principal: string,
  key: string,
  fingerprint: string,
  now: number,
): Promise<StoredAnswer | null> {
  const claimed = await q.query(
    `INSERT INTO idempotency_keys (principal, key, fingerprint, status, body, created_at)
     VALUES ($1, $2, $3, 0, 'null', $4) ON CONFLICT (principal, key) DO NOTHING RETURNING key`,
    [principal, key, fingerprint, now],
  );
  if (claimed.length) return null;
  const [row] = await q.query<{ fingerprint: string; status: unknown; body: string }>(
    'SELECT fingerprint, status, body FROM idempotency_keys WHERE principal = $1 AND key = $2',
    [principal, key],
  );
  return { fingerprint: row.fingerprint, status: num(row.status), body: JSON.parse(row.body) };
}

export async function saveAnswer(q: Queryable, principal: string, key: string, status: number, body: unknown): Promise<void> {
  await q.query('UPDATE idempotency_keys SET status = $3, body = $4 WHERE principal = $1 AND key = $2', [
    principal,
    key,
    status,
    JSON.stringify(body),
  ]);
}

/** Keys are kept a day: long enough for any client's retries. */
export async function deleteOldKeys(q: Queryable, before: number): Promise<void> {
  await q.query('DELETE FROM idempotency_keys WHERE created_at < $1', [before]);
}
