/**
 * Which featured product belongs on screen, given the wall-clock moment the
 * viewer is watching. The server stamps each `featured` event with its
 * clock; the viewer sees that moment several seconds later, so the card
 * waits until the playhead's program date-time reaches the stamp.
 */
import type { FeaturedChange } from '../../core/drop-store.js';

/**
 * The change in effect at `playhead` (ms, program date-time): the latest one
 * stamped at or before it. Without a playhead date (a stream without
 * EXT-X-PROGRAM-DATE-TIME) the latest change, i.e. as the events arrive.
 */
export function entryAt(timeline: readonly FeaturedChange[], playhead: number | null): FeaturedChange | null {
  if (playhead === null) return timeline.at(-1) ?? null;
  let found: FeaturedChange | null = null;
  for (const e of timeline) if (e.at <= playhead && (!found || e.at >= found.at)) found = e;
  return found;
}
