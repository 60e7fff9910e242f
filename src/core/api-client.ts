/**
 * The typed HTTP client of protocol v1, one per backend URL. Every answer is
 * validated by `protocol/parse.ts`; a non-2xx answer becomes an `ApiError`
 * carrying the server's `Problem`. Requests that are safe to repeat (GETs,
 * DELETEs and POSTs with an idempotency key) are retried with backoff when
 * the network fails, always with the same key, so a lost answer never makes
 * a second reservation. The shopper's calls are functions in
 * `shopper-actions.ts`, so that pages that never reserve do not load them.
 */
import { parseDrop, parseProblem, parseServerTime, ProtocolError } from '../protocol/parse.js';
import { clientRoutes, joinUrl } from '../protocol/routes.js';
import { sharedBy } from './shared-instances.js';
import type { Drop, Problem, ProblemCode, ServerTime } from '../protocol/types.js';

/** The backend answered with an error status; `problem.code` says why. */
export class ApiError extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  constructor(
    readonly problem: Problem,
    /** The server's `Retry-After` (seconds to wait before trying again), if it sent one. */
    readonly retryAfter: string | null,
  ) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.code = problem.code;
    this.status = problem.status;
  }
}

/** The request never got an answer after every retry (offline, DNS, CORS, refused). */
export class NetworkError extends Error {
  constructor(
    readonly url: string,
    override readonly cause: unknown,
  ) {
    super(`Could not reach ${url}`);
    this.name = 'NetworkError';
  }
}

export interface RequestOptions<T> {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  token?: string;
  idempotencyKey?: string;
  parse: (json: unknown) => T;
  /** Safe to send again after a lost answer (default: GET, DELETE, and POST with an idempotency key). */
  repeatable?: boolean;
  /** Retries after a lost answer (default: the client's `retries`). */
  retries?: number;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);
/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Delay before retry `attempt` (0-based): exponential with full jitter, capped. */
export function backoff(attempt: number, base = 250, cap = 10_000): number {
  const ceiling = Math.min(cap, base * 2 ** attempt);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** A short machine-readable name for any error the client raises (for `drop-error` and messages). */
export function errorCode(error: unknown): string {
  if (error instanceof ApiError) return error.code;
  if (error instanceof NetworkError) return 'network';
  if (error instanceof ProtocolError) return 'protocol';
  return 'internal';
}

export class ApiClient {
  /** Retries of a request that is safe to repeat. */
  retries = 4;
  /** A server that accepts the connection but never answers counts as a network failure after this long. */
  timeoutMs = 10_000;

  constructor(readonly backend: string) {}

  async request<T>(path: string, options: RequestOptions<T>): Promise<T> {
    const { method = 'GET', body, token, idempotencyKey } = options;
    const url = joinUrl(this.backend, path);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const repeatable = options.repeatable ?? (method !== 'POST' || idempotencyKey !== undefined);
    const attempts = repeatable ? (options.retries ?? this.retries) + 1 : 1;

    for (let attempt = 0; ; attempt++) {
      const last = attempt + 1 >= attempts;
      let res: Response | undefined;
      let json: unknown;
      try {
        // Read at call time so a wrapper the page installs (or a test injects) is honoured.
        res = await globalThis.fetch(url, {
          method,
          headers,
          body: JSON.stringify(body), // undefined stays undefined: no body
          cache: 'no-store',
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        json = await readJson(res);
      } catch (cause) {
        if (last) throw new NetworkError(url, cause);
      }
      // No answer, or a busy gateway's, is worth another attempt while there are any left.
      if (res && (last || !RETRYABLE_STATUS.has(res.status))) {
        if (!res.ok) throw new ApiError(parseProblem(json, res.status), res.headers.get('retry-after'));
        if (json === undefined) throw new ProtocolError('response body', 'JSON');
        return options.parse(json);
      }
      await sleep(backoff(attempt));
    }
  }

  getDrop(dropId: string, retries = this.retries): Promise<Drop> {
    return this.request(clientRoutes.drop(dropId), { parse: parseDrop, retries });
  }

  getTime(): Promise<ServerTime> {
    return this.request(clientRoutes.time(), { parse: parseServerTime });
  }
}

/** Reads a JSON body: an empty one is `null`, one that is not JSON `undefined` (which JSON itself never gives). */
async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return undefined;
  }
}

/** The shared client for a backend URL (normalised by `resolveBackend`). */
export const apiClient = sharedBy((backend: string) => new ApiClient(backend));
