/**
 * Which featured product is on screen. On every frame of the media clock it
 * matches the playhead's program date-time against the drop's product
 * timeline, so a card slides in when the viewer sees the moment the host
 * featured it, behind the live edge or not; it makes a pending jump into the
 * replay once the replay's playlist maps dates to media time, and reports
 * each product that appears (`drop-featured-shown`, fired by the player).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Drop } from '../../protocol/types.js';
import type { Playback } from './playback.js';
import { entryAt, timelineOf, type TimelineEntry } from './product-timeline.js';

export interface FeaturedOptions {
  drop(): Drop | undefined;
  /** Server time now, ms (to stamp a clear, which the stream sends without its moment). */
  now(): number;
  /** A product's card appeared: the playhead reached `entry.at`. */
  onShown(entry: TimelineEntry & { productId: string }, playhead: number | null): void;
}

export class FeaturedController implements ReactiveController {
  /** The product on screen now (with the moment it was featured), or null. */
  shown: TimelineEntry | null = null;

  /** Moments the host cleared the featured product while this page watched (server time). */
  #clears: number[] = [];
  #lastFeatured: Drop['featured'] | undefined;
  /** A program date-time to jump to once the replay's playlist is known. */
  #pendingSeek: number | null = null;
  #cache: { history: Drop['featuredHistory']; clears: number; entries: TimelineEntry[] } | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: FeaturedOptions,
  ) {
    host.addController(this);
  }

  hostUpdate() {
    const drop = this.options.drop();
    // A cleared featured product only arrives live: remember when, in server time.
    if (drop && this.#lastFeatured && drop.featured === null) this.#clears.push(this.options.now());
    this.#lastFeatured = drop?.featured;
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
    const drop = this.options.drop();
    if (!drop) return;
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
    const due = playhead === null && video.readyState < 2 ? this.shown : entryAt(this.#timeline(drop), playhead);
    const next = due?.productId ? due : null;
    if (next?.productId === this.shown?.productId && next?.at === this.shown?.at) return;
    this.shown = next;
    this.host.requestUpdate();
    if (next?.productId) this.options.onShown({ productId: next.productId, at: next.at }, playhead);
  }

  /** The product timeline, rebuilt only when the host changed it (this runs on every frame). */
  #timeline(drop: Drop): TimelineEntry[] {
    const c = this.#cache;
    if (c && c.history === drop.featuredHistory && c.clears === this.#clears.length) return c.entries;
    const entries = timelineOf(drop.featuredHistory, this.#clears);
    this.#cache = { history: drop.featuredHistory, clears: this.#clears.length, entries };
    return entries;
  }
}
