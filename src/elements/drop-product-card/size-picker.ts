/**
 * The card's size picker: a button that opens a listbox in a popover
 * (top layer, so a player's overflow cannot clip it). The stylesheet places
 * the list with CSS anchor positioning (Baseline 2026); older browsers fetch
 * `size-list-float.ts`, which places it with Floating UI. Keyboard: Enter,
 * Space or ↓ opens; ↑ ↓ Home End move; Enter or Space picks; Escape or Tab
 * closes. Type-ahead (the WAI-ARIA listbox pattern): a letter moves to the
 * next size whose label starts with it (again: the one after), letters typed
 * within half a second to the size that starts with all of them ("XXL").
 * Sold-out sizes can be reached (so a screen reader hears them) but not
 * picked.
 */
import { html, type ReactiveController, type ReactiveElement } from 'lit';

/**
 * Whether the stylesheet can place the list itself: the `position-area` it
 * uses (Chromium 129+, Safari 26+, Firefox 147+). Checked each time, so a
 * test can take the other path.
 */
const anchored = () => CSS.supports('position-area', 'self-block-end span-self-inline-end');

let floatModule: Promise<typeof import('./size-list-float.js') | undefined> | undefined;
/** The Floating UI placement, fetched once; undefined (and tried again next time) if it cannot load. */
const loadFloat = () => (floatModule ??= import('./size-list-float.js').catch(() => (floatModule = undefined)));

export interface SizeOption {
  id: string;
  label: string;
  /** The option's accessible name: the label and the note, or the count where no note shows ("M, 12 left"). */
  description: string;
  /** Shown beside the label ("Sold out", "Only 2 left"), or empty. */
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
  /** Counts opens and closes, so an open that waited for the fallback chunk knows whether it still stands. */
  #turn = 0;

  constructor(
    private readonly host: ReactiveElement,
    private readonly onPick: (id: string) => void,
  ) {
    host.addController(this);
  }

  hostConnected() {
    // Where the stylesheet cannot place the list, fetch its placement before the shopper opens it.
    if (!anchored()) void loadFloat();
  }

  hostDisconnected() {
    this.close(false);
  }

  get #button() {
    return this.host.renderRoot.querySelector<HTMLButtonElement>('.size-button');
  }

  get #list() {
    return this.host.renderRoot.querySelector<HTMLElement>('.size-list');
  }

  async show() {
    if (this.open) return;
    this.open = true;
    const selected = this.#options.findIndex((o) => o.id === this.#selected);
    this.#active =
      selected >= 0
        ? selected
        : Math.max(
            0,
            this.#options.findIndex((o) => !o.disabled),
          );
    this.host.requestUpdate();
    const turn = ++this.#turn;
    // A click elsewhere (or Escape, Tab on the button) while the fallback chunk loads cancels the open.
    document.addEventListener('pointerdown', this.#onOutside, true);
    // Should the chunk not load, the list still opens (unplaced) rather than leave the picker stuck.
    const float = anchored() ? undefined : (await loadFloat())?.float;
    await this.host.updateComplete;
    const button = this.#button;
    const list = this.#list;
    if (turn !== this.#turn || !button || !list) return;
    list.toggleAttribute('data-float', !!float);
    list.showPopover?.();
    list.focus();
    this.#cleanup = float?.(button, list);
  }

  close(returnFocus = true) {
    if (!this.open) return;
    this.open = false;
    this.#turn++;
    this.#cleanup?.();
    this.#cleanup = undefined;
    document.removeEventListener('pointerdown', this.#onOutside, true);
    const list = this.#list;
    if (list?.matches(':popover-open')) list.hidePopover();
    if (returnFocus) this.#button?.focus();
    this.host.requestUpdate();
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
    void this.host.updateComplete.then(() => this.#list?.querySelector('[data-active]')?.scrollIntoView({ block: 'nearest' }));
  }

  #onButtonKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      void this.show();
    } else if (e.key === 'Escape' || e.key === 'Tab') this.close(false); // still opening: the list has no focus yet
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
    const action = keys[e.key];
    if (!action) return this.#typeAhead(e);
    if (e.key !== 'Tab') e.preventDefault();
    e.stopPropagation();
    action();
  };

  #typed = '';
  #typedAt = 0;

  #typeAhead(e: KeyboardEvent) {
    if (e.key[1] || e.ctrlKey || e.metaKey || e.altKey) return;
    const typed = (this.#typed = (e.timeStamp - this.#typedAt < 500 ? this.#typed : '') + e.key.toLowerCase());
    this.#typedAt = e.timeStamp;
    // One letter looks from the next size on, so pressing it again steps through the sizes it starts; more letters from this one.
    const o = this.#options;
    for (let k = +!typed[1]; k < o.length; k++) {
      const i = (this.#active + k) % o.length;
      if (o[i].label.toLowerCase().startsWith(typed)) return this.#move(i);
    }
  }

  render({ options, selected, disabled, caption, placeholder }: SizePickerView) {
    this.#options = options;
    this.#selected = selected;
    const current = options.find((o) => o.id === selected);
    const activeId = this.open && options[this.#active] ? `size-${options[this.#active].id}` : '';
    return html`<button
        part="size-button"
        class="size-button"
        aria-haspopup="listbox"
        aria-expanded=${this.open}
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
        class="size-list"
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
              class="size-option"
              id="size-${o.id}"
              role="option"
              aria-selected=${o.id === selected}
              aria-disabled=${o.disabled}
              aria-label=${o.description}
              ?data-active=${this.open && i === this.#active}
              @click=${() => this.#pick(i)}
              @pointermove=${() => i !== this.#active && this.#move(i)}
            >
              <span>${o.label}</span> <span class="note">${o.note}</span>
            </li>`,
        )}
      </ul>`;
  }
}
