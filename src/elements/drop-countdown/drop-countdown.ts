import { html, nothing, type PropertyValues } from 'lit';
import { ClockController } from '../../core/clock-controller.js';
import { themeStyles } from '../../core/theme.styles.js';
import { splitDuration } from '../../i18n/format.js';
import { DropElement } from '../drop-element.js';
import { loadLine } from '../line-loader.js';
import { countdownStyles } from './drop-countdown.styles.js';

export type CountdownState = 'loading' | 'counting' | 'live' | 'ended' | 'error';

/** Reads `target` as ms since the epoch or an ISO 8601 date-time. */
function parseTarget(target: string | null): number | undefined {
  if (!target) return undefined;
  const t = /^\d+$/.test(target.trim()) ? Number(target) : Date.parse(target);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * @summary Days, hours, minutes and seconds until a drop starts, in step with the server's clock for every visitor.
 *
 * @description Counts to the drop's `startsAt` (or the `target` attribute) using the backend's clock, not the
 * visitor's, so everyone sees zero at the same moment. The digits are hidden from screen readers; a polite live
 * region announces the time left at calm steps (hours, then each minute in the last hour, then every ten
 * seconds) and "live now" at zero.
 *
 * @fires drop-started - The countdown reached zero (or the host started the drop early). `detail: { dropId, startsAt }`
 * @fires drop-error - The drop could not be loaded. `detail: { code, message }`
 *
 * @csspart base - The wrapper.
 * @csspart label - "Drop starts in".
 * @csspart digits - The row of units.
 * @csspart unit - One unit: a value and its label.
 * @csspart value - The number of a unit.
 * @csspart unit-label - The name of a unit ("Hours").
 * @csspart live - The "Live now" badge.
 * @csspart error - The error message.
 * @csspart line - The waiting line (`<drop-line>`), when the drop has one.
 *
 * @cssprop --drop-accent - Live badge and highlights.
 * @cssprop --drop-accent-text - Text on the accent.
 * @cssprop --drop-surface - Background of the units.
 * @cssprop --drop-text - Digits and labels.
 * @cssprop --drop-muted - Secondary text.
 * @cssprop --drop-danger - The error message.
 * @cssprop --drop-radius - Corner radius of the units.
 * @cssprop --drop-font - Font stack (default: the page's font family).
 * @cssprop --drop-space - Base spacing.
 */
export class DropCountdown extends DropElement<CountdownState> {
  static override properties = { target: {}, state: { reflect: true } };
  static override styles = [themeStyles, countdownStyles];

  /** Count to this moment instead: ms since the epoch or an ISO 8601 date-time. */
  target: string | null = null;

  /** What the countdown shows now, for CSS: `loading`, `counting`, `live`, `ended` or `error`. */
  state: CountdownState = 'loading';

  readonly #clock = new ClockController(this, { clock: () => this.source.clock, deadline: () => this.#deadline() });

  /** A countdown to a fixed target shows no drop, so nothing about the drop can break it. */
  protected override needsDrop(): boolean {
    return parseTarget(this.target) === undefined;
  }

  #deadline(): number | undefined {
    return parseTarget(this.target) ?? this.source.drop?.startsAt;
  }

  protected computeState(): CountdownState {
    const needsDrop = this.needsDrop();
    if (needsDrop && !this.source.drop) return 'loading';
    // A fixed target needs no drop, and without a backend it counts on the visitor's clock.
    if ((this.source.clock && !this.source.clockSynced) || !this.locale.ready) return 'loading';
    if (this.source.drop?.status === 'ended' && needsDrop) return 'ended';
    if (this.source.drop && needsDrop && this.source.drop.status === 'live') return 'live';
    return this.#clock.remaining === 0 ? 'live' : 'counting';
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.get('state') === 'counting' && this.state === 'live') {
      this.emit('drop-started', { dropId: this.drop ?? '', startsAt: this.#deadline() ?? this.#clock.now });
    }
  }

  override render() {
    // One live region for every state, so its changes are announced.
    return html`${this.#body()}${this.line(loadLine)}<span class="visually-hidden" role="status">${this.#announcement()}</span>`;
  }

  #announcement() {
    switch (this.state) {
      case 'counting':
        return this.locale.t('startsIn', { in: this.locale.relative(this.#clock.remaining ?? 0) });
      case 'live':
        return this.locale.t('startedAnnouncement');
      default:
        return nothing;
    }
  }

  #body() {
    const { t } = this.locale;
    switch (this.state) {
      case 'error':
        return html`<div part="base error" class="base error">${this.problemText()}</div>`;
      case 'live':
        return html`<div part="base" class="base"><span part="live" class="live"><span class="dot" aria-hidden="true"></span>${t('liveNow')}</span></div>`;
      case 'ended':
        return html`<div part="base" class="base"><span part="label" class="label">${t('ended')}</span></div>`;
    }
    const { days, hours, minutes, seconds } = splitDuration(this.#clock.remaining ?? 0);
    const loading = this.state === 'loading';
    const units: [number, string][] = [
      ...(days > 0 ? [[days, t('days')] as [number, string]] : []),
      [hours, t('hours')],
      [minutes, t('minutes')],
      [seconds, t('seconds')],
    ];
    return html`<div part="base" class="base" aria-busy=${loading}>
      <span part="label" class="label">${t('countdownLabel')}</span>
      <div part="digits" class="digits" aria-hidden="true">
        ${units.map(
          ([value, label]) =>
            html`<span part="unit" class="unit"
              ><span part="value" class="value">${loading ? '--' : String(value).padStart(2, '0')}</span
              ><span part="unit-label" class="unit-label">${label}</span></span
            >`,
        )}
      </div>
    </div>`;
  }
}

customElements.define('drop-countdown', DropCountdown);

declare global {
  interface HTMLElementTagNameMap {
    'drop-countdown': DropCountdown;
  }
}
