/**
 * The reservation rush that the rush benchmark times and the crash fault test
 * interrupts: every shopper reserves one unit of one variant at the same
 * moment, each with its own token and idempotency key, and retries the same
 * request (same key) when the connection fails or the server is down.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { routes } from '../../src/protocol/routes.js';
import type { Problem, Reservation } from '../../src/protocol/types.js';
import { loopbackAddress } from '../../test/support/loopback.js';
import type { HttpClient } from './http-client.js';
import type { RushDrop } from './drop-fixture.js';

export interface RushAttempt {
  shopper: number;
  variantId: string;
  idempotencyKey: string;
  /** Final HTTP status (0: gave up without an answer). */
  status: number;
  /** The reservation when granted. */
  reservation?: Reservation;
  /** The problem code when refused. */
  code?: string;
  /** Time of the final attempt, in ms. */
  ms: number;
  /** Requests sent, the first included. */
  tries: number;
  /** The server replayed the stored answer of an earlier try (Idempotent-Replayed). */
  replayed?: boolean;
}

export interface RushOptions {
  /** Retry failed connections and 5xx with the same key until this deadline (performance.now() ms); default: no retry. */
  retryUntil?: number;
  retryDelayMs?: number;
  /** Called for every answer the server gives (retries included). */
  onAnswer?: (attempt: RushAttempt) => void;
}

/**
 * Fires one reservation per shopper token, all at once, shopper i from
 * `loopbackAddress(i)` (where createShoppers made its token); resolves when
 * every shopper has a final answer.
 */
export function rush(client: HttpClient, target: RushDrop, tokens: string[], o: RushOptions = {}): Promise<RushAttempt[]> {
  return Promise.all(
    tokens.map(async (token, shopper): Promise<RushAttempt> => {
      const v = target.variants[shopper % target.variants.length];
      const attempt: RushAttempt = { shopper, variantId: v.variantId, idempotencyKey: randomUUID(), status: 0, ms: 0, tries: 0 };
      const body = { productId: v.productId, variantId: v.variantId, quantity: 1 };
      for (;;) {
        attempt.tries++;
        const started = performance.now();
        try {
          const res = await client.request('POST', routes.reservations(target.drop.id), {
            token,
            body,
            headers: { 'idempotency-key': attempt.idempotencyKey },
            timeoutMs: 15_000,
            localAddress: loopbackAddress(shopper),
          });
          attempt.status = res.status;
          attempt.ms = res.ms;
          attempt.replayed = res.headers['idempotent-replayed'] === 'true';
          if (res.status === 201) attempt.reservation = JSON.parse(res.text) as Reservation;
          else if (res.headers['content-type']?.includes('json')) attempt.code = (JSON.parse(res.text) as Problem).code;
          o.onAnswer?.(attempt);
          if (res.status < 500) return attempt;
        } catch {
          attempt.status = 0;
          attempt.ms = performance.now() - started;
        }
        if (o.retryUntil === undefined || performance.now() > o.retryUntil) return attempt;
        await new Promise((r) => setTimeout(r, o.retryDelayMs ?? 100));
      }
    }),
  );
}

export const REFUSALS = new Set(['sold-out', 'insufficient-stock']);
