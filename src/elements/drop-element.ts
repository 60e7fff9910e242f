/**
 * The skeleton every drop element shares, written once: the `backend` and
 * `drop` attributes, the reflected `state`, the drop's live data
 * (`DropController`) and language (`LocaleController`), the one rule that
 * turns a setup mistake or a failed load into the `error` state and a
 * `drop-error` event, and a typed `emit()`. An element adds its own
 * attributes, its states (`computeState()`) and its render.
 */
import { html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { errorCode } from '../core/api-client.js';
import { DropController } from '../core/drop-controller.js';
import type { DropEventDetails, DropEventName } from '../core/events.js';
import { errorTextKey } from '../i18n/error-text.js';
import { LocaleController } from '../i18n/locale-controller.js';

/** Why an element shows its error: the `drop-error` event's detail. */
export type DropProblem = DropEventDetails['drop-error'];

export abstract class DropElement<State extends string = string> extends LitElement {
  static override properties: PropertyDeclarations = {
    backend: {},
    drop: {},
    // Each element lists `state` again with its own type and states, for the manifest.
    state: { reflect: true },
  };

  /** Backend URL; defaults to the page's (`data-backend` on the script tag or `configure()`). */
  backend: string | null = null;

  /** Id of the drop. */
  drop: string | null = null;

  /** What the element shows now, reflected for CSS; `error` whenever `problem` says why. */
  abstract state: State;

  /** The drop's shared store and clock, picked by `backend` and `drop`. */
  protected readonly source = new DropController(this, this.localName, () => this.needsDrop());
  protected readonly locale = new LocaleController(this);

  /** Whether the element needs a drop to show anything (a countdown to a fixed `target` does not). */
  protected needsDrop(): boolean {
    return true;
  }

  /**
   * What keeps the element from showing its drop: a setup mistake (code `config`) or a failed load; undefined while
   * all is well, and always for an element that needs no drop.
   */
  protected get problem(): DropProblem | undefined {
    if (!this.needsDrop()) return undefined;
    const { configError, fatalError } = this.source;
    if (configError) return { code: 'config', message: configError };
    if (fatalError) return { code: errorCode(fatalError), message: fatalError.message };
    return undefined;
  }

  /** The state to show when there is no problem. */
  protected abstract computeState(): State;

  /** The sentence a shopper reads for the current problem (in the error state). */
  protected problemText(): string {
    return this.locale.t(errorTextKey(this.problem!.code, 'errorTitle'));
  }

  // LitElement's willUpdate() and updated() are empty: nothing to call up to.
  protected override willUpdate(_changed: PropertyValues<this>): void {
    this.state = this.problem ? ('error' as State) : this.computeState();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The first update counts as a change too, so an element set up wrong from the start says so.
    if (changed.has('state') && this.problem) this.emit('drop-error', this.problem);
  }

  /** The drop's waiting line, when it has one: `<drop-line>`, whose code (a lazy chunk) `load` fetches only then. */
  protected line(load: () => Promise<unknown>) {
    if (!this.source.drop?.queue) return nothing;
    void load();
    return html`<drop-line part="line" .backend=${this.backend} .drop=${this.drop}></drop-line>`;
  }

  /** Fires a typed `drop-*` event (bubbling, composed); false when a cancelable one was prevented. */
  protected emit<K extends DropEventName>(name: K, detail: DropEventDetails[K], cancelable = false): boolean {
    /** @ignore for the manifest analyzer, which would list an event called "name": each element's events are its @fires. */
    return this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }));
  }
}
