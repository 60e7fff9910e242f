/**
 * For the simulated stream's tests: the stream alone on an ephemeral port,
 * and a reader for the media playlists it serves.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHlsStream } from '../../../server/stream/hls-stream.js';

/**
 * Serves only `createHlsStream`'s routes (anything else: 418), on its own clock.
 * With the default epoch of 0, segment n starts at n × 2 s since the Unix
 * epoch, to keep the tests' arithmetic readable.
 */
export async function listenToStream(now: () => number, epochMs = 0): Promise<{ server: Server; url: string }> {
  const stream = createHlsStream({ now, epochMs });
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
}

/** Reads a media playlist: its segments with their sequence numbers, and the tags the tests check. */
export function parseMediaPlaylist(text: string) {
  const tag = (name: string) => Number(new RegExp(`#${name}:(\\d+)`).exec(text)?.[1]);
  const entries: PlaylistEntry[] = [];
  let seq = tag('EXT-X-MEDIA-SEQUENCE');
  let pdt = NaN;
  let duration = NaN;
  let discontinuity = false;
  for (const line of text.split('\n')) {
    if (line === '#EXT-X-DISCONTINUITY') discontinuity = true;
    else if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) pdt = Date.parse(line.slice(25));
    else if (line.startsWith('#EXTINF:')) duration = Number.parseFloat(line.slice(8));
    else if (line && !line.startsWith('#')) {
      entries.push({ seq: seq++, uri: line, pdt, duration, discontinuity });
      discontinuity = false;
    }
  }
  return {
    entries,
    discontinuitySequence: tag('EXT-X-DISCONTINUITY-SEQUENCE'),
    targetDuration: tag('EXT-X-TARGETDURATION'),
    vod: text.includes('#EXT-X-PLAYLIST-TYPE:VOD'),
    ended: text.includes('#EXT-X-ENDLIST'),
  };
}
