/**
 * Plays one HLS URL into a <video>, through hls.js where the browser has
 * Media Source Extensions (or Managed Media Source), natively otherwise, and
 * keeps it playing: a fatal error or a playhead stuck for too long tears the
 * engine down and starts it again with backoff, until the stream is back.
 * It also answers the one question the product timeline needs: which
 * wall-clock moment (EXT-X-PROGRAM-DATE-TIME) is on screen now.
 *
 * hls.js is imported lazily, so a page without a player never loads it.
 */
import type Hls from 'hls.js';
import type { ErrorData } from 'hls.js';
import { HlsPrefetch, prefetchLoader } from './hls-prefetch.js';

export type PlaybackMode = 'auto' | 'hlsjs' | 'native';
export type Engine = 'hlsjs' | 'native';
/** `loading` until the first frame, `offline` while waiting to retry. */
export type PlaybackHealth = 'loading' | 'playing' | 'offline' | 'unsupported';

export interface PlaybackOptions {
  mode: PlaybackMode;
  live: boolean;
  /** Start playing as soon as possible (muted autoplay is left to the element). */
  autoplay: boolean;
  onHealth(health: PlaybackHealth, retryInMs?: number): void;
  /** Captions appeared or went away. */
  onTracks?(): void;
  /**
   * The line, counted up from the picture's bottom as negative WebVTT lines, for captions the stream does not
   * place itself: above the control bar while it shows. Read again on every cue change and `placeCaptions()`.
   */
  captionLine(): number;
}

/** Width of a placed caption, in % of the picture, centred. */
const CAPTION_WIDTH = 64;

/** Cues this player placed (their own line was `auto`): they follow `captionLine`. Weak, as cues go with their track. */
const placed = new WeakSet<VTTCue>();

/** Wait before retry `attempt`: 1 s, 2 s, 4 s … up to 15 s, with jitter so viewers do not return in lockstep. */
export function retryDelay(attempt: number): number {
  const ceiling = Math.min(15_000, 1000 * 2 ** attempt);
  return Math.round(ceiling * (0.75 + Math.random() * 0.25));
}

/** Seconds the playhead may stand still while meant to be playing before the engine is restarted. */
const STALL_LIMIT_MS = 12_000;

let hlsModule: Promise<typeof import('./live-drop-hls.js')> | undefined;
/** hls.js, imported once (a lazy chunk). */
const loadHls = () => (hlsModule ??= import('./live-drop-hls.js'));

/**
 * Starts downloading hls.js when `mode` will need it, so the chunk arrives while the player is still reading its
 * drop (it learns the stream URL from the drop) rather than after.
 */
export function preloadEngine(mode: PlaybackMode): void {
  if (pickEngine(mode, null) === 'hlsjs') void loadHls().catch(() => undefined);
}

/** The engine `auto` picks: hls.js wherever MSE can play H.264 + AAC, native HLS otherwise. */
export function pickEngine(mode: PlaybackMode, video: HTMLVideoElement | null): Engine | null {
  if (mode !== 'auto') return mode;
  const mse = (globalThis as { ManagedMediaSource?: typeof MediaSource }).ManagedMediaSource ?? globalThis.MediaSource;
  if (mse?.isTypeSupported?.('video/mp4; codecs="avc1.42E01E,mp4a.40.2"')) return 'hlsjs';
  if (video?.canPlayType('application/vnd.apple.mpegurl')) return 'native';
  return null;
}

export class Playback {
  readonly engine: Engine | null;
  #hls: Hls | undefined;
  #prefetch: HlsPrefetch | undefined;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #watchdog: ReturnType<typeof setInterval> | undefined;
  #lastTime = -1;
  #lastMove = 0;
  #destroyed = false;
  /** Play after (re)starting: autoplay, or the viewer was playing when the stream broke. */
  #resume: boolean;
  #cleanup: (() => void)[] = [];

  constructor(
    readonly video: HTMLVideoElement,
    readonly url: string,
    readonly options: PlaybackOptions,
  ) {
    this.#resume = options.autoplay;
    this.engine = pickEngine(options.mode, video);
    if (!this.engine) {
      options.onHealth('unsupported');
      return;
    }
    const on = <K extends keyof HTMLMediaElementEventMap>(type: K, fn: () => void) => {
      video.addEventListener(type, fn);
      this.#cleanup.push(() => video.removeEventListener(type, fn));
    };
    on('playing', () => {
      this.#attempt = 0;
      options.onHealth('playing');
    });
    on('error', () => this.engine === 'native' && this.#fail());
    // Captions the stream does not place itself sit above the control bar, not under it (see `captionLine`).
    // Text tracks outlive a Playback on the same video (they cannot be removed), so existing ones are watched too.
    const lift = (e: Event) => this.#place(e.target as TextTrack);
    const watch = (track: TextTrack | null) => {
      track?.addEventListener('cuechange', lift);
      this.#cleanup.push(() => track?.removeEventListener('cuechange', lift));
    };
    const onTrack = (e: TrackEvent) => watch(e.track as TextTrack | null);
    const tracks = video.textTracks;
    [...tracks].forEach(watch);
    tracks.addEventListener('addtrack', onTrack);
    this.#cleanup.push(() => tracks.removeEventListener('addtrack', onTrack));
    this.#watchdog = setInterval(() => this.#checkStall(), 1000);
    void this.#start();
  }

  /** Moves the captions this player places to the line `captionLine` gives now (the controls came or went). */
  placeCaptions(): void {
    for (const track of this.video.textTracks) this.#place(track);
  }

  #place(track: TextTrack) {
    const line = this.options.captionLine();
    // Chromium keeps showing a cue where it first drew it, so one already on screen is put back to be drawn anew.
    const shown = new Set(track.activeCues ?? []);
    for (const cue of [...(track.cues ?? [])]) {
      if (!(cue instanceof VTTCue)) continue;
      if (cue.line === 'auto') {
        placed.add(cue);
        // The middle of the picture, so a line clears the reaction button in the bottom corner (wrapping if need be).
        if (cue.size === 100) cue.size = CAPTION_WIDTH;
      }
      if (!placed.has(cue) || cue.line === line) continue;
      cue.line = line;
      if (shown.has(cue)) {
        track.removeCue(cue);
        track.addCue(cue);
      }
    }
  }

  /** Wall-clock ms (program date-time) of the frame on screen, or null when the stream carries none. */
  programDateTime(): number | null {
    if (this.#hls) return this.#hls.playingDate?.getTime() ?? null;
    const start = this.#nativeStartDate();
    return start === null ? null : start + this.video.currentTime * 1000;
  }

  /** Media time of a wall-clock moment of the stream, or null when it cannot be mapped. */
  timeForDate(ms: number): number | null {
    if (this.#hls) {
      const frags = this.#hls.latestLevelDetails?.fragments ?? [];
      const frag = frags.find((f) => f.programDateTime !== null && ms < f.programDateTime + f.duration * 1000) ?? frags.at(-1);
      if (!frag || frag.programDateTime === null) return null;
      return Math.max(frag.start, frag.start + (ms - frag.programDateTime) / 1000);
    }
    const start = this.#nativeStartDate();
    return start === null ? null : Math.max(0, (ms - start) / 1000);
  }

  /** Where "live" is: the position a viewer who catches up should play from. */
  liveSyncPosition(): number | null {
    if (this.#hls) return this.#hls.liveSyncPosition;
    const { seekable } = this.video;
    // Three target durations behind the edge, as hls.js does by default.
    return seekable.length ? Math.max(seekable.start(0), seekable.end(seekable.length - 1) - 6) : null;
  }

  /** Seconds behind the live position (0 when at it or not live). */
  behindLive(): number {
    const sync = this.liveSyncPosition();
    return this.options.live && sync !== null ? Math.max(0, sync - this.video.currentTime) : 0;
  }

  /** Shows or hides the first captions track; returns false when there is none. */
  setCaptions(on: boolean): boolean {
    if (this.#hls && this.#hls.subtitleTracks.length) {
      this.#hls.subtitleTrack = on ? 0 : -1;
      this.#hls.subtitleDisplay = on;
      return true;
    }
    const track = captionTracks(this.video)[0];
    if (track) track.mode = on ? 'showing' : 'hidden';
    return !!track;
  }

  hasCaptions(): boolean {
    return (this.#hls?.subtitleTracks.length ?? 0) > 0 || captionTracks(this.video).length > 0;
  }

  destroy(): void {
    this.#destroyed = true;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#watchdog);
    this.#cleanup.forEach((fn) => fn());
    this.#teardown();
  }

  async #start(): Promise<void> {
    this.options.onHealth('loading');
    this.#lastMove = performance.now();
    if (this.engine === 'native') {
      this.video.src = this.url;
    } else {
      // The playlists, init section and first part load while hls.js itself still loads and starts.
      const prefetch = (this.#prefetch = new HlsPrefetch(this.url));
      const { default: HlsClass } = await loadHls();
      if (this.#destroyed || prefetch !== this.#prefetch) return;
      const hls = new HlsClass({
        loader: prefetchLoader(HlsClass.DefaultConfig.loader, prefetch),
        // hls.js attaches to the video and reads the multivariant playlist meanwhile; it loads media once it knows where
        // to start: a live low-latency stream on a key frame (see HlsPrefetch), else where hls.js would.
        autoStartLoad: false,
        // And at the start of the first part or segment it buffers (a key frame), not a little into it.
        startOnSegmentBoundary: true,
        // Parts and blocking reloads where the stream has them (EXT-X-PART, CAN-BLOCK-RELOAD): the target latency is
        // then the stream's PART-HOLD-BACK. hls.js's own rate control (maxLiveSyncPlaybackRate) stays off: the
        // player's LiveEdgeController catches up for both engines alike.
        lowLatencyMode: true,
        // A show runs for hours: keep 30 s behind the playhead and at most 30 s ahead.
        backBufferLength: 30,
        maxBufferLength: 20,
        maxMaxBufferLength: 30,
        liveDurationInfinity: true,
      });
      this.#hls = hls;
      hls.on(HlsClass.Events.ERROR, (_event, data) => this.#onHlsError(data));
      hls.on(HlsClass.Events.SUBTITLE_TRACKS_UPDATED, () => this.options.onTracks?.());
      hls.loadSource(this.url);
      hls.attachMedia(this.video);
      const parsed = new Promise((resolve) => hls.once(HlsClass.Events.MANIFEST_PARSED, resolve));
      void Promise.all([prefetch.startPosition, parsed]).then(([start]) => this.#hls === hls && hls.startLoad(start ?? -1));
    }
    if (this.#resume) this.video.play().catch(() => undefined);
  }

  #mediaRecoveries = 0;
  #onHlsError(data: ErrorData): void {
    if (!data.fatal) return;
    // A decoder hiccup is usually cured in place; twice in a row means start over.
    if (data.type === 'mediaError' && this.#mediaRecoveries++ < 1) {
      this.#hls?.recoverMediaError();
      return;
    }
    this.#fail();
  }

  #fail(): void {
    if (this.#destroyed || this.#retryTimer) return;
    this.#resume ||= !this.video.paused;
    this.#teardown();
    const wait = retryDelay(this.#attempt++);
    this.options.onHealth('offline', wait);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#mediaRecoveries = 0;
      void this.#start();
    }, wait);
  }

  #teardown(): void {
    this.#prefetch?.destroy();
    this.#prefetch = undefined;
    this.#hls?.destroy();
    this.#hls = undefined;
    if (this.engine === 'native') {
      this.video.removeAttribute('src');
      this.video.load();
    }
  }

  #checkStall(): void {
    const v = this.video;
    const now = performance.now();
    if (v.currentTime !== this.#lastTime || v.paused || v.ended || this.#retryTimer) {
      this.#lastTime = v.currentTime;
      this.#lastMove = now;
    } else if (now - this.#lastMove > STALL_LIMIT_MS) {
      this.#fail();
    }
  }

  #nativeStartDate(): number | null {
    const date = (this.video as HTMLVideoElement & { getStartDate?: () => Date }).getStartDate?.();
    const ms = date?.getTime();
    return ms !== undefined && Number.isFinite(ms) ? ms : null;
  }
}

function captionTracks(video: HTMLVideoElement): TextTrack[] {
  return [...video.textTracks].filter((t) => t.kind === 'subtitles' || t.kind === 'captions');
}
