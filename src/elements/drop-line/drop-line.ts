import { html, nothing, type PropertyValues } from 'lit';
import { ClockController } from '../../core/clock-controller.js';
import { $config } from '../../core/config.js';
import { linePlaceStore } from '../../core/line-place-store.js';
import { StoreController } from '../../core/store-controller.js';
import { themeStyles } from '../../core/theme.styles.js';
import { formatClock } from '../../i18n/format.js';
import { lineText } from '../../i18n/line-strings.js';
import { parseDropQueue } from '../../protocol/parse-line.js';
import type { DropQueue } from '../../protocol/types.js';
import { DropElement } from '../drop-element.js';
import { lineStyles } from './drop-line.styles.js';

export type LineUiState = 'loading' | 'closed' | 'open' | 'joined' | 'waiting' | 'turn' | 'missed' | 'done' | 'error';

/**
 * @summary The drop's waiting line for one shopper: join, the draw, the place and its estimate, the turn and its time left.
 *
 * @description `<drop-product-card>` and `<drop-countdown>` show it by themselves when their drop has a line (it is
 * a lazy chunk of its own, loaded only then). Everyone's progress comes from the drop's stream, one number for all
 * ("admitted through position N"); the shopper's own place is read once and when the line says it changed. A polite
 * live region announces changes of state and big steps forward, not every update.
 *
 * @fires drop-error - The line could not be reached or sent malformed data. `detail: { code, message }`
 *
 * @csspart base - The wrapper.
 * @csspart title - "Waiting line".
 * @csspart status - The main sentence (place and estimate, your turn, missed).
 * @csspart progress - The bar of admission up to the shopper's place.
 * @csspart button - "Join the line".
 * @csspart commitment - The draw's commitment (and, after the draw, the revealed seed).
 *
 * @cssprop --drop-accent - Button and progress bar.
 * @cssprop --drop-success - "Your turn".
 * @cssprop --drop-danger - "Missed your turn".
 */
export class DropLine extends DropElement<LineUiState> {
  static override properties = { state: { reflect: true } };
  static override styles = [themeStyles, lineStyles];

  /** What the line shows now, for CSS: `loading`, `closed`, `open`, `joined`, `waiting`, `turn`, `missed`, `done` (the turn was used) or `error`. */
  state: LineUiState = 'loading';

  /** This element's texts in its language. */
  readonly #t = this.locale.texts(lineText);
  readonly #store = () => {
    const { backend } = this.source.resolution;
    return backend && this.drop ? linePlaceStore(backend, this.drop) : undefined;
  };
  readonly #place = new StoreController(this, () => this.#store()?.$place);
  readonly #busy = new StoreController(this, () => this.#store()?.$busy);
  readonly #error = new StoreController(this, () => this.#store()?.$error);
  // At the pass's end the place is read again: whether the shopper reserved decides between "missed" and done.
  readonly #clock = new ClockController(this, {
    clock: () => this.source.clock,
    deadline: () => this.#deadline(),
    onReached: () => void this.#store()?.refresh(),
  });
  /** The line state the place was last read for, so a change in it reads the place once more. */
  #readFor = '';
  #announced: { state: LineUiState; ahead: number } | undefined;
  #announcement = '';

  /** Whether the line keeps this shopper from reserving now (the card disables Reserve meanwhile). */
  get blocksReserve(): boolean {
    return this.state !== 'turn' && this.state !== 'loading' && this.state !== 'error';
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // The element around it (the card) re-renders with it: its Reserve button follows the turn.
    if (changed.has('state')) ((this.getRootNode() as ShadowRoot).host as { requestUpdate?(): void } | undefined)?.requestUpdate?.();
  }

  #queue(): DropQueue | null {
    try {
      return parseDropQueue(this.source.drop?.queue);
    } catch {
      return null;
    }
  }

  #deadline(): number | undefined {
    const place = this.#place.value;
    const queue = this.#queue();
    if (!queue || !this.source.drop) return undefined;
    if (place?.passExpiresAt) return place.passExpiresAt;
    if (!place) return this.source.drop.startsAt - queue.joinWindowMs;
    return undefined;
  }

  protected override get problem() {
    const error = this.#error.value;
    return super.problem ?? (error ? { code: 'network', message: error.message } : undefined);
  }

  protected override problemText(): string {
    return this.#t('lineError');
  }

  protected computeState(): LineUiState {
    const queue = this.#queue();
    const place = this.#place.value;
    if (!queue || place === undefined) return 'loading';
    if (!place) return this.#clock.remaining ? 'closed' : 'open';
    if (place.position === null) return 'joined';
    if (place.passExpiresAt !== null) return this.#clock.remaining ? 'turn' : place.reserved ? 'done' : 'missed';
    // Admitted by the line's number, but the pass is not read yet: the place is read again below.
    return 'waiting';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    this.#store()?.load();
    super.willUpdate(changed);
    const queue = this.#queue();
    const place = this.#place.value;
    // The draw ran, or admission reached this place: read it again, once per change of the line.
    const due =
      queue &&
      place &&
      ((place.position === null && queue.drawnAt !== null) ||
        (place.position !== null && !place.passExpiresAt && queue.admittedThrough >= place.position));
    const key = `${queue?.drawnAt}/${queue?.admittedThrough}`;
    if (due && key !== this.#readFor) {
      this.#readFor = key;
      void this.#store()?.refresh();
    }
    // The site may join its shoppers by itself (`configure({ lineAutoJoin: true })`), once per page.
    if (this.state === 'open' && $config.get().lineAutoJoin && !this.#autoJoined) {
      this.#autoJoined = true;
      void this.#store()?.join();
    }
    this.#announce();
  }

  #autoJoined = false;

  /** Changes of state are announced; in the line, only steps of a quarter of the way or more, and the last ten. */
  #announce() {
    const ahead = this.#ahead();
    const last = this.#announced;
    const step =
      !last || last.state !== this.state || (ahead < last.ahead && (ahead <= last.ahead * 0.75 || (ahead <= 10 && last.ahead > 10)));
    if (!step) return;
    this.#announced = { state: this.state, ahead };
    this.#announcement = this.state === 'loading' ? '' : this.#status();
  }

  #ahead(): number {
    const position = this.#place.value?.position;
    const queue = this.#queue();
    return position && queue ? Math.max(0, position - queue.admittedThrough - 1) : 0;
  }

  #status(): string {
    const queue = this.#queue()!;
    const place = this.#place.value;
    const lang = this.locale.lang;
    const number = (n: number) => new Intl.NumberFormat(lang).format(n);
    switch (this.state) {
      case 'closed':
        return this.#t('lineOpensAt', { time: this.locale.dateTime(this.#deadline()!, this.#clock.now) });
      case 'open':
        return this.#t(queue.drawnAt === null ? 'lineFair' : 'lineAfterDraw');
      case 'joined':
        return queue.drawnAt === null ? this.#t('lineJoined') : this.#t('lineDrawing');
      case 'turn':
        return this.#t('lineTurn', { time: formatClock(this.#clock.remaining ?? 0) });
      case 'missed':
        return this.#t('lineMissed');
      case 'waiting': {
        const ahead = this.#ahead();
        if (queue.paused) return this.#t('lineAheadPaused', { n: number(ahead) });
        const seconds = queue.rate > 0 ? Math.max(1, Math.round(ahead / queue.rate)) : null;
        const time =
          seconds === null
            ? '…'
            : seconds < 90
              ? new Intl.NumberFormat(lang, { style: 'unit', unit: 'second', unitDisplay: 'short' }).format(seconds)
              : new Intl.NumberFormat(lang, { style: 'unit', unit: 'minute', unitDisplay: 'short' }).format(Math.round(seconds / 60));
        return `${this.#t('lineAhead', { n: number(ahead), time })}${place && !place.onTime ? ` ${this.#t('lineLate')}` : ''}`;
      }
      default:
        return '';
    }
  }

  override render() {
    // Once the shopper's turn was used, the card's own reservation says the rest.
    if (this.state === 'loading' || this.state === 'done') return nothing;
    const label = html`<span part="title">${this.#t('lineTitle')}</span>`;
    const live = html`<span class="visually-hidden" role="status">${this.#announcement}</span>`;
    if (this.state === 'error')
      return html`<div part="base">${label}<span part="status" class="missed">${this.problemText()}</span>${live}</div>`;
    const queue = this.#queue()!;
    const place = this.#place.value;
    const busy = this.#busy.value;
    const position = place?.position;
    const progress =
      this.state === 'waiting' && position
        ? html`<div part="progress" aria-hidden="true"><span style="width:${Math.min(100, (queue.admittedThrough / position) * 100).toFixed(1)}%"></span></div>`
        : nothing;
    return html`<div part="base">
      ${label}
      <span part="status" class=${this.state}>${this.#status()}</span>
      ${position && this.state === 'waiting' ? html`<span class="muted">${this.#t('linePlace', { n: new Intl.NumberFormat(this.locale.lang).format(position), total: new Intl.NumberFormat(this.locale.lang).format(queue.total) })}</span>` : nothing}
      ${progress}
      ${
        this.state === 'open'
          ? html`<button part="button" type="button" ?disabled=${busy} @click=${() => void this.#store()?.join()}>${busy ? this.#t('lineJoining') : this.#t('lineJoin')}</button>`
          : nothing
      }
      ${
        place
          ? html`<span part="commitment" title=${queue.commitment}
            >${this.#t('lineCommitment', { hash: '' })}<code>${queue.commitment.slice(0, 16)}…</code>${queue.seed ? html`<br />${this.#t('lineSeed')}` : nothing}</span
          >`
          : nothing
      }
      ${live}
    </div>`;
  }
}

customElements.define('drop-line', DropLine);

declare global {
  interface HTMLElementTagNameMap {
    'drop-line': DropLine;
  }
}
