/**
 * The playlists of the simulated live stream, as pure functions of the
 * wall clock. Segment `n` is the recording of [E + n × d, E + (n + 1) × d)
 * (E: a fixed epoch, d: the segment duration), so every server node (and
 * every reload) agrees on the media sequence and on each segment's
 * EXT-X-PROGRAM-DATE-TIME. Segment `n` plays clip segment `n mod k`; the
 * loop restarts at every `n ≡ 0 (mod k)`, marked with EXT-X-DISCONTINUITY,
 * so segment `n` has discontinuity sequence `floor(n / k)`.
 */

/**
 * The stream's epoch: 2026-11-01T00:00:00Z. Not the Unix epoch, because
 * hls.js keeps per-discontinuity state in an array indexed by discontinuity
 * sequence and copies it on each new one; at the ~2 × 10⁸ the Unix epoch
 * gives, that stalled playback for seconds per segment. From here the
 * sequence grows by ~4 × 10⁶ a year, which players handle easily.
 */
export const STREAM_EPOCH_MS = Date.UTC(2026, 10, 1);

export interface Timeline {
  segmentMs: number;
  /** Segments in the clip (the loop length). */
  loop: number;
  /** Wall-clock start of segment 0 (a multiple of `segmentMs`). */
  epochMs: number;
}

/** The sequence number of the segment being recorded at `ms`. */
export const sequenceAt = (t: Timeline, ms: number) => Math.floor((ms - t.epochMs) / t.segmentMs);

/** Wall-clock start of segment `n`. */
export const segmentStart = (t: Timeline, n: number) => t.epochMs + n * t.segmentMs;

/** URL of segment `n`, relative to the playlists (both live under `stream/`). */
export const segmentUri = (n: number) => `segments/${n}.ts`;

function playlist(t: Timeline, first: number, last: number, header: string[], footer: string[]): string {
  const lines = [
    '#EXTM3U',
    '#EXT-X-VERSION:3',
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-TARGETDURATION:${Math.ceil(t.segmentMs / 1000)}`,
    `#EXT-X-MEDIA-SEQUENCE:${first}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${Math.floor(first / t.loop)}`,
    ...header,
  ];
  const extinf = `#EXTINF:${(t.segmentMs / 1000).toFixed(3)},`;
  for (let n = first; n <= last; n++) {
    // The first segment's discontinuity is already counted in DISCONTINUITY-SEQUENCE.
    if (n > first && n % t.loop === 0) lines.push('#EXT-X-DISCONTINUITY');
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(segmentStart(t, n)).toISOString()}`, extinf, segmentUri(n));
  }
  return [...lines, ...footer, ''].join('\n');
}

/** The live playlist at `nowMs`: the last `window` segments that are complete. */
export function livePlaylist(t: Timeline, nowMs: number, window: number): string {
  const last = sequenceAt(t, nowMs) - 1;
  return playlist(t, last - window + 1, last, [], []);
}

/** The segments a replay of the wall-clock window [fromMs, toMs) needs. */
export function replayRange(t: Timeline, fromMs: number, toMs: number): { first: number; last: number } {
  return { first: sequenceAt(t, fromMs), last: Math.ceil((toMs - t.epochMs) / t.segmentMs) - 1 };
}

/** A VOD playlist of [fromMs, toMs) with the same segments and program date-times the live playlist had. */
export function replayPlaylist(t: Timeline, fromMs: number, toMs: number): string {
  const { first, last } = replayRange(t, fromMs, toMs);
  return playlist(t, first, last, ['#EXT-X-PLAYLIST-TYPE:VOD'], ['#EXT-X-ENDLIST']);
}
