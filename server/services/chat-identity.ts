/**
 * Chat authors. A shopper is known by their shopper token, a logged-in user
 * of the site by an identity token the site signed, the host by the host
 * token. Authors are published by an id derived from what identifies them
 * (never the token itself), stable for as long as it is, which is what a mute
 * holds on to.
 *
 * Identity tokens: `<payload>.<signature>`, both base64url (no padding);
 * payload = JSON `{ "sub": user id, "name": display name, "exp": ms since epoch }`,
 * signature = HMAC-SHA-256(secret, <payload> as ASCII). The site signs them on
 * its server with the secret the chat server is configured with.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { CHAT_NAME_MAX, chatText, type ChatAuthor } from '../../src/protocol/chat.js';
import { DomainError } from './domain-error.js';

const publicId = (prefix: string, what: string) => prefix + createHash('sha256').update(what).digest('base64url').slice(0, 22);

const refused = (detail: string) => new DomainError('unauthorized', 401, detail, { 'WWW-Authenticate': 'Bearer' });

export const hostAuthor = (name: string | undefined): ChatAuthor => ({ id: 'host', name: name ?? 'Host', mark: 'host' });

export const shopperAuthor = (shopperToken: string, name: string): ChatAuthor => ({
  id: publicId('s_', `shopper:${shopperToken}`),
  name,
  mark: null,
});

/** Signs an identity (the site's side; the reference server uses it only in tests and the demo). */
export function signIdentity(secret: string, identity: { sub: string; name: string; exp: number }): string {
  const payload = Buffer.from(JSON.stringify(identity)).toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

/** The verified author an identity token names; 401 when it is not signed with `secret`, malformed or expired. */
export function verifiedAuthor(secret: string | null, token: string, now = Date.now()): ChatAuthor {
  if (secret === null) throw refused('this server accepts no identity tokens (no --chat-identity-secret)');
  const [payload, signature, extra] = token.split('.');
  if (extra !== undefined || !payload || !signature || payload.length > 2048) throw refused('malformed identity token');
  const expected = createHmac('sha256', secret).update(payload).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw refused('identity token not signed with this server’s secret');
  let claims: { sub?: unknown; name?: unknown; exp?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw refused('malformed identity token');
  }
  if (typeof claims.sub !== 'string' || claims.sub.length < 1 || claims.sub.length > 200 || typeof claims.exp !== 'number')
    throw refused('identity token needs sub (1–200 characters) and exp (ms since epoch)');
  if (claims.exp <= now) throw refused('identity token expired');
  return { id: publicId('v_', `user:${claims.sub}`), name: chatText(claims.name, 'identity.name', CHAT_NAME_MAX), mark: 'verified' };
}
