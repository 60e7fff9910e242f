/**
 * The one owner of the player's media state, as media-chrome's state
 * mediator is: it starts and stops the `Playback` for the URL the player
 * wants, reads the `<video>` (paused, muted, volume, time, picture in
 * picture, full screen, captions, how far behind live) into plain fields the
 * render reads, and turns the viewer's intents (play, mute, seek, captions,
 * full screen, the key map) into calls on the video. The render never touches
 * the video itself. While something plays it runs the frame clock: every
 * frame where the browser can tell (`requestVideoFrameCallback`), else four
 * times a second, and hands each tick to `onFrame`.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { LiveEdgeController } from './live-edge-controller.js';
import { Playback, type PlaybackHealth, type PlaybackMode } from './playback.js';

export interface MediaOptions {
  /** The player's `<video>` (rendered once, kept across streams). */
  video(): HTMLVideoElement;
  /** The WebVTT line for captions the stream does not place (see `PlaybackOptions.captionLine`). */
  captionLine(): number;
  /** The browser cannot play the stream at all. */
  onUnsupported(): void;
  /** Every frame while something plays. */
  onFrame(playback: Playback): void;
  /** Playback stopped (the URL changed or went away). */
  onStop(): void;
}

type VideoWithFrames = HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number };

export class MediaController implements ReactiveController {
  health: PlaybackHealth = 'loading';
  /** When the next attempt to reach a broken stream starts (ms, local clock), 0 when none is due. */
  retryAt = 0;
  paused = true;
  muted = true;
  volume = 1;
  fullscreen = false;
  pip = false;
  captionsOn = false;
  hasCaptions = false;
  /** Live, and paused or far behind by the viewer's choice: the player offers "Go live". */
  behind = false;
  /** The replay's position and length, s. */
  time = 0;
  duration = 0;

  #playback: Playback | undefined;
  #key = '';
  #frameLoop: ReturnType<typeof setInterval> | undefined;
  #live = false;
  /** Keeps a live viewer near the live edge (rate or jump) and says when to offer "Go live". */
  readonly #liveEdge: LiveEdgeController;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: MediaOptions,
  ) {
    host.addController(this);
    this.#liveEdge = new LiveEdgeController(host);
  }

  /** What plays now, once playback started. */
  get playback(): Playback | undefined {
    return this.#playback;
  }

  get #video(): HTMLVideoElement {
    return this.options.video();
  }

  hostConnected() {
    document.addEventListener('fullscreenchange', this.#onFullscreen);
  }

  hostDisconnected() {
    document.removeEventListener('fullscreenchange', this.#onFullscreen);
    this.stop();
  }

  /** Plays `url` (live or a replay) in `mode`, or stops when there is none; does nothing while that is what plays. */
  play(url: string | undefined, live: boolean, mode: PlaybackMode): void {
    const key = url ? `${mode} ${live} ${url}` : '';
    if (key === this.#key) return;
    this.stop();
    this.#key = key;
    this.#live = live;
    if (!url) return;
    const video = this.#video as VideoWithFrames;
    video.muted = this.muted;
    this.#playback = new Playback(video, url, {
      mode,
      live,
      autoplay: true,
      onHealth: (health, retryInMs) => {
        this.#set({ health, retryAt: retryInMs ? Date.now() + retryInMs : 0 });
        if (health === 'unsupported') this.options.onUnsupported();
      },
      onTracks: () => this.#set({ hasCaptions: this.#playback?.hasCaptions() ?? false }),
      captionLine: this.options.captionLine,
    });
    this.host.requestUpdate();
    const onFrame = () => {
      if (this.#playback?.video !== video) return;
      this.#tick();
      video.requestVideoFrameCallback?.(onFrame);
    };
    video.requestVideoFrameCallback?.(onFrame);
    this.#frameLoop = setInterval(() => this.#tick(), 250);
  }

  stop(): void {
    this.#playback?.destroy();
    this.#playback = undefined;
    this.#key = '';
    clearInterval(this.#frameLoop);
    this.#set({ health: 'loading', behind: false });
    this.host.requestUpdate();
    this.options.onStop();
  }

  #tick() {
    const playback = this.#playback;
    if (!playback) return;
    this.options.onFrame(playback);
    this.#set({ behind: this.#liveEdge.follow(playback, this.#live), hasCaptions: playback.hasCaptions() });
  }

  /** Sets fields and re-renders the host when one of them changed. */
  #set(
    patch: Partial<
      Pick<
        MediaController,
        | 'health'
        | 'retryAt'
        | 'paused'
        | 'muted'
        | 'volume'
        | 'fullscreen'
        | 'pip'
        | 'captionsOn'
        | 'hasCaptions'
        | 'behind'
        | 'time'
        | 'duration'
      >
    >,
  ) {
    let changed = false;
    for (const [key, value] of Object.entries(patch) as [keyof typeof patch, never][]) {
      if (this[key] === value) continue;
      this[key] = value;
      changed = true;
    }
    if (changed) this.host.requestUpdate();
  }

  // ------------------------------------------------------------ the video's own events (bound in the player's template)

  /** play, pause, playing, volumechange, enter/leavepictureinpicture. */
  onMediaEvent = () => {
    const v = this.#video;
    this.#set({ paused: v.paused, muted: v.muted, volume: v.volume, pip: document.pictureInPictureElement === v });
  };

  /** timeupdate, durationchange. */
  onTime = () => {
    const v = this.#video;
    this.#set({ time: v.currentTime, duration: Number.isFinite(v.duration) ? v.duration : 0 });
  };

  #onFullscreen = () => this.#set({ fullscreen: document.fullscreenElement === this.host });

  // ------------------------------------------------------------ the viewer's intents

  togglePlay = () => {
    if (this.#video.paused) void this.#video.play().catch(() => undefined);
    else this.#video.pause();
  };

  toggleMute = () => {
    const video = this.#video;
    video.muted = !video.muted;
    if (!video.muted && video.volume === 0) video.volume = 0.5;
  };

  unmute = () => {
    const video = this.#video;
    video.muted = false;
    if (video.volume === 0) video.volume = 1;
    if (video.paused) void video.play().catch(() => undefined);
  };

  onVolumeInput = (e: Event) => {
    const value = Number((e.target as HTMLInputElement).value);
    this.#video.volume = value;
    this.#video.muted = value === 0;
  };

  onSeekInput = (e: Event) => {
    this.#video.currentTime = Number((e.target as HTMLInputElement).value);
  };

  toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void this.host.requestFullscreen?.().catch(() => undefined);
  };

  togglePip = () => {
    if (document.pictureInPictureElement) void document.exitPictureInPicture();
    else void this.#video.requestPictureInPicture?.().catch(() => undefined);
  };

  toggleCaptions = () => {
    const on = !this.captionsOn;
    if (this.#playback?.setCaptions(on)) this.#set({ captionsOn: on });
  };

  goLive = () => this.#playback && this.#liveEdge.jump(this.#playback);

  /** The player's keys while it has focus: Space or K play/pause, M mute, F full screen, C captions. */
  onKeydown = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.composedPath()[0] as HTMLElement;
    // Buttons and sliders handle Space and arrows themselves.
    if (e.key === ' ' && (target.localName === 'button' || target.localName === 'input')) return;
    const actions: Record<string, (() => void) | undefined> = {
      ' ': this.togglePlay,
      k: this.togglePlay,
      m: this.toggleMute,
      f: this.toggleFullscreen,
      c: this.hasCaptions ? this.toggleCaptions : undefined,
    };
    const action = this.#playback ? actions[e.key.toLowerCase()] : undefined;
    if (!action) return;
    e.preventDefault();
    action();
  };
}
