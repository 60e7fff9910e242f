/**
 * The looped recording behind the simulated live stream: the segments of
 * `media/clip/clip.m3u8`, read once into memory (a few hundred kilobytes).
 */
import { readFileSync } from 'node:fs';
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
  poster: Buffer | null;
}

export const DEFAULT_CLIP_DIR = fileURLToPath(new URL('../../media/clip/', import.meta.url));

export function loadClip(dir = DEFAULT_CLIP_DIR): Clip {
  const playlist = readFileSync(join(dir, 'clip.m3u8'), 'utf8');
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
    throw new Error(`${dir}clip.m3u8 must list segments of one equal duration (found ${[...durations].join(', ') || 'none'} ms)`);
  }
  let poster: Buffer | null = null;
  try {
    poster = readFileSync(join(dir, 'poster.jpg'));
  } catch {
    // A clip without a poster is fine: the stream simply serves none.
  }
  return { segmentMs: [...durations][0], segments, poster };
}
