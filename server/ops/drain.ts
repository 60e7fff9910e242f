/**
 * The node's drain state after SIGTERM: once started, /readyz answers 503 so
 * the load balancer stops sending traffic, new requests are refused with 503
 * and Retry-After, and `idle()` resolves when the requests already under way
 * (and the transactions they run) have finished.
 */
import { metrics } from '../observability/metrics.js';

export interface Drain {
  readonly draining: boolean;
  /** Requests being handled now (event streams count only while they are being set up). */
  readonly inFlight: number;
  start(): void;
  /** Counts `work` as in flight until it settles. */
  track<T>(work: Promise<T>): Promise<T>;
  /** Resolves once nothing is in flight. */
  idle(): Promise<void>;
}

export function createDrain(): Drain {
  let draining = false;
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  const settle = () => {
    if (--inFlight > 0) return;
    const done = waiters;
    waiters = [];
    done.forEach((w) => w());
  };
  return {
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight;
    },
    start() {
      draining = true;
      metrics.draining(true);
    },
    track(work) {
      inFlight++;
      work.then(settle, settle);
      return work;
    },
    idle() {
      return inFlight === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve));
    },
  };
}
