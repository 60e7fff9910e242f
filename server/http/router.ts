/**
 * A tiny router: `METHOD /path/:param` patterns matched segment by segment.
 * A path that matches with another method answers 405 with `Allow`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './problem.js';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
}

/** A JSON answer; `null` means the handler wrote the response itself (SSE). */
export type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | null;
export type Handler = (ctx: RequestContext) => Promise<Reply> | Reply;

interface Route {
  method: string;
  /** As given to `add`: the label of the route in logs and metrics. */
  pattern: string;
  segments: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, pattern, segments: pattern.split('/').slice(1), handler });
    return this;
  }

  /** The handler and params for a request, or throws 404/405. */
  match(method: string, pathname: string): { handler: Handler; params: Record<string, string>; pattern: string } {
    const parts = pathname.split('/').slice(1);
    const allowed = new Set<string>();
    for (const route of this.routes) {
      const params = matchSegments(route.segments, parts);
      if (!params) continue;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET'))
        return { handler: route.handler, params, pattern: route.pattern };
      allowed.add(route.method);
    }
    if (allowed.size)
      throw new HttpError(405, 'method-not-allowed', `${method} is not allowed here`, undefined, {
        Allow: [...allowed, 'OPTIONS'].join(', '),
      });
    throw new HttpError(404, 'not-found', `no route for ${pathname}`);
  }
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) {
      if (parts[i] === '') return null;
      try {
        params[pattern[i].slice(1)] = decodeURIComponent(parts[i]);
      } catch {
        throw new HttpError(400, 'bad-request', 'malformed percent-encoding in the path');
      }
    } else if (pattern[i] !== parts[i]) return null;
  }
  return params;
}
