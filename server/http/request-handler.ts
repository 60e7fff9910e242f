/**
 * The top of every request: clock header, CORS, the stream mount, routing,
 * and turning anything thrown into a problem. A bug answers 500 and logs;
 * it never takes the process down.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SERVER_TIME_HEADER } from '../../src/protocol/routes.js';
import type { HlsStream } from '../stream/hls-stream.js';
import { applyCors } from './cors.js';
import { HttpError, problem, problemFor } from './problem.js';
import { sendJson } from './respond.js';
import type { Router } from './router.js';

export interface RequestHandlerOptions {
  router: Router;
  allowedOrigins: string[];
  stream: HlsStream;
}

export function createRequestHandler({ router, allowedOrigins, stream }: RequestHandlerOptions) {
  async function handle(req: IncomingMessage, res: ServerResponse) {
    res.setHeader(SERVER_TIME_HEADER, String(Date.now()));
    let url: URL | null = null;
    try {
      url = new URL(req.url ?? '/', 'http://backend.invalid');
    } catch {
      // answered below, with CORS headers
    }
    // The simulated stream is public media with CORS of its own (any origin, Range), preflights included.
    if (url?.pathname.startsWith('/stream/')) {
      if (!stream.handle(req, res, url)) throw new HttpError(404, 'not-found', `no stream resource ${url.pathname}`);
      return;
    }
    if (applyCors(req, res, allowedOrigins)) return;
    if (!url) throw new HttpError(400, 'bad-request', 'malformed request target');
    const { handler, params } = router.match(req.method ?? 'GET', url.pathname);
    const reply = await handler({ req, res, url, params });
    if (reply) sendJson(res, reply.status, reply.body, reply.headers);
  }

  return (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      let answer = problemFor(error);
      if (!answer) {
        console.error(`${req.method} ${req.url}: ${(error as Error)?.stack ?? error}`);
        answer = { problem: problem(500, 'internal'), headers: {} };
      }
      if (res.headersSent) return void res.destroy();
      const close: Record<string, string> = (error as { closeConnection?: boolean }).closeConnection ? { Connection: 'close' } : {};
      sendJson(res, answer.problem.status, answer.problem, { ...answer.headers, ...close, 'Content-Type': 'application/problem+json; charset=utf-8' });
    });
  };
}
