import { ResizeController } from '@lit-labs/observers/resize-controller.js';
import { html, isServer, nothing, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { backendUrl } from '../../core/config.js';
import type { PlayerState } from '../../core/events.js';
import { StoreController } from '../../core/store-controller.js';
import { themeStyles } from '../../core/theme.styles.js';
import { formatClock } from '../../i18n/format.js';
import type { Drop } from '../../protocol/types.js';
import { DropElement } from '../drop-element.js';
import '../drop-countdown/drop-countdown.js';
import '../drop-product-card/drop-product-card.js';
import { FeaturedController } from './featured-controller.js';
import { controlBar } from './control-bar.js';
import { icons } from './icons.js';
import { IdleController } from './idle-controller.js';
import { playerStyles } from './live-drop-player.styles.js';
import { MediaController } from './media-controller.js';
import { preloadEngine, type Engine, type PlaybackMode } from './playback.js';
import { playerText } from '../../i18n/player-strings.js';
import { ReactionsController } from './reactions-controller.js';

export type { PlayerState };

/** WebVTT lines counted from the picture's bottom: captions clear the control bar, or sit low when it is hidden. */
const CAPTION_LINE_HIGH = -4;
const CAPTION_LINE_LOW = -2;
/** Below this height (px) of the video, the chat over it would leave room for two or three messages: it goes below. */
const CHAT_OVER_MIN_HEIGHT = 200;

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
 * F full screen, C captions. The drop's live chat (`<drop-chat>`, loaded with the player) sits over the lower part
 * of the video on narrow players, below it where the video is under 200 px high, and beside it on wide ones (`chat="overlay"`
 * keeps it over the video, `chat="off"` leaves it out).
 *
 * @fires drop-featured-shown - A featured product's card slid in. `detail: { dropId, productId, at, playhead }` (`playhead`: the program date-time on screen, ms).
 * @fires drop-reaction - The viewer sent a reaction. `detail: { dropId, kind }`
 * @fires drop-player-state - The state changed. `detail: { dropId, state }`
 * @fires drop-chat-message - From the chat inside: a message sent or received. `detail: { dropId, message, direction }`
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
 * @csspart chat - The `<drop-chat>` (its own parts are exported as `chat-…`, e.g. `chat-composer`).
 *
 * @cssprop --drop-accent - Focus ring and highlights.
 * @cssprop --drop-live - The live badge and the heart (default `#ff2d55`).
 * @cssprop --drop-radius - Corner radius of the player.
 * @cssprop --drop-font - Font stack (default: the page's font family).
 * @cssprop --drop-aspect-ratio - The player's aspect ratio (default `16 / 9`).
 */
export class LiveDropPlayer extends DropElement<PlayerState> {
  // `attribute: false` marks internal state (what @state() did); the manifest analyzer reads it too.
  static override properties = {
    src: {},
    playback: {},
    chat: { reflect: true },
    chatIdentity: { attribute: 'chat-identity' },
    state: { reflect: true },
    controlsHidden: { type: Boolean, reflect: true, attribute: 'controls-hidden' },
    replaying: { attribute: false },
  };
  static override styles = [themeStyles, playerStyles];

  /** HLS URL to play live instead of the drop's own stream. */
  src: string | null = null;

  /** `auto` (hls.js where MSE exists, native HLS otherwise), or force `hlsjs` or `native`. */
  playback: PlaybackMode = 'auto';

  /**
   * Where the live chat goes: `auto` (over the video when the player is narrow, below it when the video is under
   * 200 px high, beside it when wide), `overlay`
   * (always over the video), or `off` (e.g. to put a `<drop-chat>` elsewhere on the page).
   */
  chat: 'auto' | 'overlay' | 'off' = 'auto';

  /**
   * For a site with accounts: an identity token the site signed for its logged-in user (see `<drop-chat identity>`),
   * handed to the chat inside, which then posts under the site's name for the user with the verified mark.
   */
  chatIdentity: string | null = null;

  /** What the player shows, for CSS: `loading`, `scheduled`, `live`, `offline`, `ended` or `error`. */
  state: PlayerState = 'loading';

  /** Set while the controls are hidden (playing and nobody touched the player for a few seconds). */
  controlsHidden = false;

  /** Playing the replay of an ended show (the viewer asked for it). */
  private replaying = false;

  /** This element's texts in its language. */
  readonly #t = this.locale.texts(playerText);
  readonly #viewers = new StoreController(this, () => this.source.store?.$viewers);
  readonly #media = new MediaController(this, {
    video: () => this.renderRoot.querySelector('video')!,
    // Above the control bar while it shows, near the bottom while it is hidden.
    captionLine: () => (this.controlsHidden ? CAPTION_LINE_LOW : CAPTION_LINE_HIGH),
    onUnsupported: () => this.emit('drop-error', { code: 'stream', message: this.#t('unsupported') }),
    onFrame: (playback) => {
      this.#featured.tick(playback);
      // The retry countdown on the offline message.
      if (this.state === 'offline') this.requestUpdate();
    },
    onStop: () => this.#featured.reset(),
  });
  readonly #featured = new FeaturedController(this, {
    store: () => this.source.store,
    now: () => this.source.clock?.now() ?? Date.now(),
    onShown: ({ productId, at }, playhead) => this.emit('drop-featured-shown', { dropId: this.drop ?? '', productId, at, playhead }),
  });
  readonly #reactions = new ReactionsController(
    this,
    () => this.source.store,
    () => this.renderRoot.querySelector<HTMLElement>('.reactions')!,
  );
  readonly #idle = new IdleController(this, () => !this.#media.paused && this.#media.health === 'playing');
  /** Whether the video is lower than the chat over it needs; the video's box is observed once it is rendered. */
  readonly #lowVideo = new ResizeController(this, {
    target: null,
    callback: ([entry]) => entry && entry.contentRect.height < CHAT_OVER_MIN_HEIGHT,
  });

  /** The engine playing now (`hlsjs` or `native`), once playback started. */
  get engine(): Engine | null {
    return this.#media.playback?.engine ?? null;
  }

  /** The program date-time (server wall-clock ms) of the frame on screen, or null when unknown. */
  get playheadTime(): number | null {
    return this.#media.playback?.programDateTime() ?? null;
  }

  // ------------------------------------------------------------ state

  protected computeState(): PlayerState {
    const drop = this.source.drop;
    const { health } = this.#media;
    if (!drop) return 'loading';
    if (drop.status === 'scheduled') return 'scheduled';
    if (drop.status === 'ended') return this.replaying && health === 'offline' ? 'offline' : 'ended';
    if (!this.#streamUrl()) return 'offline';
    return health === 'offline' || health === 'unsupported' ? 'offline' : 'live';
  }

  /** The URL to play now, or undefined when nothing should play. */
  #streamUrl(): string | undefined {
    const drop = this.source.drop;
    const backend = this.source.resolution.backend;
    if (!drop || !backend) return undefined;
    if (drop.status === 'live') {
      const url = this.src || drop.stream.hls;
      return url ? backendUrl(backend, url) : undefined;
    }
    const replay = drop.stream.replay;
    if (drop.status === 'ended' && this.replaying && replay) return backendUrl(backend, replay);
    return undefined;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // hls.js downloads while the player still reads its drop, not after it learns the stream URL.
    preloadEngine(this.playback);
  }

  /** Whether the chat shows: not switched off, and a show that is on or over. */
  #withChat(drop: Drop | undefined): boolean {
    if (this.chat === 'off' || !drop || drop.status === 'scheduled' || this.state === 'error') return false;
    // Server rendering leaves the chat to the browser.
    if (!isServer) void import('../drop-chat/drop-chat.js');
    return true;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (this.source.drop?.status !== 'ended') this.replaying = false;
    super.willUpdate(changed);
    this.controlsHidden = this.#idle.idle && this.state === 'live';
    // The stream starts loading before this render (once the video exists), not after it: a first render with the drop takes a while.
    if (this.hasUpdated) this.#play();
  }

  #play() {
    this.#media.play(this.#streamUrl(), this.source.drop?.status === 'live', this.playback);
  }

  protected override firstUpdated(): void {
    this.#lowVideo.observe(this.renderRoot.querySelector('.base')!);
  }

  protected override updated(changed: PropertyValues<this>): void {
    this.#play();
    if (changed.has('controlsHidden')) this.#media.playback?.placeCaptions();
    // The first render is no change of state (an error in it still fires drop-error, below).
    if (changed.has('state') && changed.get('state') !== undefined)
      this.emit('drop-player-state', { dropId: this.drop ?? '', state: this.state });
    super.updated(changed);
  }

  // ------------------------------------------------------------ user intent the media controller does not own

  #watchReplay = (at?: number) => {
    this.replaying = true;
    // The jump waits until the replay's playlist has mapped program date-times to media time.
    this.#featured.seekTo(at ?? null);
  };

  #react = () => {
    if (this.drop && this.#reactions.send()) this.emit('drop-reaction', { dropId: this.drop, kind: 'heart' });
  };

  // ------------------------------------------------------------ render

  override render() {
    const drop = this.source.drop;
    const backend = this.source.resolution.backend;
    const poster = drop?.stream.poster && backend ? backendUrl(backend, drop.stream.poster) : undefined;
    const playing = !!this.#media.playback;
    const chat = this.#withChat(drop);
    // A video too low for the chat over it (a small landscape player) gets it below instead, unless the site chose.
    const below = chat && this.chat === 'auto' && this.#lowVideo.value === true;
    return html`
      <div class="stage ${chat ? 'with-chat' : ''} ${below ? 'chat-below' : ''}">
      <div
        part="base"
        class="base"
        role="region"
        aria-label=${this.#t('playerLabel', { title: drop?.title ?? '' })}
        @keydown=${this.#media.onKeydown}
      >
        <video
          part="video"
          playsinline
          ?hidden=${!playing}
          poster=${poster ?? nothing}
          @click=${this.#media.muted && !this.#media.paused ? this.#media.unmute : this.#media.togglePlay}
          @play=${this.#media.onMediaEvent}
          @pause=${this.#media.onMediaEvent}
          @playing=${this.#media.onMediaEvent}
          @volumechange=${this.#media.onMediaEvent}
          @timeupdate=${this.#media.onTime}
          @durationchange=${this.#media.onTime}
          @enterpictureinpicture=${this.#media.onMediaEvent}
          @leavepictureinpicture=${this.#media.onMediaEvent}
        ></video>
        ${!playing && poster ? html`<img part="poster" class="poster" src=${poster} alt="" />` : nothing}
        <div class="reactions" part="reactions" aria-hidden="true"></div>
        ${this.#top(drop)} ${this.#message(drop)} ${playing ? [this.#overlayButtons(), controlBar(this.#media, this.#t, this.state === 'ended')] : nothing}
      </div>
      ${this.#featuredCard(drop)}
      ${
        chat
          ? html`<drop-chat
            part="chat"
            class="chat"
            variant="overlay"
            exportparts="base:chat-base,pinned:chat-pinned,status:chat-status,messages:chat-messages,message:chat-message,author:chat-author,mark:chat-mark,text:chat-text,composer:chat-composer,input:chat-input,button:chat-button,notice:chat-notice"
            backend=${this.source.resolution.backend ?? nothing}
            drop=${drop!.id}
            identity=${this.chatIdentity ?? nothing}
          ></drop-chat>`
          : nothing
      }
      </div>
      ${drop?.status === 'ended' ? this.#chapters(drop) : nothing}
      <span class="visually-hidden" role="status">${this.#announcement(drop)}</span>
    `;
  }

  #announcement(drop: Drop | undefined) {
    const product = this.#featured.shown?.productId ? drop?.products.find((p) => p.id === this.#featured.shown!.productId) : undefined;
    if (product) return `${this.#t('featuredNow')}: ${product.title}`;
    if (this.state === 'offline') return this.#t('offline');
    if (this.state === 'ended') return this.#t('showEnded');
    return nothing;
  }

  #top(drop: Drop | undefined) {
    if (this.state !== 'live' && this.state !== 'offline') return nothing;
    const viewers = this.#viewers.value;
    const fmt = new Intl.NumberFormat(this.locale.lang, { notation: 'compact' });
    return html`<div class="top" part="top">
      ${
        this.#media.behind
          ? html`<button part="live-badge button" class="live-badge behind" @click=${this.#media.goLive} aria-label=${this.#t('behindLive')}>
            <span class="dot" aria-hidden="true"></span>${this.#t('goLive')}
          </button>`
          : html`<span part="live-badge" class="live-badge"><span class="dot" aria-hidden="true"></span>${this.#t('live')}</span>`
      }
      ${
        viewers !== undefined
          ? html`<span part="viewers" class="viewers"
            >${icons.eye}<span aria-hidden="true">${fmt.format(viewers)}</span
            ><span class="visually-hidden">${this.#t('viewers', { n: viewers })}</span></span
          >`
          : nothing
      }
      <span class="title">${drop?.title}</span>
    </div>`;
  }

  #featuredCard(drop: Drop | undefined) {
    const productId = this.#featured.shown?.productId;
    if (!productId || !drop) return nothing;
    return html`<div class="featured" part="featured">
      ${keyed(
        `${productId} ${this.#featured.shown!.at}`,
        html`<drop-product-card compact backend=${this.source.resolution.backend ?? nothing} drop=${drop.id} product=${productId}></drop-product-card>`,
      )}
    </div>`;
  }

  #message(drop: Drop | undefined) {
    const t = this.#t.bind(this);
    switch (this.state) {
      case 'loading':
        return html`<div class="message" part="message"><span class="spinner" role="img" aria-label=${this.locale.t('loading')}></span></div>`;
      case 'error':
        return html`<div class="message" part="message" role="alert">
          <p class="headline">${this.locale.t('errorTitle')}</p>
          <p>${this.problemText()}</p>
          ${this.source.configError ? nothing : html`<button part="button" class="pill" @click=${() => this.source.retry()}>${this.locale.t('retry')}</button>`}
        </div>`;
      case 'scheduled':
        return html`<div class="message scheduled" part="message">
          <p class="eyebrow">${drop?.brand}</p>
          <p class="headline">${drop?.title}</p>
          <drop-countdown backend=${this.source.resolution.backend ?? nothing} drop=${drop?.id ?? nothing}></drop-countdown>
        </div>`;
      case 'offline': {
        const unsupported = this.#media.health === 'unsupported';
        const seconds = Math.max(1, Math.ceil((this.#media.retryAt - Date.now()) / 1000));
        return html`<div class="message" part="message">
          ${icons.offline}
          <p class="headline">${unsupported ? t('unsupported') : this.#streamUrl() ? t('offline') : t('noStream')}</p>
          ${unsupported ? nothing : html`<p>${this.#media.retryAt ? t('reconnectingIn', { s: seconds }) : t('reconnecting')}</p>`}
        </div>`;
      }
      case 'ended':
        if (this.replaying) return nothing;
        return html`<div class="message" part="message">
          <p class="eyebrow">${drop?.brand}</p>
          <p class="headline">${t('showEnded')}</p>
          ${
            drop?.stream.replay
              ? html`<button part="button" class="pill primary" @click=${() => this.#watchReplay()}>${icons.replay}${t('watchReplay')}</button>`
              : html`<p>${t('noReplay')}</p>`
          }
        </div>`;
    }
    if (this.#media.health === 'loading')
      return html`<div class="message" part="message"><span class="spinner" role="img" aria-label=${this.locale.t('loading')}></span></div>`;
    return nothing;
  }

  /** Unmute (while playing muted) and the heart (live only), over the video. */
  #overlayButtons() {
    return html`
      ${
        this.#media.muted && !this.#media.paused && this.#media.health === 'playing'
          ? html`<button part="unmute button" class="unmute" @click=${this.#media.unmute}>${icons.muted}${this.#t('tapToUnmute')}</button>`
          : nothing
      }
      ${
        this.state === 'live'
          ? html`<button part="react button" class="react" @click=${this.#react} aria-label=${this.#t('react')}>
            ${icons.heart}${this.#reactions.count ? html`<span class="count" aria-hidden="true">${this.#compact(this.#reactions.count)}</span>` : nothing}
          </button>`
          : nothing
      }
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
          const mediaTime = this.replaying ? this.#media.playback?.timeForDate(f.at) : null;
          const time = formatClock(mediaTime != null ? mediaTime * 1000 : f.at - drop.startsAt);
          const image = product.images[0];
          const backend = this.source.resolution.backend!;
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
    return new Intl.NumberFormat(this.locale.lang, { notation: 'compact' }).format(n);
  }
}

customElements.define('live-drop-player', LiveDropPlayer);

declare global {
  interface HTMLElementTagNameMap {
    'live-drop-player': LiveDropPlayer;
  }
}
