/**
 * The top of every request: request id, clock header, health probes, the
 * drain gate, CORS, the stream mount, routing, and turning anything thrown
 * into a problem. A bug answers 500 and logs; it never takes the process down.
 * Each request ends as one log line and one sample of the HTTP metrics,
 * labelled by its route pattern, never by its path: a path is whatever a
 * client typed (a token pasted into an id included), so it is not logged either.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { SERVER_TIME_HEADER } from '../../src/protocol/routes.js';
import { errorFields, flatLogger, log as processLog, type Logger } from '../observability/logger.js';
import { metrics, ROUTE_UNMATCHED } from '../observability/metrics.js';
import type { Drain } from '../ops/drain.js';
import type { Health } from '../ops/health.js';
import type { HlsStream } from '../stream/hls-stream.js';
import { applyCors } from './cors.js';
import { HttpError, problem, problemFor } from './problem.js';
import { sendJson } from './respond.js';
import type { Router } from './router.js';

export interface RequestHandlerOptions {
  router: Router;
  allowedOrigins: string[];
  stream: HlsStream;
  /** Default: the process logger. */
  log?: Logger;
  health?: Health;
  drain?: Drain;
}

export const REQUEST_ID_HEADER = 'X-Request-Id';
/** A caller's request id is kept when it looks like one (a UUID, a trace id); anything else is replaced. */
const REQUEST_ID = /^[\w.:-]{1,128}$/;
/** Seconds a client should wait before retrying on a draining node (or, through the load balancer, on another). */
const DRAIN_RETRY_AFTER_S = '1';

export function createRequestHandler({ router, allowedOrigins, stream, log, health, drain }: RequestHandlerOptions) {
  const logger = () => log ?? processLog;

  /** Handles the request; returns the route label once it is known. */
  async function handle(req: IncomingMessage, res: ServerResponse, label: { route: string }) {
    res.setHeader(SERVER_TIME_HEADER, String(Date.now()));
    const pathname = (req.url ?? '/').split('?')[0];
    const probe = health?.handle(req, res, pathname);
    if (probe) {
      label.route = pathname;
      return probe;
    }
    if (drain?.draining) {
      label.route = 'draining';
      throw new HttpError(
        503,
        'unavailable',
        'this node is shutting down; retry (the load balancer sends you to another node)',
        undefined,
        {
          'Retry-After': DRAIN_RETRY_AFTER_S,
        },
      );
    }
    let url: URL | null = null;
    try {
      url = new URL(req.url ?? '/', 'http://backend.invalid');
    } catch {
      // answered below, with CORS headers
    }
    // The simulated stream is public media with CORS of its own (any origin, Range), preflights included.
    if (url?.pathname.startsWith('/stream/')) {
      label.route = '/stream/*';
      if (!stream.handle(req, res, url)) throw new HttpError(404, 'not-found', `no stream resource ${url.pathname}`);
      return;
    }
    if (applyCors(req, res, allowedOrigins)) {
      label.route = 'preflight';
      return;
    }
    if (!url) throw new HttpError(400, 'bad-request', 'malformed request target');
    const { handler, params, pattern } = router.match(req.method ?? 'GET', url.pathname);
    label.route = pattern;
    const reply = await handler({ req, res, url, params });
    if (reply && drain?.draining) res.setHeader('Connection', 'close');
    if (reply) sendJson(res, reply.status, reply.body, reply.headers);
  }

  return (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const incoming = req.headers['x-request-id'];
    const reqId = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader(REQUEST_ID_HEADER, reqId);
    const label = { route: ROUTE_UNMATCHED };
    const method = req.method ?? 'GET';

    res.once('close', () => {
      const seconds = (performance.now() - started) / 1000;
      // An answer that never started: the client went away first (nginx's 499).
      const status = res.headersSent ? res.statusCode : 499;
      const isStream = String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');
      metrics.httpRequest(method, label.route, status, seconds, isStream);
      flatLogger(logger()).info({ reqId, method, route: label.route, status, ms: Math.round(seconds * 10_000) / 10 }, 'request');
    });

    const work = handle(req, res, label).catch((error: unknown) => {
      let answer = problemFor(error);
      if (!answer) {
        logger().error({ reqId, method, route: label.route, ...errorFields(error) }, 'request failed');
        answer = { problem: problem(500, 'internal'), headers: {} };
      }
      if (res.headersSent) return void res.destroy();
      // While draining, no connection is kept alive: the client's next request opens one the load balancer can send elsewhere.
      const close: Record<string, string> =
        (error as { closeConnection?: boolean }).closeConnection || drain?.draining ? { Connection: 'close' } : {};
      sendJson(res, answer.problem.status, answer.problem, {
        ...answer.headers,
        ...close,
        'Content-Type': 'application/problem+json; charset=utf-8',
      });
    });
    drain?.track(work);
  };
}
