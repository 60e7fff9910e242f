/**
 * The playlists of the simulated live stream, as pure functions of the
 * wall clock. Segment `n` is the recording of [E + n × d, E + (n + 1) × d)
 * (E: a fixed epoch, d: the segment duration), so every server node (and
 * every reload) agrees on the media sequence and on each segment's
 * EXT-X-PROGRAM-DATE-TIME. Segment `n` plays clip segment `n mod k`; the
 * loop restarts at every `n ≡ 0 (mod k)`, marked with EXT-X-DISCONTINUITY,
 * so segment `n` has discontinuity sequence `floor(n / k)`.
 *
 * The live video playlist is Low-Latency HLS: each segment is `p` parts
 * (EXT-X-PART) of d / p, and part `i` of segment `n` is available once its
 * wall-clock end, E + n × d + (i + 1) × d / p, has passed. The playlist
 * lists every complete segment of its window, the parts of the last few
 * and of the segment being recorded, and a hint for the next part.
 * Players without Low-Latency support skip the part tags and play the
 * segments as ordinary HLS.
 *
 * The captions rendition is the same timeline with WebVTT segments (no
 * parts): its playlists differ from the video's in the segment URIs and
 * in listing the segment being recorded too, so a viewer near the live
 * edge has its line in time.
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
  /** Parts in each segment. */
  parts: number;
  /** Segments in the clip (the loop length). */
  loop: number;
  /** Wall-clock start of segment 0 (a multiple of `segmentMs`). */
  epochMs: number;
}

/** The sequence number of the segment being recorded at `ms`. */
export const sequenceAt = (t: Timeline, ms: number) => Math.floor((ms - t.epochMs) / t.segmentMs);

/** Wall-clock start of segment `n`. */
export const segmentStart = (t: Timeline, n: number) => t.epochMs + n * t.segmentMs;

/** Wall-clock end of part `i` of segment `n`: from then on it is available. */
export const partEnd = (t: Timeline, n: number, i: number) => segmentStart(t, n) + ((i + 1) * t.segmentMs) / t.parts;

/** How many parts of segment `n` are complete at `ms` (0 … parts). */
export const partsDone = (t: Timeline, n: number, ms: number) =>
  Math.max(0, Math.min(t.parts, Math.floor(((ms - segmentStart(t, n)) * t.parts) / t.segmentMs)));

/** Part target duration in seconds: the parts' duration rounded up to the millisecond. */
export const partTarget = (t: Timeline) => Math.ceil(t.segmentMs / t.parts) / 1000;

/** URL of segment `n`, relative to the playlists (all live under `stream/`). */
export const segmentUri = (n: number) => `segments/${n}.m4s`;

/** URL of part `i` of segment `n`, relative to the playlists. */
export const partUri = (n: number, i: number) => `parts/${n}.${i}.m4s`;

/** URL of the fMP4 initialisation section every video segment and part needs. */
export const INIT_URI = 'init.mp4';

/** URL of the captions (WebVTT) of segment `n`, relative to the playlists. */
export const captionsUri = (n: number) => `captions/${n}.vtt`;

/** Which segments a media playlist lists: the video's or the captions'. */
export type Rendition = 'video' | 'captions';

interface Listing {
  first: number;
  /** Last complete segment listed. */
  last: number;
  header: string[];
  footer: string[];
  /** Live video: the parts of the segments from `from` on, up to `upTo` parts of segment `last + 1`, then a hint. */
  parts?: { from: number; upTo: number; independent: (i: number) => boolean };
}

function playlist(t: Timeline, rendition: Rendition, l: Listing): string {
  const lines = [
    '#EXTM3U',
    // 6: EXT-X-MAP in a media playlist; 3 for the WebVTT-only captions.
    `#EXT-X-VERSION:${rendition === 'video' ? 6 : 3}`,
    '#EXT-X-INDEPENDENT-SEGMENTS',
    `#EXT-X-TARGETDURATION:${Math.ceil(t.segmentMs / 1000)}`,
    ...l.header,
    `#EXT-X-MEDIA-SEQUENCE:${l.first}`,
    `#EXT-X-DISCONTINUITY-SEQUENCE:${Math.floor(l.first / t.loop)}`,
  ];
  if (rendition === 'video') lines.push(`#EXT-X-MAP:URI="${INIT_URI}"`);
  const extinf = `#EXTINF:${(t.segmentMs / 1000).toFixed(3)},`;
  const partDuration = (t.segmentMs / t.parts / 1000).toFixed(5);
  const head = (n: number) => {
    // The first segment's discontinuity is already counted in DISCONTINUITY-SEQUENCE.
    if (n > l.first && n % t.loop === 0) lines.push('#EXT-X-DISCONTINUITY');
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(segmentStart(t, n)).toISOString()}`);
  };
  const parts = (n: number, count: number) => {
    for (let i = 0; i < count; i++) {
      lines.push(`#EXT-X-PART:DURATION=${partDuration},URI="${partUri(n, i)}"${l.parts!.independent(i) ? ',INDEPENDENT=YES' : ''}`);
    }
  };
  for (let n = l.first; n <= l.last; n++) {
    head(n);
    if (l.parts && n >= l.parts.from) parts(n, t.parts);
    lines.push(extinf, rendition === 'video' ? segmentUri(n) : captionsUri(n));
  }
  if (l.parts) {
    const recording = l.last + 1;
    if (l.parts.upTo > 0) {
      head(recording);
      parts(recording, l.parts.upTo);
    }
    lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${partUri(recording, l.parts.upTo)}"`);
  }
  return [...lines, ...l.footer, ''].join('\n');
}

/** Segments (besides the one being recorded) whose parts the live playlist lists: about three target durations' worth. */
const SEGMENTS_WITH_PARTS = 2;

/**
 * The live playlist at `nowMs`: the last `window` complete segments and, for
 * the video, the parts. `independent(i)`: part `i` of a segment starts with
 * a key frame.
 */
export function livePlaylist(
  t: Timeline,
  nowMs: number,
  window: number,
  rendition: Rendition = 'video',
  independent: (i: number) => boolean = (i) => i === 0,
): string {
  const recording = sequenceAt(t, nowMs);
  const last = recording - 1;
  if (rendition === 'captions') {
    // Captions of the segment being recorded are listed already: a player near the live edge needs them before it ends.
    return playlist(t, rendition, { first: last - window + 1, last: recording, header: [], footer: [] });
  }
  const target = partTarget(t);
  return playlist(t, rendition, {
    first: last - window + 1,
    last,
    header: [
      // Hold back three part targets (the least the spec recommends), as milliseconds rounded up.
      `#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=${(Math.ceil(3 * target * 1000) / 1000).toFixed(3)},HOLD-BACK=${((3 * t.segmentMs) / 1000).toFixed(3)}`,
      `#EXT-X-PART-INF:PART-TARGET=${target.toFixed(3)}`,
    ],
    footer: [],
    parts: { from: last - SEGMENTS_WITH_PARTS + 1, upTo: partsDone(t, recording, nowMs), independent },
  });
}

/** The segments a replay of the wall-clock window [fromMs, toMs) needs. */
export function replayRange(t: Timeline, fromMs: number, toMs: number): { first: number; last: number } {
  return { first: sequenceAt(t, fromMs), last: Math.ceil((toMs - t.epochMs) / t.segmentMs) - 1 };
}

/** A VOD playlist of [fromMs, toMs) with the same segments and program date-times the live playlist had (no parts). */
export function replayPlaylist(t: Timeline, fromMs: number, toMs: number, rendition: Rendition = 'video'): string {
  return playlist(t, rendition, { ...replayRange(t, fromMs, toMs), header: ['#EXT-X-PLAYLIST-TYPE:VOD'], footer: ['#EXT-X-ENDLIST'] });
}

/** When a blocking reload can be answered (wall-clock ms), or why it never will: malformed, or too far ahead (both 400). */
export type BlockingRequest = { at: number } | { error: string };

/**
 * When the live playlist will hold what a blocking reload asks for
 * (`_HLS_msn`, optionally `_HLS_part`; RFC 8216bis 6.2.5.2): the wall-clock
 * end of that part, or of segment `msn` when no part is named. A part index
 * past the segment's last part means part 0 of the next segment. A request
 * more than two segments, or more than the advance part limit (three
 * seconds of parts), past the playlist at `nowMs` is an error.
 */
export function blockingReload(t: Timeline, nowMs: number, msnParam: string, partParam: string | null): BlockingRequest {
  if (!/^\d{1,15}$/.test(msnParam) || (partParam !== null && !/^\d{1,6}$/.test(partParam))) {
    return { error: '_HLS_msn and _HLS_part must be non-negative integers' };
  }
  let msn = Number(msnParam);
  let part = partParam === null ? null : Number(partParam);
  if (part !== null && part >= t.parts) {
    msn += 1;
    part = 0;
  }
  const recording = sequenceAt(t, nowMs);
  const lastSegment = recording - 1;
  if (msn > lastSegment + 2) return { error: `_HLS_msn ${msn} is more than two segments past the playlist's last, ${lastSegment}` };
  if (part !== null) {
    const lastPart = recording * t.parts + partsDone(t, recording, nowMs) - 1;
    const limit = Math.floor(3 / partTarget(t));
    if (msn * t.parts + part - lastPart > limit)
      return { error: `_HLS_part ${part} of segment ${msn} is more than ${limit} parts past the playlist's last` };
    return { at: partEnd(t, msn, part) };
  }
  return { at: segmentStart(t, msn + 1) };
}

export interface Variant {
  /** Peak bits per second of the video segments. */
  bandwidth: number;
  /** RFC 6381 codecs of the video segments. */
  codecs: string;
  /** `<width>x<height>`. */
  resolution: string;
  /** URI of the video media playlist. */
  uri: string;
  /** URI of the captions media playlist; none when the clip has no captions. */
  captionsUri?: string;
}

/**
 * The multivariant playlist: one video variant and, when there are captions,
 * an English WebVTT subtitles rendition. Not selected by default (viewers
 * turn captions on), but offered for automatic selection to those whose
 * system settings ask for captions.
 */
export function multivariantPlaylist(v: Variant): string {
  const lines = ['#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-INDEPENDENT-SEGMENTS'];
  if (v.captionsUri) {
    lines.push(
      `#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="${v.captionsUri}"`,
    );
  }
  const subtitles = v.captionsUri ? ',SUBTITLES="subs"' : '';
  lines.push(`#EXT-X-STREAM-INF:BANDWIDTH=${v.bandwidth},CODECS="${v.codecs}",RESOLUTION=${v.resolution}${subtitles}`, v.uri, '');
  return lines.join('\n');
}
