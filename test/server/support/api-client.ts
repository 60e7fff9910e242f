/**
 * A plain HTTP client for the server tests: every answer with its status,
 * headers and parsed body. `from` picks the client's loopback source address
 * (test/support/loopback.ts), so tests that play many shoppers stay within the
 * server's per-address limits at their defaults. Each answer is checked
 * against docs/openapi.yaml (see openapi.ts): an answer the description does not allow throws.
 */
import { request } from 'node:http';
import type { DropInput, ProductInput } from '../../../src/protocol/types.js';
import type { RunningServer } from '../../support/reference-server.js';
import { openapiMismatch } from './openapi.js';

/**
 * A parsed JSON body, read by each test as what the route it called answers (the client has already
 * checked it against docs/openapi.yaml), so it is deliberately untyped.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export type Json = any;

export interface Answer<T = Json> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as is, with `contentType` (default application/json). */
  raw?: string;
  contentType?: string;
  token?: string | null;
  headers?: Record<string, string>;
  /** Source address of the connection (default: the system's, 127.0.0.1). */
  from?: string;
}

export interface Api {
  url: string;
  hostToken: string;
  call<T = Json>(method: string, path: string, options?: CallOptions): Promise<Answer<T>>;
  host<T = Json>(method: string, path: string, body?: unknown): Promise<Answer<T>>;
  /** A new shopper token, asked for from `from` (a loopback source address). */
  newShopper(from?: string): Promise<string>;
  /** A drop on sale now (unless `startsAt` says otherwise), with a fresh id. */
  createDrop(overrides?: Partial<DropInput>): Promise<string>;
}

let seq = 0;
export const uniqueId = (prefix: string) => `${prefix}-${process.pid}-${Date.now().toString(36)}-${++seq}`;

export const tee = (id: string, stock: Record<string, number>, extra: Partial<ProductInput> = {}): ProductInput => ({
  id,
  title: `Tee ${id}`,
  prices: [
    { currency: 'USD', amount: 4900 },
    { currency: 'EUR', amount: 4500 },
  ],
  variants: Object.entries(stock).map(([vid, n]) => ({ id: vid, label: vid.toUpperCase(), stock: n })),
  limitPerCustomer: 2,
  ...extra,
});

export function apiFor(server: Pick<RunningServer, 'url' | 'hostToken'>): Api {
  const api: Api = {
    url: server.url,
    hostToken: server.hostToken,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      let body: string | undefined;
      if (options.raw !== undefined || options.body !== undefined) {
        body = options.raw ?? JSON.stringify(options.body);
        headers['content-type'] ??= options.contentType ?? 'application/json';
      }
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const res = await send(server.url + path, method, headers, body, options.from);
      const text = res.text;
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        /* not JSON: keep the text */
      }
      const mismatch = openapiMismatch(method, path, res.status, res.headers.get('content-type'), parsed);
      if (mismatch) throw new Error(mismatch);
      return { status: res.status, headers: res.headers, body: parsed as Json };
    },
    host: (method, path, body) => api.call(method, path, { body, token: server.hostToken }),
    async newShopper(from) {
      const res = await api.call('POST', '/v1/shoppers', { from });
      if (res.status !== 201) throw new Error(`POST /v1/shoppers answered ${res.status}`);
      return res.body.shopperToken;
    },
    async createDrop(overrides = {}) {
      const id = overrides.id ?? uniqueId('drop');
      const res = await api.host('POST', '/v1/host/drops', {
        id,
        title: 'Test drop',
        startsAt: Date.now() - 1000,
        products: [tee('tee', { s: 3, m: 2 })],
        ...overrides,
      });
      if (res.status !== 201) throw new Error(`creating a drop answered ${res.status}: ${JSON.stringify(res.body)}`);
      return id;
    },
  };
  return api;
}

/** One request over a fresh connection from `localAddress`. */
function send(url: string, method: string, headers: Record<string, string>, body: string | undefined, localAddress?: string) {
  return new Promise<{ status: number; headers: Headers; text: string }>((resolve, reject) => {
    const req = request(url, { method, headers, localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const h = new Headers();
        for (const [name, value] of Object.entries(res.headers)) for (const v of [value ?? []].flat()) h.append(name, v);
        resolve({ status: res.statusCode ?? 0, headers: h, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Polls `check` until it returns something truthy or the deadline passes (generous: the machine may be busy). */
export async function eventually<T>(
  check: () => Promise<T> | T,
  { timeoutMs = 15_000, intervalMs = 100, what = 'condition' } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
