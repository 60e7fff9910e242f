/**
 * Which featured product belongs on screen, given the wall-clock moment the
 * viewer is watching. The server stamps each `featured` event with its
 * clock; the viewer sees that moment several seconds later, so the card
 * waits until the playhead's program date-time reaches the stamp.
 */
import type { FeaturedProduct } from '../../protocol/types.js';

/** One change of the featured product; `productId` null: nothing featured from `at` on. */
export interface TimelineEntry {
  productId: string | null;
  at: number;
}

/**
 * The entry in effect at `playhead` (ms, program date-time): the latest one
 * stamped at or before it. Without a playhead date (a stream without
 * EXT-X-PROGRAM-DATE-TIME) the latest entry, i.e. as the events arrive.
 */
export function entryAt(timeline: readonly TimelineEntry[], playhead: number | null): TimelineEntry | null {
  if (playhead === null) return timeline.at(-1) ?? null;
  let found: TimelineEntry | null = null;
  for (const e of timeline) if (e.at <= playhead && (!found || e.at >= found.at)) found = e;
  return found;
}

/**
 * The drop's timeline: its featured history, and the moment the host cleared
 * the featured product (`clears`: known only to a viewer who was watching live).
 */
export function timelineOf(history: readonly FeaturedProduct[], clears: readonly number[]): TimelineEntry[] {
  const entries: TimelineEntry[] = history.map((f) => ({ productId: f.productId, at: f.at }));
  for (const at of clears) entries.push({ productId: null, at });
  return entries;
}
