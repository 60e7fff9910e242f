/**
 * CORS for the configured origins. Credentials are never involved (tokens
 * travel in Authorization headers), so `*` is safe when every origin is allowed.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SERVER_TIME_HEADER } from '../../src/protocol/routes.js';

const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, Last-Event-ID';
const EXPOSED_HEADERS = `${SERVER_TIME_HEADER}, Idempotent-Replayed, Retry-After, Location, X-Request-Id`;

/** Sets the CORS headers of any answer; true when the request was a preflight (already answered). */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowedOrigins: string[]): boolean {
  const origin = req.headers.origin;
  const any = allowedOrigins.includes('*');
  if (!any) res.setHeader('Vary', 'Origin');
  const allowed = origin !== undefined && (any || allowedOrigins.includes(origin));
  if (allowed) {
    res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
    res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  }
  if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false;
  if (allowed) {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
  }
  res.writeHead(204).end();
  return true;
}
