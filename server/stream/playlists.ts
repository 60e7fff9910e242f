/**
 * The playlists of the simulated live stream, as pure functions of the
 * wall clock. Segment `n` is the recording of [E + n × d, E + (n + 1) × d)
 * (E: a fixed epoch, d: the segment duration), so every server node (and
 * every reload) agrees on the media sequence and on each segment's
 * EXT-X-PROGRAM-DATE-TIME. Segment `n` plays clip segment `n mod k`; the
 * loop restarts at every `n ≡ 0 (mod k)`, marked with EXT-X-DISCONTINUITY,
 * so segment `n` has discontinuity sequence `floor(n / k)`.
 *
 * The captions rendition is the same timeline with WebVTT segments: its
 * playlists differ from the video's only in the segment URIs, so players
 * line the two up by sequence number, discontinuity and date alike.
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

/** URL of the captions (WebVTT) of segment `n`, relative to the playlists. */
export const captionsUri = (n: number) => `captions/${n}.vtt`;

/** Which segments a media playlist lists: the video's or the captions'. */
export type Rendition = 'video' | 'captions';
const uriOf = { video: segmentUri, captions: captionsUri };

function playlist(t: Timeline, rendition: Rendition, first: number, last: number, header: string[], footer: string[]): string {
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
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(segmentStart(t, n)).toISOString()}`, extinf, uriOf[rendition](n));
  }
  return [...lines, ...footer, ''].join('\n');
}

/** The live playlist at `nowMs`: the last `window` segments that are complete. */
export function livePlaylist(t: Timeline, nowMs: number, window: number, rendition: Rendition = 'video'): string {
  const last = sequenceAt(t, nowMs) - 1;
  return playlist(t, rendition, last - window + 1, last, [], []);
}

/** The segments a replay of the wall-clock window [fromMs, toMs) needs. */
export function replayRange(t: Timeline, fromMs: number, toMs: number): { first: number; last: number } {
  return { first: sequenceAt(t, fromMs), last: Math.ceil((toMs - t.epochMs) / t.segmentMs) - 1 };
}

/** A VOD playlist of [fromMs, toMs) with the same segments and program date-times the live playlist had. */
export function replayPlaylist(t: Timeline, fromMs: number, toMs: number, rendition: Rendition = 'video'): string {
  const { first, last } = replayRange(t, fromMs, toMs);
  return playlist(t, rendition, first, last, ['#EXT-X-PLAYLIST-TYPE:VOD'], ['#EXT-X-ENDLIST']);
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
  const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-INDEPENDENT-SEGMENTS'];
  if (v.captionsUri) {
    lines.push(`#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",NAME="English",LANGUAGE="en",DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="${v.captionsUri}"`);
  }
  const subtitles = v.captionsUri ? ',SUBTITLES="subs"' : '';
  lines.push(`#EXT-X-STREAM-INF:BANDWIDTH=${v.bandwidth},CODECS="${v.codecs}",RESOLUTION=${v.resolution}${subtitles}`, v.uri, '');
  return lines.join('\n');
}
