/** Reading what a request carries: a JSON body (bounded), bearer tokens, headers. */
import type { IncomingMessage } from 'node:http';
import { HttpError } from './problem.js';

export const BODY_LIMIT_BYTES = 64 * 1024;

/** The parsed JSON body; `undefined` when the request has none. */
export async function readJson(req: IncomingMessage, limit = BODY_LIMIT_BYTES): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]*\+json$/.test(type))
    throw new HttpError(415, 'unsupported-media-type', `Content-Type must be application/json, got "${type || 'none'}"`);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new HttpError(400, 'invalid-json', `the body is not valid JSON: ${(error as Error).message}`);
  }
  // PostgreSQL text cannot hold U+0000: refuse it here rather than fail in the database.
  if (containsNul(json)) throw new HttpError(422, 'validation-failed', 'strings may not contain the NUL character (U+0000)');
  return json;
}

/** Iterative, so that a body nested thousands of levels deep cannot overflow the stack. */
function containsNul(json: unknown): boolean {
  const pending = [json];
  while (pending.length) {
    const v = pending.pop();
    if (typeof v === 'string') {
      if (v.includes('\0')) return true;
    } else if (Array.isArray(v)) for (const x of v) pending.push(x);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k.includes('\0')) return true;
        pending.push(x);
      }
    }
  }
  return false;
}

const tooLarge = (limit: number) => {
  const error = new HttpError(413, 'payload-too-large', `bodies are limited to ${limit} bytes`);
  return Object.assign(error, { closeConnection: true });
};

export function bearerToken(req: IncomingMessage): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(String(req.headers.authorization ?? ''));
  return m ? m[1] : null;
}

export function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : (v ?? null);
}
