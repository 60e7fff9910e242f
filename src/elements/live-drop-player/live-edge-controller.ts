/**
 * Keeps a live viewer near the live edge. A viewer who fell behind without
 * choosing to (a stall, a throttled background tab) catches up by itself:
 * slightly faster playback (1.1×, hardly audible) for a small lag, a jump
 * to the live position for a large one. A viewer who paused chose to be
 * behind (live, pausing is the only way back; there is no seek bar): nothing
 * moves them, but the player offers "Go live" (`offer`) while they are
 * paused or far behind, until they are back at live.
 *
 * Both engines are handled the same way, from `Playback.behindLive()` (for
 * hls.js: behind its live sync position, the stream's PART-HOLD-BACK on a
 * Low-Latency stream). hls.js's own rate control stays off, so one rule
 * decides.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Playback } from './playback.js';

/**
 * Lag (s) from which a viewer who did not choose it is sped up. hls.js's live position moves on with the age of
 * the playlist and steps with each part, so a viewer playing smoothly is up to about half a second behind it.
 */
const CATCH_UP_FROM_S = 1;
/** …until this close again (s): hysteresis, so the rate does not flutter. */
const CAUGHT_UP_S = 0.5;
/** Lag (s) beyond which catching up by rate would take too long (at 1.1×, 4 s take 40 s): jump instead. */
const JUMP_FROM_S = 4;
/** Playback rate while catching up. */
const CATCH_UP_RATE = 1.1;
/** Lag (s) from which a viewer who chose to be behind is offered "Go live". */
export const OFFER_FROM_S = 5;

export class LiveEdgeController implements ReactiveController {
  /** Show "Go live": live, and paused or far behind by the viewer's choice. */
  offer = false;
  #video: HTMLVideoElement | undefined;
  /** The viewer paused: they are behind on purpose. */
  #chosen = false;
  #catchingUp = false;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    this.#watch(undefined);
  }

  /**
   * Called on every frame the player follows (and a few times a second):
   * adjusts the rate or jumps, and updates `offer`. Returns `offer`.
   */
  follow(playback: Playback, live: boolean): boolean {
    const video = playback.video;
    this.#watch(video);
    // Until the first frames played, where to start is the engine's business (hls.js starts at its live position).
    const started = video.played.length > 0 && !video.seeking;
    const lag = live && started ? playback.behindLive() : 0;
    if (!live || video.paused || this.#chosen) {
      this.#rate(video, false);
      if (this.#chosen && lag < CAUGHT_UP_S && !video.paused) this.#chosen = false;
      return this.#offer(live && (video.paused || lag > OFFER_FROM_S));
    }
    if (lag > JUMP_FROM_S && video.readyState >= 3) {
      this.jump(playback);
    } else {
      this.#rate(video, lag > (this.#catchingUp ? CAUGHT_UP_S : CATCH_UP_FROM_S));
    }
    return this.#offer(false);
  }

  /** To the live position, playing: what "Go live" does. */
  jump(playback: Playback): void {
    const video = playback.video;
    const position = playback.liveSyncPosition();
    this.#chosen = false;
    if (position != null && Math.abs(position - video.currentTime) > CAUGHT_UP_S) video.currentTime = position;
    if (video.paused) void video.play().catch(() => undefined);
  }

  #offer(offer: boolean): boolean {
    if (offer !== this.offer) {
      this.offer = offer;
      this.host.requestUpdate();
    }
    return offer;
  }

  #rate(video: HTMLVideoElement, fast: boolean): void {
    this.#catchingUp = fast;
    const rate = fast ? CATCH_UP_RATE : 1;
    // Only the rates this controller sets are put back: a viewer's own choice of speed is theirs.
    if (video.playbackRate !== rate && (video.playbackRate === 1 || video.playbackRate === CATCH_UP_RATE)) video.playbackRate = rate;
  }

  #watch(video: HTMLVideoElement | undefined): void {
    if (video === this.#video) return;
    this.#video?.removeEventListener('pause', this.#onPause);
    this.#video = video;
    this.#chosen = false;
    video?.addEventListener('pause', this.#onPause);
  }

  #onPause = () => {
    this.#chosen = true;
  };
}
