import { html, nothing, type PropertyValues } from 'lit';
import { errorCode } from '../../core/api-client.js';
import { ClockController } from '../../core/clock-controller.js';
import { backendUrl } from '../../core/config.js';
import { reservationStore, type Hold, type ReservationStore } from '../../core/reservation-store.js';
import { StoreController } from '../../core/store-controller.js';
import { themeStyles } from '../../core/theme.styles.js';
import { errorTextKey } from '../../i18n/error-text.js';
import { formatClock } from '../../i18n/format.js';
import type { Product } from '../../protocol/types.js';
import type { DropLine } from '../drop-line/drop-line.js';
import { loadLine } from '../line-loader.js';
import { DropElement, type DropProblem } from '../drop-element.js';
import { cardStyles } from './drop-product-card.styles.js';
import { SizePicker, type SizeOption } from './size-picker.js';

export type CardState =
  'loading' | 'locked' | 'available' | 'low-stock' | 'sold-out' | 'ended' | 'reserving' | 'reserved' | 'expired' | 'error';

/** At or below this many units the card says "Only n left". */
const LOW_STOCK = 5;

/**
 * @summary One product of a drop: image, price, live stock, a size picker, and a button that holds it for the shopper.
 *
 * @description Before the drop the card is visible but locked, showing when it unlocks; it unlocks by itself at
 * the server's start time. Stock updates arrive live over the drop's event stream (shared by every element of
 * the drop). Reserve holds the item on the server for the drop's hold time, with the remaining time shown;
 * Checkout hands over to the site (the `drop-checkout` event) or to the drop's checkout URL.
 *
 * @fires drop-product-viewed - The card was on screen for the first time. `detail: { dropId, productId }`
 * @fires drop-variant-selected - The shopper picked a size. `detail: { dropId, productId, variantId }`
 * @fires drop-reserved - Stock is held for the shopper. `detail: { reservation }`
 * @fires drop-reservation-expired - The hold ran out before checkout. `detail: { reservation }`
 * @fires drop-checkout - The shopper wants to pay; cancelable. Call `preventDefault()` to use your own cart, otherwise the card opens the drop's `checkoutUrl` if it has one. `detail: { reservation, shopperToken, checkoutUrl }`
 * @fires drop-error - Loading failed or a reservation was refused. `detail: { code, message }`
 *
 * @csspart base - The card.
 * @csspart media - The image frame (carries the "Sold out" badge).
 * @csspart image - The product image.
 * @csspart title - The product name.
 * @csspart price - The price in the visitor's currency.
 * @csspart description - The short description.
 * @csspart stock - The stock or lock line ("Only 3 left", "Sold out", "Unlocks Fri 6:00 PM").
 * @csspart size-button - The button that opens the size list.
 * @csspart size-list - The popover list of sizes.
 * @csspart size-option - One size in the list.
 * @csspart button - Every action button (Reserve, Checkout, Release, Try again).
 * @csspart timer - The remaining time of a hold.
 * @csspart error - The error message.
 * @csspart line - The waiting line (`<drop-line>`), when the drop has one.
 *
 * @cssprop --drop-accent - Primary button and focus ring.
 * @cssprop --drop-accent-text - Text on the primary button.
 * @cssprop --drop-surface - Card background.
 * @cssprop --drop-text - Main text.
 * @cssprop --drop-muted - Secondary text and borders.
 * @cssprop --drop-danger - Sold out and errors.
 * @cssprop --drop-success - Reserved and in stock.
 * @cssprop --drop-warning - Low stock.
 * @cssprop --drop-radius - Corner radius.
 * @cssprop --drop-font - Font stack (default: the page's font family).
 * @cssprop --drop-space - Base spacing.
 */
export class DropProductCard extends DropElement<CardState> {
  static override properties = {
    product: {},
    currency: {},
    compact: { type: Boolean, reflect: true },
    state: { reflect: true },
    selected: { attribute: false },
  };
  static override styles = [themeStyles, cardStyles];

  /** Id of the product in the drop. */
  product: string | null = null;

  /** Preferred currency (ISO 4217) when the drop sells in several. */
  currency: string | null = null;

  /** A small horizontal card, for overlays such as the player's. */
  compact = false;

  /** What the card shows now, for CSS: `loading`, `locked`, `available`, `low-stock`, `sold-out`, `ended`, `reserving`, `reserved`, `expired` or `error`. */
  state: CardState = 'loading';

  private selected: string | undefined;

  readonly #holds = new StoreController(this, () => this.#reservations?.$holds);
  readonly #clock = new ClockController(this, {
    clock: () => this.source.clock,
    deadline: () => this.#deadline(),
    onReached: () => void this.#onDeadline(),
  });
  readonly #sizes = new SizePicker(this, (id) => this.#select(id));
  #viewed = false;
  #visible = false;
  #hadFocus = false;
  #observer: IntersectionObserver | undefined;

  get #reservations(): ReservationStore | undefined {
    const { backend } = this.source.resolution;
    return backend && this.drop ? reservationStore(backend, this.drop) : undefined;
  }

  get #product(): Product | undefined {
    return this.source.drop?.products.find((p) => p.id === this.product);
  }

  get #hold(): Hold | undefined {
    return this.product ? this.#holds.value?.[this.product] : undefined;
  }

  #deadline(): number | undefined {
    const hold = this.#hold;
    if (hold?.phase === 'held') return hold.reservation.expiresAt;
    const drop = this.source.drop;
    return drop?.status === 'scheduled' ? drop.startsAt : undefined;
  }

  async #onDeadline() {
    const reservation = this.product ? await this.#reservations?.expire(this.product) : undefined;
    if (reservation) this.emit('drop-reservation-expired', { reservation });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#observer = new IntersectionObserver((entries) => {
      this.#visible = entries.some((e) => e.isIntersecting);
      this.#markViewed();
    });
    this.#observer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#observer?.disconnect();
  }

  #markViewed() {
    if (this.#viewed || !this.#visible || !this.#product || !this.drop) return;
    this.#viewed = true;
    this.emit('drop-product-viewed', { dropId: this.drop, productId: this.#product.id });
  }

  /** Besides the drop's problems: a product the drop does not have (known once the card could show it). */
  protected override get problem(): DropProblem | undefined {
    const ready = this.source.drop && this.source.clockSynced && this.locale.ready;
    return (
      super.problem ??
      (ready && !this.#product
        ? { code: 'product-not-found', message: `Product "${this.product}" is not part of drop "${this.drop}".` }
        : undefined)
    );
  }

  protected computeState(): CardState {
    const drop = this.source.drop;
    if (!drop || !this.source.clockSynced || !this.locale.ready) return 'loading';
    const product = this.#product!;
    const hold = this.#hold;
    if (hold?.phase === 'reserving') return 'reserving';
    if (hold?.phase === 'held') return 'reserved';
    if (hold?.phase === 'expired') return 'expired';
    if (drop.status === 'ended') return 'ended';
    if (drop.status === 'scheduled' && this.#clock.now < drop.startsAt) return 'locked';
    const left = this.#left(product);
    return left === 0 ? 'sold-out' : left <= LOW_STOCK ? 'low-stock' : 'available';
  }

  /** Units left of the picked size, or of every size while none is picked. */
  #left(product: Product): number {
    const picked = product.variants.filter((v) => v.id === this.selected);
    return (picked.length ? picked : product.variants).reduce((n, v) => n + v.available, 0);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('product') || changed.has('drop')) this.selected = undefined;
    const product = this.#product;
    // With a single size there is nothing to pick.
    if (product?.variants.length === 1) this.selected = product.variants[0].id;
    super.willUpdate(changed);
    this.#hadFocus = !!this.shadowRoot?.activeElement;
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (!changed.has('state') || changed.get('state') === undefined) return;
    this.#markViewed();
    // Keep keyboard focus on the card when this render removed the focused button (Reserve → Checkout).
    if (this.#hadFocus && !this.shadowRoot!.activeElement) {
      this.renderRoot.querySelector<HTMLElement>('[data-primary]:not([disabled]), .size-button:not([disabled])')?.focus();
    }
  }

  #select(variantId: string) {
    this.selected = variantId;
    if (this.#hold?.phase === 'failed') this.#again();
    if (this.drop && this.product) this.emit('drop-variant-selected', { dropId: this.drop, productId: this.product, variantId });
  }

  async #reserve() {
    const product = this.#product;
    const store = this.#reservations;
    if (!product || !store) return;
    if (!this.selected) {
      void this.#sizes.show();
      return;
    }
    const reservation = await store.reserve(product.id, this.selected);
    if (reservation) this.emit('drop-reserved', { reservation });
    else {
      const hold = this.#hold;
      if (hold?.phase === 'failed') this.emit('drop-error', { code: errorCode(hold.error), message: hold.error.message });
    }
  }

  async #checkout() {
    const details = await this.#reservations?.checkout(this.product!, this.source.drop?.checkoutUrl ?? null);
    if (!details) return;
    const proceed = this.emit('drop-checkout', details, true);
    if (proceed && details.checkoutUrl) location.assign(details.checkoutUrl);
  }

  #again() {
    if (this.product) this.#reservations?.clear(this.product);
  }

  override render() {
    const { t } = this.locale;
    if (this.state === 'loading') return this.#skeleton();
    if (this.state === 'error') {
      return html`<article part="base" class="base error-card">
        <div part="error" class="error" role="alert">
          <strong>${t('errorTitle')}</strong>
          <span>${this.problemText()}</span>
        </div>
        ${
          this.source.store && this.problem?.code !== 'config'
            ? html`<button part="button" class="secondary" data-primary @click=${() => this.source.retry()}>${t('retry')}</button>`
            : nothing
        }
      </article>`;
    }
    const product = this.#product!;
    const image = product.images[0];
    return html`<article part="base" class="base" aria-labelledby="title">
      <div part="media" class="media">
        ${
          image
            ? html`<img part="image" class="image" src=${backendUrl(this.source.resolution.backend!, image.url)} alt=${image.alt || product.title} loading="lazy" />`
            : nothing
        }
        ${this.#badge()}
      </div>
      <div class="body">
        <div class="heading">
          <h3 part="title" class="title" id="title">${product.title}</h3>
          <span part="price" class="price">${this.locale.price(product.prices, this.currency)}</span>
        </div>
        ${this.compact ? nothing : html`<p part="description" class="description">${product.description}</p>`}
        ${this.state === 'reserved' ? nothing : html`<p part="stock" class="stock">${this.#stockLine()}</p>`}
        ${this.#actions(product)}
        ${this.#failure()}
        ${this.line(loadLine)}
      </div>
      <span class="visually-hidden" role="status">${this.#announcement()}</span>
    </article>`;
  }

  #skeleton() {
    return html`<article part="base" class="base skeleton" aria-busy="true" aria-label=${this.locale.t('loading')}>
      <div part="media" class="media"></div>
      <div class="body">
        <span class="bone wide"></span><span class="bone"></span><span class="bone short"></span>
        <span class="bone button"></span>
      </div>
    </article>`;
  }

  #badge() {
    return this.state === 'sold-out' ? html`<span class="badge danger" aria-hidden="true">${this.locale.t('soldOut')}</span>` : nothing;
  }

  #stockLine() {
    const { t } = this.locale;
    const drop = this.source.drop!;
    const product = this.#product!;
    switch (this.state) {
      case 'locked':
        return t('locked', { time: this.locale.dateTime(drop.startsAt, this.#clock.now) });
      case 'ended':
        return t('ended');
      case 'sold-out':
        return html`<span class="danger">${t('soldOut')}</span>`;
      case 'reserved':
        return nothing;
      case 'expired':
        return html`<span class="danger">${t('expired')}</span> <span class="muted">${t('expiredHint')}</span>`;
    }
    const left = this.#left(product);
    return left <= LOW_STOCK
      ? html`<span class="low">${t('onlyLeft', { n: left })}</span>`
      : html`<span class="success">${t('inStock')}</span>`;
  }

  #actions(product: Product) {
    const { t } = this.locale;
    const hold = this.#hold;
    if (this.state === 'reserved' && hold?.phase === 'held') {
      const variant = product.variants.find((v) => v.id === hold.reservation.variantId);
      return html`<div class="hold">
          <span part="timer" class="timer" role="timer" aria-label=${t('heldFor', { time: formatClock(this.#clock.remaining ?? 0) })}>
            <span class="size-chip">${variant?.label}</span>
            ${t('heldFor', { time: formatClock(this.#clock.remaining ?? 0) })}
          </span>
          ${this.compact ? nothing : html`<span class="muted hint">${t('holdHint')}</span>`}
        </div>
        <div class="row">
          <button part="button" class="primary" data-primary @click=${this.#checkout}>${t('checkout')}</button>
          <button part="button" class="secondary" @click=${() => this.#reservations?.release(product.id)}>${t('cancel')}</button>
        </div>`;
    }
    if (this.state === 'expired') {
      return html`<div class="row">
        <button part="button" class="primary" data-primary @click=${this.#again}>${t('reserveAgain')}</button>
      </div>`;
    }
    // While the drop's line does not let this shopper in (`<drop-line>` says), Reserve waits too.
    const closed =
      this.state === 'locked' || this.state === 'ended' || !!this.renderRoot.querySelector<DropLine>('drop-line')?.blocksReserve;
    const reserving = this.state === 'reserving';
    const soldOutPick = this.state === 'sold-out';
    const options: SizeOption[] = product.variants.map((v) => {
      const note = v.available === 0 ? t('soldOut') : v.available <= LOW_STOCK ? t('onlyLeft', { n: v.available }) : '';
      // A shown note is part of the option's name (WCAG 2.5.3, label in name); without one, a screen reader still hears the count.
      const description = note ? t('sizeNote', { size: v.label, note }) : t('sizeLeft', { size: v.label, n: v.available });
      return { id: v.id, label: v.label, disabled: v.available === 0, note, description };
    });
    const label = reserving ? t('reserving') : soldOutPick ? t('soldOut') : t('reserve');
    return html`<div class="row">
      ${
        product.variants.length > 1
          ? this.#sizes.render({
              options,
              selected: this.selected,
              disabled: closed || reserving,
              caption: t('size'),
              placeholder: t('chooseSize'),
            })
          : nothing
      }
      <button
        part="button"
        class="primary"
        data-primary
        ?disabled=${closed || soldOutPick}
        aria-disabled=${reserving}
        aria-busy=${reserving}
        @click=${() => !reserving && void this.#reserve()}
      >
        ${label}
      </button>
    </div>`;
  }

  /** What a screen reader hears when the card changes on its own or after a click: one sentence per state. */
  #announcement() {
    const { t } = this.locale;
    switch (this.state) {
      case 'reserved':
        return `${t('reserved')}. ${t('holdHint')}`;
      case 'expired':
        return `${t('expired')}. ${t('expiredHint')}`;
      case 'sold-out':
        return t('soldOut');
      default:
        return '';
    }
  }

  #failure() {
    const hold = this.#hold;
    if (hold?.phase !== 'failed') return nothing;
    return html`<p part="error" class="error" role="alert">${this.locale.t(errorTextKey(errorCode(hold.error)))}</p>`;
  }
}

customElements.define('drop-product-card', DropProductCard);

declare global {
  interface HTMLElementTagNameMap {
    'drop-product-card': DropProductCard;
  }
}
