/**
 * Which featured product is on screen. On every frame of the media clock it
 * matches the playhead's program date-time against the drop's product
 * timeline, so a card slides in when the viewer sees the moment the host
 * featured it, behind the live edge or not; it makes a pending jump into the
 * replay once the replay's playlist maps dates to media time, and reports
 * each product that appears (`drop-featured-shown`, fired by the player).
 */
import type { ReactiveControllerHost } from 'lit';
import type { DropStore, FeaturedChange } from '../../core/drop-store.js';
import type { Drop } from '../../protocol/types.js';
import { StoreController } from '../../core/store-controller.js';
import type { Playback } from './playback.js';
import { entryAt } from './product-timeline.js';

export interface FeaturedOptions {
  /** The drop's store: its `$drop`'s featured history and its `$featured` (the live changes, clears included) make the timeline. */
  store(): DropStore | undefined;
  /** Server time now, ms: the moment of a clear that no event timed. */
  now(): number;
  /** A product's card appeared: the playhead reached `change.at`. */
  onShown(change: FeaturedChange & { productId: string }, playhead: number | null): void;
}

export class FeaturedController {
  /** The product on screen now (with the moment it was featured), or null. */
  shown: FeaturedChange | null = null;

  /** A program date-time to jump to once the replay's playlist is known. */
  #pendingSeek: number | null = null;
  readonly #live: StoreController<readonly FeaturedChange[]>;
  #cache: { drop: Drop; live: readonly FeaturedChange[]; timeline: FeaturedChange[] } | undefined;
  /** When this page noticed a clear that no event timed. */
  #noticed: number | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: FeaturedOptions,
  ) {
    this.#live = new StoreController(host, () => options.store()?.$featured);
  }

  /** Jumps to the moment `at` (program date-time) as soon as the playing replay can map it; null: no jump. */
  seekTo(at: number | null): void {
    this.#pendingSeek = at;
  }

  /** Nothing is on screen any more (playback stopped). */
  reset(): void {
    if (this.shown) this.host.requestUpdate();
    this.shown = null;
  }

  /** One frame: the pending jump, then which product is due at the playhead. */
  tick(playback: Playback): void {
    const drop = this.options.store()?.$drop.get();
    const live = this.#live.value;
    if (!drop || !live) return;
    const { video } = playback;
    if (this.#pendingSeek !== null && video.readyState >= 1) {
      const time = playback.timeForDate(this.#pendingSeek);
      if (time !== null) {
        video.currentTime = time;
        this.#pendingSeek = null;
      }
    }
    const playhead = playback.programDateTime();
    // Before the first frame no date is known yet, and "no date" means "show what arrived" (streams without dates).
    const due = playhead === null && video.readyState < 2 ? this.shown : entryAt(this.#timeline(drop, live), playhead);
    const next = due?.productId ? due : null;
    if (next?.productId === this.shown?.productId && next?.at === this.shown?.at) return;
    this.shown = next;
    this.host.requestUpdate();
    if (next?.productId) this.options.onShown({ productId: next.productId, at: next.at }, playhead);
  }

  /**
   * The history the drop came with and the changes since, clears included; rebuilt only when they change (this runs
   * on every frame). A drop that says nothing is featured while the newest change is a product was cleared where no
   * event said when (before this page came, or during a gap a snapshot filled): from the moment this page noticed.
   */
  #timeline(drop: Drop, live: readonly FeaturedChange[]): FeaturedChange[] {
    const c = this.#cache;
    if (c?.drop.featuredHistory === drop.featuredHistory && c.drop.featured === drop.featured && c.live === live) return c.timeline;
    const timeline = [...drop.featuredHistory, ...live];
    const newest = timeline.reduce<FeaturedChange | undefined>((n, e) => (n && n.at > e.at ? n : e), undefined);
    if (!drop.featured && newest?.productId) timeline.push({ productId: null, at: (this.#noticed ??= this.options.now()) });
    else this.#noticed = undefined;
    this.#cache = { drop, live, timeline };
    return timeline;
  }
}
