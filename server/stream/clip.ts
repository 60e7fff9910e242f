/**
 * The looped recording behind the simulated live stream: the segments of
 * `media/clip/clip.m3u8` and, when there is one, the WebVTT captions of
 * `media/clip/captions.m3u8` (one file per segment), read once into memory
 * (a few hundred kilobytes).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ClipSegment {
  /** File name inside the clip folder, e.g. `segment-0.ts`. */
  file: string;
  bytes: Buffer;
}

export interface Clip {
  /** Every segment lasts exactly this long (the clip is cut with a keyframe at each boundary). */
  segmentMs: number;
  segments: ClipSegment[];
  /** The captions of segment i at index i (their X-TIMESTAMP-MAP names its PTS), or null: no captions. */
  captions: ClipSegment[] | null;
  /** RFC 6381 codecs and size of the video, as media/make-clip.sh encodes it, for the multivariant playlist. */
  codecs: string;
  resolution: string;
  poster: Buffer | null;
}

export const DEFAULT_CLIP_DIR = fileURLToPath(new URL('../../media/clip/', import.meta.url));

/** H.264 Main@3.1 + AAC-LC at 640x360: what media/make-clip.sh encodes. */
const CLIP_CODECS = 'avc1.4d401f,mp4a.40.2';
const CLIP_RESOLUTION = '640x360';

export function loadClip(dir = DEFAULT_CLIP_DIR): Clip {
  const { segmentMs, segments } = readPlaylist(dir, 'clip.m3u8');
  let captions: ClipSegment[] | null = null;
  if (existsSync(join(dir, 'captions.m3u8'))) {
    const listed = readPlaylist(dir, 'captions.m3u8');
    // Captions file i is segment i's: the stream serves them under the same sequence numbers.
    if (listed.segmentMs !== segmentMs || listed.segments.length !== segments.length) {
      throw new Error(`${dir}captions.m3u8 must list one ${segmentMs} ms file per video segment (${segments.length})`);
    }
    captions = listed.segments;
  }
  let poster: Buffer | null = null;
  try {
    poster = readFileSync(join(dir, 'poster.jpg'));
  } catch {
    // A clip without a poster is fine: the stream simply serves none.
  }
  return { segmentMs, segments, captions, codecs: CLIP_CODECS, resolution: CLIP_RESOLUTION, poster };
}

/** The files a VOD playlist of the clip lists, and their one duration. */
function readPlaylist(dir: string, name: string): { segmentMs: number; segments: ClipSegment[] } {
  const playlist = readFileSync(join(dir, name), 'utf8');
  const segments: ClipSegment[] = [];
  const durations = new Set<number>();
  let pending: number | null = null;
  for (const line of playlist.split(/\r?\n/).map((l) => l.trim())) {
    const inf = /^#EXTINF:([\d.]+)/.exec(line);
    if (inf) pending = Math.round(Number(inf[1]) * 1000);
    else if (line && !line.startsWith('#') && pending !== null) {
      durations.add(pending);
      segments.push({ file: line, bytes: readFileSync(join(dir, line)) });
      pending = null;
    }
  }
  // The wall-clock arithmetic (sequence = time / duration) needs one duration for all.
  if (segments.length === 0 || durations.size !== 1) {
    throw new Error(`${dir}${name} must list segments of one equal duration (found ${[...durations].join(', ') || 'none'} ms)`);
  }
  return { segmentMs: [...durations][0], segments };
}
