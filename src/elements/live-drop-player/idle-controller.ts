/**
 * Hides the player's controls while the video plays and nobody touches it,
 * and brings them back on any pointer move, tap, key or focus inside.
 * The host reads `idle` in render and reflects it as an attribute.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

const EVENTS = ['pointermove', 'pointerdown', 'keydown', 'focusin'] as const;

export class IdleController implements ReactiveController {
  idle = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    /** Whether hiding is allowed now (playing, nothing open). */
    private readonly canHide: () => boolean,
    private readonly delayMs = 3000,
  ) {
    host.addController(this);
  }

  hostConnected() {
    for (const type of EVENTS) this.host.addEventListener(type, this.wake);
    this.host.addEventListener('pointerleave', this.#hideSoon);
    this.wake();
  }

  hostDisconnected() {
    for (const type of EVENTS) this.host.removeEventListener(type, this.wake);
    this.host.removeEventListener('pointerleave', this.#hideSoon);
    clearTimeout(this.#timer);
  }

  /** Shows the controls and restarts the idle timer. */
  wake = () => {
    clearTimeout(this.#timer);
    if (this.idle) {
      this.idle = false;
      this.host.requestUpdate();
    }
    this.#timer = setTimeout(this.#hide, this.delayMs);
  };

  #hideSoon = () => {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(this.#hide, 800);
  };

  #hide = () => {
    // Never hide under the keyboard user's focus, nor while paused or loading.
    if (!this.canHide() || this.host.matches(':focus-within')) {
      this.#timer = setTimeout(this.#hide, this.delayMs);
      return;
    }
    this.idle = true;
    this.host.requestUpdate();
  };
}
