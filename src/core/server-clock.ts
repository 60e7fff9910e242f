/**
 * The server's clock as seen from this page. Everything time-based (the
 * countdown, a card unlocking, a hold's remaining time) asks `now()` here,
 * never the visitor's own clock, which may be minutes or hours off.
 *
 * The offset comes from several `/v1/time` round trips; only the fastest
 * ones are kept, because a short round trip bounds the error tightly
 * (± RTT/2). It is measured when the first listener arrives and again
 * whenever the page becomes visible (sleep, tab switches, clock changes).
 */
import { isServer } from 'lit';
import { atom, onMount, type ReadableAtom } from 'nanostores';
import { apiClient } from './api-client.js';
import { sharedBy } from './shared-instances.js';

export interface ClockSample {
  /** Server time minus local time, in ms. */
  offset: number;
  /** Round trip of the request, in ms. */
  rtt: number;
}

const SAMPLES = 5;
const KEEP = 2;
/** Re-measure now and then even on a page left open and visible. */
const RESYNC_MS = 10 * 60_000;

/** Averages the offsets of the `keep` samples with the shortest round trip. */
export function estimateOffset(samples: ClockSample[], keep = KEEP): number {
  const best = [...samples].sort((a, b) => a.rtt - b.rtt).slice(0, keep);
  return Math.round(best.reduce((sum, s) => sum + s.offset, 0) / best.length);
}

export class ServerClock {
  readonly #offset = atom<number | undefined>(undefined);
  #syncing: Promise<void> | undefined;

  /** Server minus local time in ms; `undefined` until first measured. */
  readonly $offset: ReadableAtom<number | undefined> = this.#offset;

  constructor(readonly backend: string) {
    onMount(this.#offset, () => {
      // On a server (rendering with @lit-labs/ssr) the local clock is the server's: nothing to measure.
      if (isServer) return;
      void this.sync();
      const onVisible = () => document.visibilityState === 'visible' && void this.sync();
      document.addEventListener('visibilitychange', onVisible);
      const timer = setInterval(() => void this.sync(), RESYNC_MS);
      return () => {
        document.removeEventListener('visibilitychange', onVisible);
        clearInterval(timer);
      };
    });
  }

  /** The server's current time in ms since the epoch (the local clock until measured). */
  now(): number {
    return Date.now() + (this.#offset.get() ?? 0);
  }

  get synced(): boolean {
    return this.#offset.get() !== undefined;
  }

  /** Measures the offset again; concurrent calls share one measurement. Never rejects. */
  sync(): Promise<void> {
    this.#syncing ??= this.#measure().finally(() => (this.#syncing = undefined));
    return this.#syncing;
  }

  async #measure(): Promise<void> {
    const samples: ClockSample[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      try {
        const sentLocal = Date.now();
        const sent = performance.now();
        const { now } = await apiClient(this.backend).getTime();
        const rtt = performance.now() - sent;
        // The server read its clock about halfway through the round trip.
        samples.push({ offset: now - (sentLocal + rtt / 2), rtt });
      } catch {
        break;
      }
    }
    if (samples.length) {
      this.#offset.set(estimateOffset(samples));
    } else if (!this.synced) {
      // Better a countdown on the visitor's clock than a skeleton forever; try again soon.
      console.warn('[live-drop] no server time, so the device clock for now:', this.backend);
      this.#offset.set(0);
      setTimeout(() => void this.sync(), 15_000);
    }
  }
}

/** The shared clock of a backend. */
export const serverClock = sharedBy((backend: string) => new ServerClock(backend));

/** Current server time of a backend in ms (the local clock until measured). */
export function serverNow(backend: string): number {
  return serverClock(backend).now();
}
