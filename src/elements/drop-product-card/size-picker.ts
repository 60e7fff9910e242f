/**
 * The card's size picker: a button that opens a listbox in a popover
 * (top layer, so a player's overflow cannot clip it), positioned with
 * Floating UI's core on a top-layer platform (below). Keyboard: Enter, Space or ↓ opens; ↑ ↓ Home End and a typed
 * letter move; Enter or Space picks; Escape or Tab closes. Sold-out sizes can be reached (so a
 * screen reader hears them) but not picked.
 */
import { computePosition, detectOverflow, offset, shift, type Middleware, type Platform } from '@floating-ui/core';
import { html, type ReactiveController, type ReactiveElement } from 'lit';

/**
 * Floating UI's own recipe for a small custom DOM platform, for the one case
 * this picker has: the list is a popover in the top layer (`position: fixed`),
 * so both rects are viewport rects and only the viewport clips it. The general
 * @floating-ui/dom platform (offset parents, scroll containers, transformed
 * ancestors) cannot matter there and would cost ~3 KB gzip of the 20 KB budget.
 */
const size = (el: HTMLElement) => ({ width: el.offsetWidth, height: el.offsetHeight });
const topLayer: Platform = {
  getElementRects: ({ reference, floating }) => {
    const { x, y, width, height } = (reference as Element).getBoundingClientRect();
    return { reference: { x, y, width, height }, floating: { x: 0, y: 0, ...size(floating) } };
  },
  getDimensions: size,
  getClippingRect: () => {
    const { clientWidth: width, clientHeight: height } = document.documentElement;
    return { x: 0, y: 0, width, height };
  },
  isRTL: (el) => getComputedStyle(el as Element).direction === 'rtl',
};

/**
 * Floating UI's `flip`, cut to the one flip this list makes: it opens below
 * the button, and above it when it would overflow the bottom of the viewport
 * and there is more room above. (The general `flip` weighs twelve placements,
 * alignment flips and fallback strategies: 0.8 KB gzip of the budget.) Written
 * as a custom middleware, the extension point Floating UI documents.
 */
const flipAbove: Middleware = {
  name: 'flipAbove',
  async fn(state) {
    if (state.placement !== 'bottom-start') return {};
    const { bottom } = await detectOverflow(state, { padding: 8 });
    const { y, height } = state.rects.reference;
    const roomAbove = y;
    const roomBelow = document.documentElement.clientHeight - y - height;
    return bottom > 0 && roomAbove > roomBelow ? { reset: { placement: 'top-start' } } : {};
  },
};

export interface SizeOption {
  id: string;
  label: string;
  /** What a screen reader hears, e.g. "M, 3 left". */
  description: string;
  /** Shown beside the label ("Sold out", "2 left"). */
  note: string;
  disabled: boolean;
}

export interface SizePickerView {
  options: SizeOption[];
  selected: string | undefined;
  disabled: boolean;
  /** "Size" */
  caption: string;
  /** Shown while nothing is picked: "Choose size". */
  placeholder: string;
}

export class SizePicker implements ReactiveController {
  open = false;
  #active = -1;
  #options: SizeOption[] = [];
  #cleanup: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveElement,
    private readonly onPick: (id: string) => void,
  ) {
    host.addController(this);
  }

  hostDisconnected() {
    this.close(false);
  }

  get #button() {
    return this.host.renderRoot.querySelector<HTMLButtonElement>('[part~="size-button"]');
  }

  get #list() {
    return this.host.renderRoot.querySelector<HTMLElement>('[part~="size-list"]');
  }

  async show() {
    if (this.open) return;
    this.open = true;
    const selected = this.#options.findIndex((o) => o.id === this.#selected);
    this.#active = selected >= 0 ? selected : Math.max(0, this.#options.findIndex((o) => !o.disabled));
    this.host.requestUpdate();
    await this.host.updateComplete;
    const button = this.#button;
    const list = this.#list;
    if (!button || !list) return;
    list.showPopover?.();
    list.style.minWidth = `${button.offsetWidth}px`;
    list.focus();
    // Follow the button when the page scrolls or resizes (Floating UI's autoUpdate costs ~1 KB more).
    const follow = () => void this.#position(button, list);
    follow();
    addEventListener('scroll', follow, { capture: true, passive: true });
    addEventListener('resize', follow, { passive: true });
    this.#cleanup = () => {
      removeEventListener('scroll', follow, { capture: true });
      removeEventListener('resize', follow);
    };
    document.addEventListener('pointerdown', this.#onOutside, true);
  }

  close(returnFocus = true) {
    if (!this.open) return;
    this.open = false;
    this.#cleanup?.();
    this.#cleanup = undefined;
    document.removeEventListener('pointerdown', this.#onOutside, true);
    const list = this.#list;
    if (list?.matches(':popover-open')) list.hidePopover();
    if (returnFocus) this.#button?.focus();
    this.host.requestUpdate();
  }

  async #position(button: HTMLElement, list: HTMLElement) {
    const { x, y } = await computePosition(button, list, {
      platform: topLayer,
      strategy: 'fixed',
      placement: 'bottom-start',
      middleware: [offset(6), flipAbove, shift({ padding: 8 })],
    });
    Object.assign(list.style, { left: `${x}px`, top: `${y}px` });
  }

  #onOutside = (e: Event) => {
    const path = e.composedPath();
    if (!path.includes(this.#list!) && !path.includes(this.#button!)) this.close(false);
  };

  #selected: string | undefined;

  #pick(index: number) {
    const option = this.#options[index];
    if (!option || option.disabled) return;
    this.close();
    this.onPick(option.id);
  }

  #move(index: number) {
    this.#active = Math.min(this.#options.length - 1, Math.max(0, index));
    this.host.requestUpdate();
    void this.host.updateComplete.then(() =>
      this.#list?.querySelector('[data-active]')?.scrollIntoView({ block: 'nearest' }),
    );
  }

  /** Jumps to the next size starting with the typed character ("x" → XS, XL). */
  #typeAhead(char: string) {
    const n = this.#options.length;
    for (let step = 1; step <= n; step++) {
      const i = (this.#active + step) % n;
      if (this.#options[i].label.toLowerCase().startsWith(char.toLowerCase())) return this.#move(i);
    }
  }

  #onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      void this.show();
    }
  };

  #onListKey = (e: KeyboardEvent) => {
    const keys: Record<string, () => void> = {
      ArrowDown: () => this.#move(this.#active + 1),
      ArrowUp: () => this.#move(this.#active - 1),
      Home: () => this.#move(0),
      End: () => this.#move(this.#options.length - 1),
      Enter: () => this.#pick(this.#active),
      ' ': () => this.#pick(this.#active),
      Escape: () => this.close(),
      Tab: () => this.close(false),
    };
    const action = keys[e.key] ?? (e.key.length === 1 ? () => this.#typeAhead(e.key) : undefined);
    if (!action) return;
    if (e.key !== 'Tab') e.preventDefault();
    e.stopPropagation();
    action();
  };

  render({ options, selected, disabled, caption, placeholder }: SizePickerView) {
    this.#options = options;
    this.#selected = selected;
    const current = options.find((o) => o.id === selected);
    const activeId = this.open && options[this.#active] ? `size-${options[this.#active].id}` : '';
    return html`<button
        part="size-button"
        type="button"
        aria-haspopup="listbox"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls="sizes"
        ?disabled=${disabled}
        @click=${() => (this.open ? this.close() : void this.show())}
        @keydown=${this.#onButtonKey}
      >
        <span class="size-caption">${caption}</span>
        <span class="size-value">${current?.label ?? placeholder}</span>
        <svg class="chevron" viewBox="0 0 16 16" aria-hidden="true"><path d="M4 6l4 4 4-4" /></svg>
      </button>
      <ul
        part="size-list"
        id="sizes"
        role="listbox"
        popover="manual"
        tabindex="-1"
        aria-label=${caption}
        aria-activedescendant=${activeId}
        ?hidden=${!this.open}
        @keydown=${this.#onListKey}
      >
        ${options.map(
          (o, i) =>
            html`<li
              part="size-option"
              id="size-${o.id}"
              role="option"
              aria-selected=${o.id === selected ? 'true' : 'false'}
              aria-disabled=${o.disabled ? 'true' : 'false'}
              aria-label=${o.description}
              class=${this.open && i === this.#active ? 'active' : ''}
              ?data-active=${this.open && i === this.#active}
              @click=${() => this.#pick(i)}
              @pointermove=${() => i !== this.#active && this.#move(i)}
            >
              <span>${o.label}</span><span class="note">${o.note}</span>
            </li>`,
        )}
      </ul>`;
  }
}
