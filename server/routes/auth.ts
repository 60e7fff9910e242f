/** Who is calling, from the Authorization header. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ID_PATTERN } from '../../src/protocol/parse.js';
import { HttpError } from '../http/problem.js';
import { bearerToken, header } from '../http/request.js';
import { IDEMPOTENCY_KEY_PATTERN } from '../services/idempotency.js';
import type { Caller } from '../services/reservation-service.js';
import type { Services } from './services.js';

const unauthorized = (detail: string) => new HttpError(401, 'unauthorized', detail, undefined, { 'WWW-Authenticate': 'Bearer' });

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Compares fixed-length digests in constant time: comparing the bytes only
 * when the lengths match would answer a guess of the secret's length more slowly.
 */
export function sameSecret(guess: string, secret: string): boolean {
  return timingSafeEqual(digest(guess), digest(secret));
}

export function requireHost(req: IncomingMessage, services: Services): void {
  const token = bearerToken(req);
  if (!token) throw unauthorized('the host API needs Authorization: Bearer <host token>');
  if (!sameSecret(token, services.hostToken)) throw unauthorized('wrong host token');
}

/** A bearer token that may be a shopper's (its form only: the caller checks it is one, e.g. in a batch). */
export function shopperTokenOf(req: IncomingMessage): string {
  const token = bearerToken(req);
  if (!token) throw unauthorized('needs Authorization: Bearer <shopperToken> from POST /v1/shoppers');
  if (token.length > 512) throw unauthorized('unknown shopper token');
  return token;
}

export async function requireShopper(req: IncomingMessage, services: Services): Promise<string> {
  const token = shopperTokenOf(req);
  if (!(await services.reservations.isShopper(token))) throw unauthorized('unknown shopper token');
  return token;
}

/**
 * Confirming a sale: the host token or the confirm-only key, which the site's
 * checkout server holds. A shopper's own token is recognised and refused with
 * 403, so a script cannot turn holds into unpaid "sales".
 */
export async function requireSite(req: IncomingMessage, services: Services): Promise<void> {
  const token = bearerToken(req);
  if (!token) throw unauthorized('confirming needs Authorization: Bearer <host token or confirm key>');
  if (sameSecret(token, services.hostToken) || (services.confirmKey !== null && sameSecret(token, services.confirmKey))) return;
  if (token.length <= 512 && (await services.reservations.isShopper(token)))
    throw new HttpError(
      403,
      'forbidden',
      "only the site confirms a sale: its checkout server sends the host token or the confirm key after payment; a shopper's token may read and cancel the hold, not confirm it",
    );
  throw unauthorized('wrong host token or confirm key');
}

/** The host token or a shopper token (read and cancel a reservation). */
export async function requireCaller(req: IncomingMessage, services: Services): Promise<Caller> {
  const token = bearerToken(req);
  if (token && sameSecret(token, services.hostToken)) return { kind: 'host' };
  return { kind: 'shopper', token: await requireShopper(req, services) };
}

export function idempotencyKey(req: IncomingMessage): string | null {
  const key = header(req, 'idempotency-key');
  if (key === null) return null;
  if (!IDEMPOTENCY_KEY_PATTERN.test(key))
    throw new HttpError(400, 'idempotency-key-invalid', 'Idempotency-Key must be 1–255 visible ASCII characters (a UUID is ideal)');
  return key;
}

/** Ids in paths: anything that cannot be an id cannot exist. */
export function pathId(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (!ID_PATTERN.test(value)) throw new HttpError(404, 'not-found', `no ${name.replace(/Id$/, '')} "${value.slice(0, 80)}"`);
  return value;
}
