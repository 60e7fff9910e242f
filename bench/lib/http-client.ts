/**
 * A small HTTP client over `node:http` for the benchmarks and the fault tests:
 * one keep-alive agent with as many sockets as the load needs (per source
 * address: `from` lets a load come from many, as shoppers do), raw paths and
 * bodies (so hostile input reaches the server byte for byte), and the time
 * each answer took.
 */
import { Agent, request, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { performance } from 'node:perf_hooks';
import { loopbackAddress } from '../../test/support/loopback.js';

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** From sending the request to the last byte of the answer, in ms. */
  ms: number;
}

export interface RequestOptions {
  /** An object is sent as JSON; a string or Buffer as is. */
  body?: unknown;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: OutgoingHttpHeaders;
  /** Give up after this many ms (default 30 s). */
  timeoutMs?: number;
  /**
   * Source address to connect from, e.g. `127.0.0.7`: spreading shoppers over
   * loopback addresses makes them distinct clients to per-IP limits. The
   * agent keeps separate keep-alive sockets per source address.
   */
  localAddress?: string;
}

/** True for a server on this machine's loopback, the only place where any 127.0.0.x can be a source. */
export const isLoopback = (host: string) => host === '127.0.0.1' || host === 'localhost';

export class HttpClient {
  readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;
  private readonly prefix: string;
  /** Source addresses the requests rotate over (0: the system's choice). */
  private readonly sources: number;
  private next = 0;

  /**
   * `spreadSources` (for a loopback server) sends request i from `loopbackAddress(i)`,
   * over at most `maxSockets` addresses, `maxSockets` connections in all.
   */
  constructor(baseUrl: string, { maxSockets = 64, spreadSources = false }: { maxSockets?: number; spreadSources?: boolean } = {}) {
    const u = new URL(baseUrl);
    this.host = u.hostname;
    this.port = Number(u.port || 80);
    this.prefix = u.pathname.replace(/\/+$/, '');
    this.sources = spreadSources && isLoopback(this.host) ? Math.min(253, maxSockets) : 0;
    // The agent pools connections per source address.
    this.agent = new Agent({ keepAlive: true, maxSockets: this.sources ? Math.ceil(maxSockets / this.sources) : maxSockets });
  }

  request(method: string, path: string, options: RequestOptions = {}): Promise<HttpAnswer> {
    const headers: OutgoingHttpHeaders = { ...options.headers };
    let body: Buffer | undefined;
    if (typeof options.body === 'string' || Buffer.isBuffer(options.body)) body = Buffer.from(options.body);
    else if (options.body !== undefined) {
      body = Buffer.from(JSON.stringify(options.body));
      headers['content-type'] ??= 'application/json';
    }
    if (body) headers['content-length'] ??= body.length;
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      let answered = false;
      const localAddress = this.sources ? loopbackAddress(this.next++ % this.sources) : undefined;
      const req = request(
        {
          host: this.host,
          port: this.port,
          method,
          path: this.prefix + path,
          headers,
          agent: this.agent,
          timeout: options.timeoutMs ?? 30_000,
          localAddress: options.localAddress ?? localAddress,
        },
        (res) => {
          answered = true;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: Buffer.concat(chunks).toString(),
              ms: performance.now() - started,
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${options.timeoutMs ?? 30_000} ms`)));
      // A server may answer (413) and close before reading a huge body: the answer counts, the write error does not.
      req.on('error', (err) => {
        if (!answered) reject(err);
      });
      req.end(body);
    });
  }

  /** A request whose answer must be 2xx JSON; throws with the server's problem otherwise. */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.request(method, path, options);
    if (res.status < 200 || res.status > 299) throw new Error(`${method} ${path} → ${res.status}: ${res.text.slice(0, 500)}`);
    return (res.text ? JSON.parse(res.text) : null) as T;
  }

  close(): void {
    this.agent.destroy();
  }
}
