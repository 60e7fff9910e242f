/**
 * The draw of a waiting line, as docs/fairness.md specifies it, so that
 * anyone can recompute it (scripts/verify-draw.ts does, with its own copy):
 *
 * - seed: 32 random bytes, written as 64 hex digits; commitment = SHA-256(seed bytes), hex.
 * - place id: the first 32 hex digits of SHA-256("live-drop line " + dropId + " " + shopperToken) (UTF-8).
 * - order: the on-time place ids sorted by SHA-256(seed bytes ‖ place id as UTF-8), hex, ascending;
 *   equal digests (never seen in practice) by place id. Position 1 is the first.
 *
 * SHA-256 of a secret, uniformly random seed with distinct inputs behaves as
 * independent uniform keys, so sorting by it is a uniformly random permutation;
 * the seed is fixed (committed) before the list is known, and the list is
 * fixed at the cutoff, before the seed is revealed.
 */
import { createHash, randomBytes } from 'node:crypto';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

export const newSeed = (): string => randomBytes(32).toString('hex');

export const commitmentOf = (seed: string): string => sha256(Buffer.from(seed, 'hex'));

export const placeIdOf = (dropId: string, shopperToken: string): string => sha256(`live-drop line ${dropId} ${shopperToken}`).slice(0, 32);

/** The on-time place ids in drawn order (position 1 first). */
export function drawOrder(seed: string, placeIds: readonly string[]): string[] {
  const seedBytes = Buffer.from(seed, 'hex');
  return placeIds
    .map((id) => ({ id, key: sha256(Buffer.concat([seedBytes, Buffer.from(id, 'utf8')])) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((p) => p.id);
}
