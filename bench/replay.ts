/**
 * replay: what serving a replay playlist of the simulated stream costs the
 * reference server, whose event loop also takes reservations.
 *   node --import tsx bench/replay.ts [--requests 20] [--hours 3]
 * Ends a drop that was live for `--hours` and fetches its replay's media
 * playlist `--requests` times one after the other (every viewer of the
 * replay asks for the same one), then as many 24-hour windows that are no
 * show (what anyone may ask for without a token). Asks for the first 100
 * bytes only, so the figure is the server's work rather than the transfer.
 * Prints milliseconds per request as the client sees them, and the size of
 * the whole playlist.
 */
import { startReferenceServer } from '../test/support/reference-server.js';
import { intFlags } from './lib/args.js';
import { summarize } from './lib/stats.js';
import { printTable } from './lib/table.js';

const flags = intFlags({ requests: 20, hours: 3 }, 'usage: bench/replay.ts [--requests N] [--hours H]');
const server = await startReferenceServer();
try {
  const host = { authorization: `Bearer ${server.hostToken}`, 'content-type': 'application/json' };
  const id = `replay-${Date.now().toString(36)}`;
  const startsAt = Date.now() - flags.hours * 3_600_000;
  const body = { id, title: 'Replay bench', startsAt, stream: { hls: 'stream/live.m3u8' }, products: [] };
  const created = await fetch(`${server.url}/v1/host/drops`, { method: 'POST', headers: host, body: JSON.stringify(body) });
  if (created.status !== 201) throw new Error(`creating the drop answered ${created.status}: ${await created.text()}`);
  const ended = (await (await fetch(`${server.url}/v1/host/drops/${id}/end`, { method: 'POST', headers: host })).json()) as {
    stream: { replay: string };
  };

  const time = async (pathFor: (i: number) => string) => {
    const samples: number[] = [];
    let bytes = 0;
    let status = 0;
    for (let i = 0; i < flags.requests; i++) {
      const started = performance.now();
      // Only the first bytes: the playlist is built (or found) whole, but its transfer does not blur the figure.
      const res = await fetch(`${server.url}/${pathFor(i)}`, { headers: { range: 'bytes=0-99' } });
      bytes = Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1] ?? (await res.clone().arrayBuffer()).byteLength);
      await res.arrayBuffer();
      samples.push(performance.now() - started);
      status = res.status;
    }
    const s = summarize(samples);
    return [s.p50, s.p99, s.max, status, bytes];
  };
  const dayAgo = Date.now() - 25 * 3_600_000;
  printTable(
    `replay playlists, ${flags.requests} requests each, one at a time (ms per request)`,
    ['what', 'p50', 'p99', 'max', 'status', 'playlist bytes'],
    [
      [`the ended show's replay (${flags.hours} h)`, ...(await time(() => ended.stream.replay))],
      // A new window each time: a cache must not be what makes these cheap.
      ['a 24 h window that is no show', ...(await time((i) => `stream/replay.m3u8?from=${dayAgo + i}&to=${dayAgo + i + 24 * 3_600_000}`))],
    ],
  );
} finally {
  await server.stop();
}
