/**
 * Ticks an element towards an absolute deadline in server time. Each tick
 * recomputes the remaining time from the deadline and the server clock, and
 * never counts anything down, so a throttled background tab, a sleeping
 * laptop or a changed system clock cannot make the display drift. Ticks land
 * just after each whole second of the remaining time.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ServerClock } from './server-clock.js';
import { StoreController } from './store-controller.js';

export interface ClockOptions {
  /** The clock of the element's backend, once it has one. */
  clock: () => ServerClock | undefined;
  /** The deadline in server ms since the epoch, or nothing to count towards. */
  deadline: () => number | null | undefined;
  /** Called once each time a deadline is reached. */
  onReached?: (deadline: number) => void;
}

export class ClockController implements ReactiveController {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #reached: number | undefined;
  #connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: ClockOptions,
  ) {
    host.addController(this);
    // A new offset moves every deadline: re-render (and so reschedule) at once.
    new StoreController(host, () => options.clock()?.$offset);
  }

  /** Server time now (the local clock when there is no backend yet). */
  get now(): number {
    return this.options.clock()?.now() ?? Date.now();
  }

  /** Milliseconds until the deadline, never below zero; undefined without a deadline. */
  get remaining(): number | undefined {
    const deadline = this.options.deadline();
    return deadline == null ? undefined : Math.max(0, deadline - this.now);
  }

  /** Whether the server clock has been measured: until then times may be off. */
  get synced(): boolean {
    return this.options.clock()?.synced ?? true;
  }

  hostConnected() {
    this.#connected = true;
    document.addEventListener('visibilitychange', this.#tick);
    this.#tick();
  }

  hostDisconnected() {
    this.#connected = false;
    document.removeEventListener('visibilitychange', this.#tick);
    clearTimeout(this.#timer);
  }

  /** Every render re-evaluates: the inputs may have changed (e.g. the drop loaded), and a tick is a render. */
  hostUpdated() {
    if (!this.#connected) return;
    clearTimeout(this.#timer);
    const deadline = this.options.deadline();
    const remaining = this.remaining;
    if (remaining === 0) {
      if (this.#reached !== deadline && this.synced) this.options.onReached?.((this.#reached = deadline!));
      // Keep listening: an offset re-measured later may move the deadline back.
    } else if (remaining) this.#timer = setTimeout(this.#tick, (remaining % 1000 || 1000) + 15);
  }

  #tick = () => {
    if (this.#connected) this.host.requestUpdate();
  };
}
