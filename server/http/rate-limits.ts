/**
 * Per-client rate limits (rate-limiter-flexible, memory store): how many
 * shoppers, reservations, reactions and event streams one address may start
 * per window, and how many chat messages one shopper may post (counted per
 * chat author rather than per address, so an office behind one NAT can chat). Over the limit a request is refused with 429 `too-many-requests`
 * and `Retry-After` (whole seconds until the window frees a point).
 *
 * The counters live in each node's memory. With several nodes behind a
 * balancer an address can reach each node's limit, which is why the one limit
 * that guards stock, concurrent holds per address, is counted in the database
 * by the reservation service instead (see docs/self-hosting.md).
 */
import type { IncomingMessage } from 'node:http';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { clientIp } from './client-ip.js';
import { metrics } from '../observability/metrics.js';
import { HttpError } from './problem.js';

export const RATE_LIMITED_ACTIONS = ['shoppers', 'reserve', 'react', 'streams', 'chat', 'join'] as const;
export type RateLimitedAction = (typeof RATE_LIMITED_ACTIONS)[number];

/** `points` requests per `seconds`; null switches the limit off. */
export type RateLimit = { points: number; seconds: number } | null;

const WHAT: Record<RateLimitedAction, string> = {
  shoppers: 'new shopper sessions',
  reserve: 'reservations',
  react: 'reactions',
  streams: 'event streams opened',
  chat: 'chat messages',
  join: 'joins of a waiting line',
};

export interface RateLimits {
  /** The client address of a request (X-Forwarded-For only behind trusted proxies). */
  clientIp(req: IncomingMessage): string;
  /** Counts one `action` for the request's client (or for `key`, e.g. a chat author); throws 429 when over its limit. */
  take(action: RateLimitedAction, req: IncomingMessage, key?: string): Promise<void>;
}

export function createRateLimits(limits: Record<RateLimitedAction, RateLimit>, trustProxy: number): RateLimits {
  const limiters = new Map<RateLimitedAction, RateLimiterMemory>();
  for (const action of RATE_LIMITED_ACTIONS) {
    const limit = limits[action];
    if (limit) limiters.set(action, new RateLimiterMemory({ keyPrefix: action, points: limit.points, duration: limit.seconds }));
  }
  const ip = (req: IncomingMessage) => clientIp(req, trustProxy);
  return {
    clientIp: ip,
    async take(action, req, key) {
      const limiter = limiters.get(action);
      if (!limiter) return;
      try {
        await limiter.consume(key ?? ip(req));
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        const limit = limits[action]!;
        metrics.rateLimited(action);
        const detail = `at most ${limit.points} ${WHAT[action]} per ${limit.seconds} s from one ${key ? 'shopper' : 'address'}; try again later`;
        throw new HttpError(429, 'too-many-requests', detail, undefined, {
          'Retry-After': String(Math.max(1, Math.ceil(refusal.msBeforeNext / 1000))),
        });
      }
    },
  };
}
