/**
 * The viewers' hearts: the count beside the heart button, the bubbles that
 * float up over the video for everyone's reactions, and the viewer's own
 * hearts, which float at once and are sent to the server. The server's
 * aggregate comes back with our own hearts in it; those already floated, so
 * they are taken out (echo suppression) before the rest float up.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { DropStore } from '../../core/drop-store.js';
import { sendReaction } from '../../core/shopper-actions.js';
import { StoreController } from '../../core/store-controller.js';
import { FloatingReactions } from './floating-reactions.js';

export class ReactionsController implements ReactiveController {
  /** Reactions seen since this player opened, own ones included. */
  count = 0;

  readonly #reactions: StoreController<Readonly<Record<string, number>>>;
  /** The store's sums when this controller last looked (from the store it first saw it on), so each reaction counts once. */
  #seen: { store: DropStore; sums: Readonly<Record<string, number>> } | undefined;
  /** Own reactions the server has not echoed back yet, so they do not float twice. */
  #ownUnechoed = 0;
  #floating: FloatingReactions | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly store: () => DropStore | undefined,
    /** The layer bubbles float in (rendered by the player). */
    private readonly layer: () => HTMLElement,
  ) {
    host.addController(this);
    this.#reactions = new StoreController(host, () => this.store()?.$reactions);
  }

  /** Sends a heart: it floats and counts at once, and goes to the server; false when there is no drop to send to. */
  send(): boolean {
    const store = this.store();
    if (!store) return false;
    this.#ownUnechoed++;
    this.count++;
    this.#float({ heart: 1 });
    this.host.requestUpdate();
    void sendReaction(store.backend, store.dropId, 'heart');
    return true;
  }

  hostUpdated() {
    const store = this.store();
    const sums = this.#reactions.value;
    if (!store || !sums || sums === this.#seen?.sums) return;
    const before = this.#seen?.store === store ? this.#seen.sums : undefined;
    this.#seen = { store, sums };
    // A first look (or another drop): what came before this player opened is not its to float.
    if (!before) return;
    // Every reaction since the last look, however many events brought them.
    const counts: Record<string, number> = {};
    let total = 0;
    for (const [kind, sum] of Object.entries(sums)) total += counts[kind] = sum - (before[kind] ?? 0);
    // Our own hearts come back in the aggregate: they already floated.
    const echoed = Math.min(this.#ownUnechoed, counts.heart ?? 0);
    this.#ownUnechoed -= echoed;
    if (counts.heart) counts.heart -= echoed;
    total -= echoed;
    if (total) {
      this.count += total;
      this.host.requestUpdate();
    }
    this.#float(counts);
  }

  #float(counts: Record<string, number>) {
    this.#floating ??= new FloatingReactions(this.layer());
    this.#floating.add(counts);
  }
}
