import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { errorCode } from '../../core/api-client.js';
import { backendUrl } from '../../core/config.js';
import { DropController } from '../../core/drop-controller.js';
import { sendReaction } from '../../core/shopper-actions.js';
import { emit } from '../../core/events.js';
import { StoreController } from '../../core/store-controller.js';
import { themeStyles } from '../../core/theme.styles.js';
import { errorTextKey } from '../../i18n/error-text.js';
import { formatClock } from '../../i18n/format.js';
import { LocaleController } from '../../i18n/locale-controller.js';
import type { Drop, DropEventMap, ReactionKind } from '../../protocol/types.js';
import '../drop-countdown/drop-countdown.js';
import '../drop-product-card/drop-product-card.js';
import { FloatingReactions } from './floating-reactions.js';
import { icons } from './icons.js';
import { IdleController } from './idle-controller.js';
import { playerStyles } from './live-drop-player.styles.js';
import { LiveEdgeController } from './live-edge-controller.js';
import { Playback, preloadEngine, type Engine, type PlaybackHealth, type PlaybackMode } from './playback.js';
import { playerText, type PlayerStringKey } from './player-strings.js';
import { entryAt, timelineOf, type TimelineEntry } from './product-timeline.js';

export type PlayerState = 'loading' | 'scheduled' | 'live' | 'offline' | 'ended' | 'error';

export interface PlayerEventDetails {
  /** A featured product's card slid in: the playhead reached the moment the host featured it. */
  'drop-featured-shown': { dropId: string; productId: string; at: number; playhead: number | null };
  /** The viewer sent a reaction. */
  'drop-reaction': { dropId: string; kind: ReactionKind };
  /** The player's state changed (`live`, `offline`, `ended`, …). */
  'drop-player-state': { dropId: string; state: PlayerState };
}

/** WebVTT lines counted from the picture's bottom: captions clear the control bar, or sit low when it is hidden. */
const CAPTION_LINE_HIGH = -4;
const CAPTION_LINE_LOW = -2;

/**
 * @summary The drop's live show: HLS video with the featured products sliding in when the viewer sees them on screen.
 *
 * @description Plays the drop's stream through hls.js where the browser has Media Source Extensions (loaded only
 * then, as a separate chunk), natively otherwise. It starts muted (so autoplay works on phones) with an obvious
 * tap-to-unmute. Before the show it shows the poster, the title and a countdown; live, a badge and the viewer count,
 * staying near the live edge (catching up by itself after a stall) with a "Go live" button when paused or far
 * behind; afterwards the replay from the start with the same product timeline and a list of the products to jump
 * to. A broken stream is retried with backoff until it is back. A product the host features is held until the
 * playhead's program date-time (EXT-X-PROGRAM-DATE-TIME) reaches the moment it was featured, then a compact
 * `<drop-product-card>` slides in over the video. Keys while the player has focus: Space or K play/pause, M mute,
 * F full screen, C captions.
 *
 * @fires drop-featured-shown - A featured product's card slid in. `detail: { dropId, productId, at, playhead }` (`playhead`: the program date-time on screen, ms).
 * @fires drop-reaction - The viewer sent a reaction. `detail: { dropId, kind }`
 * @fires drop-player-state - The state changed. `detail: { dropId, state }`
 * @fires drop-error - The drop could not be loaded, or the stream cannot be played. `detail: { code, message }`
 *
 * @csspart base - The player box (16:9 by default).
 * @csspart video - The `<video>`.
 * @csspart poster - The poster shown before the show and after it.
 * @csspart top - The top bar: live badge, viewer count, title.
 * @csspart live-badge - The "Live" badge; a "Go live" button when paused or far behind.
 * @csspart viewers - The viewer count.
 * @csspart unmute - The "Tap to unmute" button.
 * @csspart controls - The control bar.
 * @csspart button - Every control button.
 * @csspart volume - The volume slider.
 * @csspart progress - The replay's seek bar.
 * @csspart featured - The slot the featured product's card slides into.
 * @csspart react - The heart button.
 * @csspart reactions - The layer reactions float up in.
 * @csspart reaction - One floating reaction.
 * @csspart message - The message panel (scheduled, offline, ended, error).
 * @csspart chapters - The list of products shown in the show (after it ended).
 * @csspart chapter - One product in that list.
 *
 * @cssprop --drop-accent - Focus ring and highlights.
 * @cssprop --drop-live - The live badge and the heart (default `#ff2d55`).
 * @cssprop --drop-radius - Corner radius of the player.
 * @cssprop --drop-font - Font stack.
 * @cssprop --drop-aspect-ratio - The player's aspect ratio (default `16 / 9`).
 */
export class LiveDropPlayer extends LitElement {
  // `attribute: false` marks internal state (what @state() did); the manifest analyzer reads it too.
  static override properties = {
    backend: {},
    drop: {},
    src: {},
    playback: {},
    state: { reflect: true },
    controlsHidden: { type: Boolean, reflect: true, attribute: 'controls-hidden' },
    health: { attribute: false },
    retryAt: { attribute: false },
    paused: { attribute: false },
    muted: { attribute: false },
    volume: { attribute: false },
    fullscreen: { attribute: false },
    pip: { attribute: false },
    captionsOn: { attribute: false },
    hasCaptions: { attribute: false },
    behind: { attribute: false },
    shown: { attribute: false },
    replaying: { attribute: false },
    reactionCount: { attribute: false },
    time: { attribute: false },
    duration: { attribute: false },
  };
  static override styles = [themeStyles, playerStyles];

  /** Backend URL; defaults to the page's (`data-backend` on the script tag or `configure()`). */
  backend: string | null = null;

  /** Id of the drop whose show to play. */
  drop: string | null = null;

  /** HLS URL to play live instead of the drop's own stream. */
  src: string | null = null;

  /** `auto` (hls.js where MSE exists, native HLS otherwise), or force `hlsjs` or `native`. */
  playback: PlaybackMode = 'auto';

  /** What the player shows, for CSS: `loading`, `scheduled`, `live`, `offline`, `ended` or `error`. */
  state: PlayerState = 'loading';

  /** Set while the controls are hidden (playing and nobody touched the player for a few seconds). */
  controlsHidden = false;

  private health: PlaybackHealth = 'loading';
  private retryAt = 0;
  private paused = true;
  private muted = true;
  private volume = 1;
  private fullscreen = false;
  private pip = false;
  private captionsOn = false;
  private hasCaptions = false;
  private behind = false;
  private shown: TimelineEntry | null = null;
  private replaying = false;
  private reactionCount = 0;
  private time = 0;
  private duration = 0;

  private get video() {
    return this.renderRoot.querySelector('video')!;
  }
  private get reactionLayer() {
    return this.renderRoot.querySelector<HTMLElement>('.reactions')!;
  }

  readonly #drop = new DropController(this, 'live-drop-player');
  readonly #locale = new LocaleController(this);
  readonly #viewers = new StoreController(this, () => this.#drop.store?.$viewers);
  readonly #reactions = new StoreController(this, () => this.#drop.store?.$reactions);
  readonly #idle = new IdleController(this, () => !this.paused && this.health === 'playing');
  readonly #liveEdge = new LiveEdgeController(this);

  #playback: Playback | undefined;
  #playbackKey = '';
  #frameLoop: ReturnType<typeof setInterval> | undefined;
  /** Moments the host cleared the featured product while this page watched (server time). */
  #clears: number[] = [];
  #lastFeatured: Drop['featured'] | undefined;
  #lastReactions: DropEventMap['reactions'] | undefined;
  /** Own reactions the server has not echoed back yet, so they do not float twice. */
  #ownUnechoed = 0;
  #pendingSeek: number | null = null;
  #floating: FloatingReactions | undefined;

  /** The engine playing now (`hlsjs` or `native`), once playback started. */
  get engine(): Engine | null {
    return this.#playback?.engine ?? null;
  }

  /** The program date-time (server wall-clock ms) of the frame on screen, or null when unknown. */
  get playheadTime(): number | null {
    return this.#playback?.programDateTime() ?? null;
  }

  #t(key: PlayerStringKey, params?: Record<string, string | number>) {
    return playerText(this.#locale.lang, key, params);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    preloadEngine(this.playback);
    document.addEventListener('fullscreenchange', this.#onFullscreen);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('fullscreenchange', this.#onFullscreen);
    this.#stopPlayback();
  }

  // ------------------------------------------------------------ state

  #computeState(): PlayerState {
    const drop = this.#drop.drop;
    if (this.#drop.configError || this.#drop.fatalError) return 'error';
    if (!drop) return 'loading';
    if (drop.status === 'scheduled') return 'scheduled';
    if (drop.status === 'ended') return this.replaying && this.health === 'offline' ? 'offline' : 'ended';
    if (!this.#streamUrl()) return 'offline';
    return this.health === 'offline' || this.health === 'unsupported' ? 'offline' : 'live';
  }

  /** The URL to play now, or undefined when nothing should play. */
  #streamUrl(): string | undefined {
    const drop = this.#drop.drop;
    const backend = this.#drop.resolution.backend;
    if (!drop || !backend) return undefined;
    if (drop.status === 'live') {
      const url = this.src || drop.stream.hls;
      return url ? backendUrl(backend, url) : undefined;
    }
    const replay = drop.stream.replay;
    if (drop.status === 'ended' && this.replaying && replay) return backendUrl(backend, replay);
    return undefined;
  }

  protected override willUpdate(): void {
    const drop = this.#drop.drop;
    // A cleared featured product only arrives live: remember when, in server time.
    if (drop && this.#lastFeatured && drop.featured === null) this.#clears.push(this.#drop.clock?.now() ?? Date.now());
    this.#lastFeatured = drop?.featured;
    if (drop?.status !== 'ended') this.replaying = false;
    this.state = this.#computeState();
    this.controlsHidden = this.#idle.idle && this.state === 'live';
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.#syncPlayback();
    if (changed.has('controlsHidden')) this.#playback?.placeCaptions();
    this.#floatReactions();
    const before = changed.get('state');
    if (before !== undefined && before !== this.state) {
      this.dispatchEvent(
        new CustomEvent('drop-player-state', { detail: { dropId: this.drop ?? '', state: this.state }, bubbles: true, composed: true }),
      );
      if (this.state === 'error') {
        const code = this.#drop.configError ? 'config' : errorCode(this.#drop.fatalError);
        emit(this, 'drop-error', { code, message: this.#drop.configError ?? this.#drop.fatalError?.message ?? '' });
      }
    }
  }

  // ------------------------------------------------------------ playback

  #syncPlayback() {
    const url = this.#streamUrl();
    const live = this.#drop.drop?.status === 'live';
    const key = url ? `${this.playback} ${live} ${url}` : '';
    if (key === this.#playbackKey) return;
    this.#stopPlayback();
    this.#playbackKey = key;
    if (!url) return;
    this.video.muted = this.muted;
    this.#playback = new Playback(this.video, url, {
      mode: this.playback,
      live,
      autoplay: true,
      onHealth: (health, retryInMs) => {
        this.health = health;
        this.retryAt = retryInMs ? Date.now() + retryInMs : 0;
        if (health === 'unsupported') emit(this, 'drop-error', { code: 'stream', message: this.#t('unsupported') });
      },
      onTracks: () => (this.hasCaptions = this.#playback?.hasCaptions() ?? false),
      // Above the control bar while it shows, near the bottom while it is hidden.
      captionLine: () => (this.controlsHidden ? CAPTION_LINE_LOW : CAPTION_LINE_HIGH),
    });
    this.requestUpdate();
    // Every frame where the browser can tell (requestVideoFrameCallback), else four times a second.
    const video = this.video as HTMLVideoElement & { requestVideoFrameCallback?: (cb: () => void) => number };
    const onFrame = () => {
      if (this.#playback?.video !== video) return;
      this.#tick();
      video.requestVideoFrameCallback?.(onFrame);
    };
    video.requestVideoFrameCallback?.(onFrame);
    this.#frameLoop = setInterval(() => this.#tick(), 250);
  }

  #stopPlayback() {
    this.#playback?.destroy();
    this.#playback = undefined;
    this.#playbackKey = '';
    clearInterval(this.#frameLoop);
    this.requestUpdate();
    this.health = 'loading';
    this.shown = null;
    this.behind = false;
  }

  /** Follows the playhead: which product is due, whether we are behind live, a pending jump. */
  #tick() {
    const playback = this.#playback;
    const drop = this.#drop.drop;
    if (!playback || !drop) return;
    if (this.#pendingSeek !== null && this.video.readyState >= 1) {
      const time = playback.timeForDate(this.#pendingSeek);
      if (time !== null) {
        this.video.currentTime = time;
        this.#pendingSeek = null;
      }
    }
    const playhead = playback.programDateTime();
    // Before the first frame no date is known yet, and "no date" means "show what arrived" (streams without dates).
    const due = playhead === null && this.video.readyState < 2 ? this.shown : entryAt(this.#timeline(drop), playhead);
    const next = due?.productId ? due : null;
    if (next?.productId !== this.shown?.productId || next?.at !== this.shown?.at) {
      this.shown = next;
      if (next?.productId) {
        this.dispatchEvent(
          new CustomEvent('drop-featured-shown', {
            detail: { dropId: drop.id, productId: next.productId, at: next.at, playhead },
            bubbles: true,
            composed: true,
          }),
        );
      }
    }
    this.behind = this.#liveEdge.follow(playback, drop.status === 'live');
    // The retry countdown on the offline message.
    if (this.state === 'offline') this.requestUpdate();
    this.hasCaptions = playback.hasCaptions();
  }

  #timelineCache: { history: Drop['featuredHistory']; clears: number; entries: TimelineEntry[] } | undefined;
  /** The product timeline, rebuilt only when the host changed it (this runs on every frame). */
  #timeline(drop: Drop): TimelineEntry[] {
    const c = this.#timelineCache;
    if (c && c.history === drop.featuredHistory && c.clears === this.#clears.length) return c.entries;
    const entries = timelineOf(drop.featuredHistory, this.#clears);
    this.#timelineCache = { history: drop.featuredHistory, clears: this.#clears.length, entries };
    return entries;
  }

  // ------------------------------------------------------------ user intent

  #togglePlay = () => {
    if (this.video.paused) void this.video.play().catch(() => undefined);
    else this.video.pause();
  };

  #toggleMute = () => {
    this.video.muted = !this.video.muted;
    if (!this.video.muted && this.video.volume === 0) this.video.volume = 0.5;
  };

  #unmute = () => {
    this.video.muted = false;
    if (this.video.volume === 0) this.video.volume = 1;
    if (this.video.paused) void this.video.play().catch(() => undefined);
  };

  #onVolumeInput = (e: Event) => {
    const value = Number((e.target as HTMLInputElement).value);
    this.video.volume = value;
    this.video.muted = value === 0;
  };

  #toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void this.requestFullscreen?.().catch(() => undefined);
  };

  #onFullscreen = () => (this.fullscreen = document.fullscreenElement === this);

  #togglePip = () => {
    if (document.pictureInPictureElement) void document.exitPictureInPicture();
    else void this.video.requestPictureInPicture?.().catch(() => undefined);
  };

  #toggleCaptions = () => {
    const on = !this.captionsOn;
    if (this.#playback?.setCaptions(on)) this.captionsOn = on;
  };

  #goLive = () => this.#playback && this.#liveEdge.jump(this.#playback);

  #watchReplay = (at?: number) => {
    this.replaying = true;
    // The jump waits until the replay's playlist has mapped program date-times to media time.
    this.#pendingSeek = at ?? null;
  };

  #react = () => {
    const store = this.#drop.store;
    if (!store || !this.drop) return;
    this.#ownUnechoed++;
    this.reactionCount++;
    this.#floating?.add({ heart: 1 });
    this.dispatchEvent(new CustomEvent('drop-reaction', { detail: { dropId: this.drop, kind: 'heart' }, bubbles: true, composed: true }));
    void sendReaction(store.backend, store.dropId, 'heart');
  };

  #floatReactions() {
    const reactions = this.#reactions.value;
    if (!reactions || reactions === this.#lastReactions) return;
    this.#lastReactions = reactions;
    const counts = { ...reactions.counts };
    let total = Object.values(counts).reduce((a, b) => a + b, 0);
    // Our own hearts come back in the aggregate: they already floated.
    const echoed = Math.min(this.#ownUnechoed, counts.heart ?? 0);
    this.#ownUnechoed -= echoed;
    if (counts.heart) counts.heart -= echoed;
    total -= echoed;
    this.reactionCount += total;
    this.#floating ??= new FloatingReactions(this.reactionLayer);
    this.#floating.add(counts);
  }

  #onKeydown = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.composedPath()[0] as HTMLElement;
    // Buttons and sliders handle Space and arrows themselves.
    if (e.key === ' ' && (target.localName === 'button' || target.localName === 'input')) return;
    const actions: Record<string, (() => void) | undefined> = {
      ' ': this.#togglePlay,
      k: this.#togglePlay,
      m: this.#toggleMute,
      f: this.#toggleFullscreen,
      c: this.hasCaptions ? this.#toggleCaptions : undefined,
    };
    const action = this.#playback ? actions[e.key.toLowerCase()] : undefined;
    if (!action) return;
    e.preventDefault();
    action();
  };

  #onMediaEvent = () => {
    const v = this.video;
    this.paused = v.paused;
    this.muted = v.muted;
    this.volume = v.volume;
    this.pip = document.pictureInPictureElement === v;
  };

  #onTime = () => {
    this.time = this.video.currentTime;
    this.duration = Number.isFinite(this.video.duration) ? this.video.duration : 0;
  };

  #onSeekInput = (e: Event) => {
    this.video.currentTime = Number((e.target as HTMLInputElement).value);
  };

  // ------------------------------------------------------------ render

  override render() {
    const drop = this.#drop.drop;
    const backend = this.#drop.resolution.backend;
    const poster = drop?.stream.poster && backend ? backendUrl(backend, drop.stream.poster) : undefined;
    const playing = !!this.#playback;
    return html`
      <div class="stage">
      <div
        part="base"
        class="base"
        role="region"
        aria-label=${this.#t('playerLabel', { title: drop?.title ?? '' })}
        @keydown=${this.#onKeydown}
      >
        <video
          part="video"
          playsinline
          ?hidden=${!playing}
          poster=${poster ?? nothing}
          @click=${this.muted && !this.paused ? this.#unmute : this.#togglePlay}
          @play=${this.#onMediaEvent}
          @pause=${this.#onMediaEvent}
          @playing=${this.#onMediaEvent}
          @volumechange=${this.#onMediaEvent}
          @timeupdate=${this.#onTime}
          @durationchange=${this.#onTime}
          @enterpictureinpicture=${this.#onMediaEvent}
          @leavepictureinpicture=${this.#onMediaEvent}
        ></video>
        ${!playing && poster ? html`<img part="poster" class="poster" src=${poster} alt="" />` : nothing}
        <div class="reactions" part="reactions" aria-hidden="true"></div>
        ${this.#top(drop)} ${this.#message(drop)} ${playing ? this.#controls() : nothing}
      </div>
      ${this.#featured(drop)}
      </div>
      ${drop?.status === 'ended' ? this.#chapters(drop) : nothing}
      <span class="visually-hidden" role="status">${this.#announcement(drop)}</span>
    `;
  }

  #announcement(drop: Drop | undefined) {
    const product = this.shown?.productId ? drop?.products.find((p) => p.id === this.shown!.productId) : undefined;
    if (product) return `${this.#t('featuredNow')}: ${product.title}`;
    if (this.state === 'offline') return this.#t('offline');
    if (this.state === 'ended') return this.#t('showEnded');
    return nothing;
  }

  #top(drop: Drop | undefined) {
    if (this.state !== 'live' && this.state !== 'offline') return nothing;
    const viewers = this.#viewers.value;
    const fmt = new Intl.NumberFormat(this.#locale.lang, { notation: 'compact' });
    return html`<div class="top" part="top">
      ${this.behind
        ? html`<button part="live-badge button" class="live-badge behind" @click=${this.#goLive} aria-label=${this.#t('behindLive')}>
            <span class="dot" aria-hidden="true"></span>${this.#t('goLive')}
          </button>`
        : html`<span part="live-badge" class="live-badge"><span class="dot" aria-hidden="true"></span>${this.#t('live')}</span>`}
      ${viewers !== undefined
        ? html`<span part="viewers" class="viewers"
            >${icons.eye}<span aria-hidden="true">${fmt.format(viewers)}</span
            ><span class="visually-hidden">${this.#t('viewers', { n: viewers })}</span></span
          >`
        : nothing}
      <span class="title">${drop?.title}</span>
    </div>`;
  }

  #featured(drop: Drop | undefined) {
    const productId = this.shown?.productId;
    if (!productId || !drop) return nothing;
    return html`<div class="featured" part="featured">
      ${keyed(
        `${productId} ${this.shown!.at}`,
        html`<drop-product-card compact backend=${this.#drop.resolution.backend ?? nothing} drop=${drop.id} product=${productId}></drop-product-card>`,
      )}
    </div>`;
  }

  #message(drop: Drop | undefined) {
    const t = this.#t.bind(this);
    switch (this.state) {
      case 'loading':
        return html`<div class="message" part="message"><span class="spinner" role="img" aria-label=${this.#locale.t('loading')}></span></div>`;
      case 'error': {
        const code = this.#drop.configError ? 'config' : errorCode(this.#drop.fatalError);
        return html`<div class="message" part="message" role="alert">
          <p class="headline">${this.#locale.t('errorTitle')}</p>
          <p>${this.#locale.t(errorTextKey(code, 'errorTitle'))}</p>
          ${this.#drop.configError ? nothing : html`<button part="button" class="pill" @click=${() => this.#drop.retry()}>${this.#locale.t('retry')}</button>`}
        </div>`;
      }
      case 'scheduled':
        return html`<div class="message scheduled" part="message">
          <p class="eyebrow">${drop?.brand}</p>
          <p class="headline">${drop?.title}</p>
          <drop-countdown backend=${this.#drop.resolution.backend ?? nothing} drop=${drop?.id ?? nothing}></drop-countdown>
        </div>`;
      case 'offline': {
        const unsupported = this.health === 'unsupported';
        const seconds = Math.max(1, Math.ceil((this.retryAt - Date.now()) / 1000));
        return html`<div class="message" part="message">
          ${icons.offline}
          <p class="headline">${unsupported ? t('unsupported') : this.#streamUrl() ? t('offline') : t('noStream')}</p>
          ${unsupported ? nothing : html`<p>${this.retryAt ? t('reconnectingIn', { s: seconds }) : t('reconnecting')}</p>`}
        </div>`;
      }
      case 'ended':
        if (this.replaying) return nothing;
        return html`<div class="message" part="message">
          <p class="eyebrow">${drop?.brand}</p>
          <p class="headline">${t('showEnded')}</p>
          ${drop?.stream.replay
            ? html`<button part="button" class="pill primary" @click=${() => this.#watchReplay()}>${icons.replay}${t('watchReplay')}</button>`
            : html`<p>${t('noReplay')}</p>`}
        </div>`;
    }
    if (this.health === 'loading') return html`<div class="message" part="message"><span class="spinner" role="img" aria-label=${this.#locale.t('loading')}></span></div>`;
    return nothing;
  }

  #controls() {
    const t = this.#t.bind(this);
    const canPip = document.pictureInPictureEnabled && !this.video?.disablePictureInPicture;
    return html`
      ${this.muted && !this.paused && this.health === 'playing'
        ? html`<button part="unmute button" class="unmute" @click=${this.#unmute}>${icons.muted}${t('tapToUnmute')}</button>`
        : nothing}
      ${this.state === 'live'
        ? html`<button part="react button" class="react" @click=${this.#react} aria-label=${t('react')}>
            ${icons.heart}${this.reactionCount ? html`<span class="count" aria-hidden="true">${this.#compact(this.reactionCount)}</span>` : nothing}
          </button>`
        : nothing}
      <div class="controls" part="controls">
        <button part="button" @click=${this.#togglePlay} aria-label=${this.paused ? t('play') : t('pause')}>
          ${this.paused ? icons.play : icons.pause}
        </button>
        <button part="button" @click=${this.#toggleMute} aria-label=${this.muted ? t('unmute') : t('mute')}>
          ${this.muted ? icons.muted : icons.volume}
        </button>
        <input
          part="volume"
          class="volume"
          type="range"
          min="0"
          max="1"
          step="0.05"
          .value=${String(this.muted ? 0 : this.volume)}
          aria-label=${t('volume')}
          @input=${this.#onVolumeInput}
        />
        ${this.state === 'ended' && this.duration > 0
          ? html`<input
                part="progress"
                class="progress"
                type="range"
                min="0"
                max=${this.duration}
                step="0.1"
                .value=${String(this.time)}
                aria-label=${t('seek')}
                aria-valuetext=${`${formatClock(this.time * 1000)} / ${formatClock(this.duration * 1000)}`}
                @input=${this.#onSeekInput}
              /><span class="clock" aria-hidden="true">${formatClock(this.time * 1000)} / ${formatClock(this.duration * 1000)}</span>`
          : html`<span class="spacer"></span>`}
        ${this.hasCaptions
          ? html`<button part="button" @click=${this.#toggleCaptions} aria-label=${t('captions')} aria-pressed=${this.captionsOn ? 'true' : 'false'}>
              ${icons.captions}
            </button>`
          : nothing}
        ${canPip
          ? html`<button part="button" @click=${this.#togglePip} aria-label=${t('pip')} aria-pressed=${this.pip ? 'true' : 'false'}>${icons.pip}</button>`
          : nothing}
        ${document.fullscreenEnabled
          ? html`<button part="button" @click=${this.#toggleFullscreen} aria-label=${this.fullscreen ? t('exitFullscreen') : t('fullscreen')}>
              ${this.fullscreen ? icons.exitFullscreen : icons.fullscreen}
            </button>`
          : nothing}
      </div>
    `;
  }

  #chapters(drop: Drop) {
    const products = new Map(drop.products.map((p) => [p.id, p]));
    const entries = drop.featuredHistory.filter((f) => products.has(f.productId));
    if (!entries.length || !drop.stream.replay) return nothing;
    return html`<section class="chapters" part="chapters" aria-label=${this.#t('shownProducts')}>
      <h2>${this.#t('shownProducts')}</h2>
      <ol>
        ${entries.map((f) => {
          const product = products.get(f.productId)!;
          // Where the replay plays it, once its playlist is known; until then, since the start.
          const mediaTime = this.replaying ? this.#playback?.timeForDate(f.at) : null;
          const time = formatClock(mediaTime != null ? mediaTime * 1000 : f.at - drop.startsAt);
          const image = product.images[0];
          const backend = this.#drop.resolution.backend!;
          return html`<li>
            <button part="chapter" class="chapter" @click=${() => this.#watchReplay(f.at)} title=${this.#t('jumpTo', { title: product.title, time })}>
              ${image ? html`<img src=${backendUrl(backend, image.url)} alt="" />` : html`<span class="thumb"></span>`}
              <span class="chapter-title">${product.title}</span>
              <span class="time">${time}</span>
            </button>
          </li>`;
        })}
      </ol>
    </section>`;
  }

  #compact(n: number) {
    return new Intl.NumberFormat(this.#locale.lang, { notation: 'compact' }).format(n);
  }
}

customElements.define('live-drop-player', LiveDropPlayer);

declare global {
  interface HTMLElementTagNameMap {
    'live-drop-player': LiveDropPlayer;
  }
  interface HTMLElementEventMap {
    'drop-featured-shown': CustomEvent<PlayerEventDetails['drop-featured-shown']>;
    'drop-reaction': CustomEvent<PlayerEventDetails['drop-reaction']>;
    'drop-player-state': CustomEvent<PlayerEventDetails['drop-player-state']>;
  }
}
