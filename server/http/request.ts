/** Reading what a request carries: a JSON body (bounded), bearer tokens, headers. */
import type { IncomingMessage } from 'node:http';
import { ProtocolError } from '../../src/protocol/parse.js';
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
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (type !== 'application/json' && !/^application\/[a-z0-9.+-]*\+json$/.test(type))
    throw new HttpError(415, 'unsupported-media-type', `Content-Type must be application/json, got "${type || 'none'}"`);
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new HttpError(400, 'invalid-json', `the body is not valid JSON: ${(error as Error).message}`);
  }
  const bad = unstorableString(json);
  if (bad !== null) throw new ProtocolError(bad, 'well-formed Unicode text without NUL (U+0000)');
  return json;
}

/** NUL, or a lone surrogate (in `u` mode a proper pair is one code point, never Cs). */
const UNSTORABLE = /[\0\p{Cs}]/u;

/**
 * Where the body has a string the database cannot store, or null: PostgreSQL
 * text cannot hold U+0000, and jsonb refuses a lone UTF-16 surrogate (which
 * `JSON.parse` lets through from a `\udXXX` escape). Iterative, so that a body
 * nested thousands of levels deep cannot overflow the stack; the path is only
 * spelled out for the string found.
 */
function unstorableString(json: unknown): string | null {
  type Step = { v: unknown; key: string; parent: Step | null };
  const pathOf = (step: Step | null) => {
    const keys: string[] = [];
    for (; step; step = step.parent) keys.push(step.key);
    return 'body' + keys.reverse().join('');
  };
  const pending: Step[] = [{ v: json, key: '', parent: null }];
  while (pending.length) {
    const step = pending.pop()!;
    const v = step.v;
    if (typeof v === 'string') {
      if (UNSTORABLE.test(v)) return pathOf(step);
    } else if (Array.isArray(v)) v.forEach((x, i) => pending.push({ v: x, key: `[${i}]`, parent: step }));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (UNSTORABLE.test(k)) return `${pathOf(step)} (a key)`;
        pending.push({ v: x, key: `.${k}`, parent: step });
      }
    }
  }
  return null;
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
