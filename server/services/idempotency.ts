/**
 * Idempotency-Key handling, inside the caller's transaction: the key row and
 * the reservation or order it produced commit together or not at all. Only
 * successful answers are stored; a refusal rolls the claim back, so a retry
 * after `sold-out` is judged again rather than replayed.
 */
import { createHash } from 'node:crypto';
import type { Queryable } from '../storage/database.js';
import { claimKey, saveAnswer, type StoredAnswer } from '../storage/idempotency-store.js';
import { DomainError } from './domain-error.js';

/** 1–255 visible ASCII characters (a UUID is typical). */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export interface Answer<T> {
  status: number;
  body: T;
  /** True when this is the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

export interface IdempotencyScope {
  /** Who asked: keys of different callers never collide. */
  principal: string;
  key: string | null;
  /** What was asked (method, path and the parsed body). */
  request: unknown;
}

/** What identifies a request under a key: the same key with another fingerprint is a conflict. */
export const fingerprintOf = (request: unknown) => createHash('sha256').update(JSON.stringify(request)).digest('base64url');

/** The answer to a request whose key was used before: the stored answer, or a conflict when the request differs. */
export function replayOf<T>(earlier: StoredAnswer, fingerprint: string): Answer<T> {
  if (earlier.fingerprint !== fingerprint)
    throw new DomainError('idempotency-conflict', 409, 'this Idempotency-Key was already used with a different request');
  return { status: earlier.status, body: earlier.body as T, replayed: true };
}

export async function idempotent<T>(
  tx: Queryable,
  scope: IdempotencyScope,
  run: () => Promise<{ status: number; body: T }>,
): Promise<Answer<T>> {
  if (scope.key === null) return { ...(await run()), replayed: false };
  const fingerprint = fingerprintOf(scope.request);
  const earlier = await claimKey(tx, scope.principal, scope.key, fingerprint, Date.now());
  if (earlier) return replayOf(earlier, fingerprint);
  const answer = await run();
  await saveAnswer(tx, scope.principal, scope.key, answer.status, answer.body);
  return { ...answer, replayed: false };
}
