/**
 * For the simulated stream's tests: the stream alone on an ephemeral port,
 * and a reader for the media playlists it serves.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHlsStream, type HlsStreamOptions } from '../../../server/stream/hls-stream.js';

/**
 * Serves only `createHlsStream`'s routes (anything else: 418), on its own clock.
 * With the default epoch of 0, segment n starts at n × 2 s since the Unix
 * epoch, to keep the tests' arithmetic readable.
 */
export async function listenToStream(
  now: () => number,
  epochMs = 0,
  options: Omit<HlsStreamOptions, 'now' | 'epochMs'> = {},
): Promise<{ server: Server; url: string }> {
  const stream = createHlsStream({ ...options, now, epochMs });
  const server = createServer((req, res) => {
    if (!stream.handle(req, res, new URL(req.url!, 'http://localhost'))) res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export interface PlaylistEntry {
  seq: number;
  uri: string;
  /** EXT-X-PROGRAM-DATE-TIME in ms. */
  pdt: number;
  /** EXTINF in seconds. */
  duration: number;
  /** Preceded by EXT-X-DISCONTINUITY. */
  discontinuity: boolean;
  /** Its EXT-X-PART tags (Low-Latency HLS), in order. */
  parts: PlaylistPart[];
}

export interface PlaylistPart {
  uri: string;
  /** DURATION in seconds. */
  duration: number;
  independent: boolean;
}

/** Attributes of a tag line, e.g. `TYPE=SUBTITLES,URI="a.m3u8"` → { TYPE: 'SUBTITLES', URI: 'a.m3u8' }. */
export function attributes(line: string): Record<string, string> {
  return Object.fromEntries([...line.matchAll(/([A-Z-]+)=("[^"]*"|[^,]*)/g)].map((m) => [m[1], m[2].replace(/^"|"$/g, '')]));
}

/**
 * Reads a media playlist: its segments with their sequence numbers, and the
 * tags the tests check. `recording` is the segment whose parts are listed
 * but which is not complete yet (null when there is none).
 */
export function parseMediaPlaylist(text: string) {
  const tag = (name: string) => Number(new RegExp(`#${name}:(\\d+)`).exec(text)?.[1]);
  const line = (name: string) => text.split('\n').find((l) => l.startsWith(`#${name}:`));
  const entries: PlaylistEntry[] = [];
  let seq = tag('EXT-X-MEDIA-SEQUENCE');
  let pdt = NaN;
  let duration = NaN;
  let discontinuity = false;
  let parts: PlaylistPart[] = [];
  for (const l of text.split('\n')) {
    if (l === '#EXT-X-DISCONTINUITY') discontinuity = true;
    else if (l.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) pdt = Date.parse(l.slice(25));
    else if (l.startsWith('#EXTINF:')) duration = Number.parseFloat(l.slice(8));
    else if (l.startsWith('#EXT-X-PART:')) {
      const a = attributes(l.slice(12));
      parts.push({ uri: a.URI, duration: Number(a.DURATION), independent: a.INDEPENDENT === 'YES' });
    } else if (l && !l.startsWith('#')) {
      entries.push({ seq: seq++, uri: l, pdt, duration, discontinuity, parts });
      discontinuity = false;
      parts = [];
    }
  }
  const hint = line('EXT-X-PRELOAD-HINT');
  const serverControl = line('EXT-X-SERVER-CONTROL');
  const partInf = line('EXT-X-PART-INF');
  return {
    entries,
    recording: parts.length ? { seq, pdt, discontinuity, parts } : null,
    preloadHint: hint ? attributes(hint.slice(19)) : null,
    preloadHints: text.split('\n').filter((l) => l.startsWith('#EXT-X-PRELOAD-HINT:')).length,
    serverControl: serverControl ? attributes(serverControl.slice(22)) : null,
    partTarget: partInf ? Number(attributes(partInf.slice(16))['PART-TARGET']) : null,
    map: line('EXT-X-MAP') ? attributes(line('EXT-X-MAP')!.slice(10)) : null,
    discontinuitySequence: tag('EXT-X-DISCONTINUITY-SEQUENCE'),
    targetDuration: tag('EXT-X-TARGETDURATION'),
    vod: text.includes('#EXT-X-PLAYLIST-TYPE:VOD'),
    ended: text.includes('#EXT-X-ENDLIST'),
  };
}
