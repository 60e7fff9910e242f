/**
 * The looped recording behind the simulated live stream, read once into
 * memory (a few hundred kilobytes): `media/clip/clip.mp4`, one fragmented
 * MP4 (CMAF) file whose fragments are the parts of Low-Latency HLS, as
 * `media/clip/clip.m3u8` lists them (byte ranges: the header, each part,
 * and which parts make a segment); and, when there is one, the WebVTT
 * captions of `media/clip/captions.m3u8` (one file per segment).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ClipFile {
  /** File name inside the clip folder, e.g. `captions-0.vtt`. */
  file: string;
  bytes: Buffer;
}

export interface ClipPart {
  /** One `moof` + `mdat` fragment. */
  bytes: Buffer;
  /** Starts with a video key frame: a player can begin decoding here. */
  independent: boolean;
}

export interface ClipSegment {
  /** The segment's parts in order; their bytes, concatenated, are the segment's. */
  parts: ClipPart[];
  bytes: Buffer;
}

export interface Clip {
  /** Every segment lasts exactly this long (it starts with a key frame). */
  segmentMs: number;
  /** Every segment has this many parts of `segmentMs / partsPerSegment` each. */
  partsPerSegment: number;
  /** The fMP4 initialisation section (`ftyp` + `moov`): EXT-X-MAP. */
  init: Buffer;
  segments: ClipSegment[];
  /** The captions of segment i at index i (their X-TIMESTAMP-MAP names its time), or null: no captions. */
  captions: ClipFile[] | null;
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
  const video = readPartsPlaylist(dir, 'clip.m3u8');
  let captions: ClipFile[] | null = null;
  if (existsSync(join(dir, 'captions.m3u8'))) {
    const listed = readFilesPlaylist(dir, 'captions.m3u8');
    // Captions file i is segment i's: the stream serves them under the same sequence numbers.
    if (listed.segmentMs !== video.segmentMs || listed.files.length !== video.segments.length) {
      throw new Error(`${dir}captions.m3u8 must list one ${video.segmentMs} ms file per video segment (${video.segments.length})`);
    }
    captions = listed.files;
  }
  let poster: Buffer | null = null;
  try {
    poster = readFileSync(join(dir, 'poster.jpg'));
  } catch {
    // A clip without a poster is fine: the stream simply serves none.
  }
  return { ...video, captions, codecs: CLIP_CODECS, resolution: CLIP_RESOLUTION, poster };
}

/** `<length>@<offset>` of a BYTERANGE attribute or tag, as a slice of `bytes`. */
function slice(bytes: Buffer, range: string, where: string): Buffer {
  const m = /^(\d+)@(\d+)$/.exec(range);
  if (!m || Number(m[1]) + Number(m[2]) > bytes.length) throw new Error(`${where}: byte range ${range} is not inside the file`);
  return bytes.subarray(Number(m[2]), Number(m[2]) + Number(m[1]));
}

const attribute = (line: string, name: string) =>
  new RegExp(`[:,]${name}=(?:"([^"]*)"|([^,]*))`)
    .exec(line)
    ?.slice(1)
    .find((v) => v !== undefined);

/**
 * The clip's LL-HLS VOD playlist (scripts/cmaf-parts.ts writes it): the
 * header, and segments of equal duration and equal part count, each the
 * byte range of its parts.
 */
function readPartsPlaylist(dir: string, name: string): Pick<Clip, 'segmentMs' | 'partsPerSegment' | 'init' | 'segments'> {
  const where = `${dir}${name}`;
  const text = readFileSync(join(dir, name), 'utf8');
  const files = new Map<string, Buffer>();
  const file = (uri: string) => files.get(uri) ?? files.set(uri, readFileSync(join(dir, uri))).get(uri)!;
  let init: Buffer | null = null;
  const segments: ClipSegment[] = [];
  const durations = new Set<number>();
  let parts: ClipPart[] = [];
  let duration: number | null = null;
  let range: string | null = null;
  for (const line of text.split(/\r?\n/).map((l) => l.trim())) {
    if (line.startsWith('#EXT-X-MAP:')) {
      init = slice(file(attribute(line, 'URI') ?? ''), attribute(line, 'BYTERANGE') ?? '', where);
    } else if (line.startsWith('#EXT-X-PART:')) {
      const bytes = slice(file(attribute(line, 'URI') ?? ''), attribute(line, 'BYTERANGE') ?? '', where);
      parts.push({ bytes, independent: attribute(line, 'INDEPENDENT') === 'YES' });
    } else if (line.startsWith('#EXTINF:')) {
      duration = Math.round(Number.parseFloat(line.slice(8)) * 1000);
    } else if (line.startsWith('#EXT-X-BYTERANGE:')) {
      range = line.slice(17);
    } else if (line && !line.startsWith('#') && duration !== null && range !== null) {
      const bytes = slice(file(line), range, where);
      if (!bytes.equals(Buffer.concat(parts.map((p) => p.bytes))))
        throw new Error(`${where}: segment ${segments.length} is not its parts in order`);
      if (!parts[0]?.independent) throw new Error(`${where}: segment ${segments.length} does not start with an independent part`);
      durations.add(duration);
      segments.push({ parts, bytes });
      parts = [];
      duration = range = null;
    }
  }
  const partCounts = new Set(segments.map((s) => s.parts.length));
  // The wall-clock arithmetic (sequence = time / duration, part = remainder / part duration) needs one duration and one part count for all.
  if (!init || segments.length === 0 || durations.size !== 1 || partCounts.size !== 1) {
    throw new Error(
      `${where} must have an EXT-X-MAP and segments of one duration and one part count (found ${[...durations].join(', ') || 'none'} ms, ${[...partCounts].join(', ') || 'no'} parts)`,
    );
  }
  return { segmentMs: [...durations][0], partsPerSegment: [...partCounts][0], init, segments };
}

/** The files a VOD playlist of the clip lists, and their one duration. */
function readFilesPlaylist(dir: string, name: string): { segmentMs: number; files: ClipFile[] } {
  const playlist = readFileSync(join(dir, name), 'utf8');
  const files: ClipFile[] = [];
  const durations = new Set<number>();
  let pending: number | null = null;
  for (const line of playlist.split(/\r?\n/).map((l) => l.trim())) {
    const inf = /^#EXTINF:([\d.]+)/.exec(line);
    if (inf) pending = Math.round(Number(inf[1]) * 1000);
    else if (line && !line.startsWith('#') && pending !== null) {
      durations.add(pending);
      files.push({ file: line, bytes: readFileSync(join(dir, line)) });
      pending = null;
    }
  }
  if (files.length === 0 || durations.size !== 1) {
    throw new Error(`${dir}${name} must list files of one equal duration (found ${[...durations].join(', ') || 'none'} ms)`);
  }
  return { segmentMs: [...durations][0], files };
}
