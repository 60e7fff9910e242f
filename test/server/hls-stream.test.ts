import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { STREAM_EPOCH_MS } from '../../server/stream/playlists.js';
import { listenToStream, parseMediaPlaylist } from './support/hls.js';

/** A wall-clock instant 0.5 s into segment 1_000_003 (a 2 s segment, the 4th of the 4-segment loop). */
const NOW = 1_000_003 * 2000 + 500;

describe('simulated live HLS stream', () => {
  let pinned: { server: Server; url: string };
  let realtime: { server: Server; url: string };
  before(async () => {
    pinned = await listenToStream(() => NOW);
    realtime = await listenToStream(Date.now, STREAM_EPOCH_MS);
  });
  after(() => {
    pinned.server.close();
    realtime.server.close();
  });

  it('lists the last six complete segments, numbered and dated by the wall clock', async () => {
    const res = await fetch(`${pinned.url}/stream/live.m3u8`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/vnd.apple.mpegurl');
    const { entries, vod, ended } = parseMediaPlaylist(await res.text());
    assert.deepEqual(
      entries.map((e) => e.seq),
      [999_997, 999_998, 999_999, 1_000_000, 1_000_001, 1_000_002],
    );
    for (const e of entries) assert.equal(e.pdt, e.seq * 2000, `segment ${e.seq} is dated at its wall-clock start`);
    assert.ok(entries.at(-1)!.pdt + 2000 <= NOW, 'the segment still being recorded is not listed');
    assert.equal(vod || ended, false);
  });

  it('marks every loop restart as a discontinuity and counts the ones that slid out', async () => {
    const { entries, discontinuitySequence } = parseMediaPlaylist(await (await fetch(`${pinned.url}/stream/live.m3u8`)).text());
    assert.deepEqual(
      entries.filter((e) => e.discontinuity).map((e) => e.seq),
      [1_000_000],
    );
    // Loops restarted at 0, 4, …, 999_996: the first listed segment is in loop 249_999.
    assert.equal(discontinuitySequence, 249_999);
  });

  it('gives the same playlist on every node, so a load balancer can spread viewers', async () => {
    const [a, b] = await Promise.all([listenToStream(() => NOW), listenToStream(() => NOW)]);
    try {
      const [x, y] = await Promise.all([a, b].map(async (s) => (await fetch(`${s.url}/stream/live.m3u8`)).text()));
      assert.equal(x, y);
    } finally {
      a.server.close();
      b.server.close();
    }
  });

  it('serves each listed segment as cacheable fMP4 after one initialisation section, the loop position picking the clip file', async () => {
    const { map } = parseMediaPlaylist(await (await fetch(`${pinned.url}/stream/live.m3u8`)).text());
    const init = await fetch(new URL(map!.URI, `${pinned.url}/stream/live.m3u8`));
    assert.equal(init.headers.get('content-type'), 'video/mp4');
    assert.equal(Buffer.from(await init.arrayBuffer()).toString('latin1', 4, 8), 'ftyp');
    const { entries } = parseMediaPlaylist(await (await fetch(`${pinned.url}/stream/live.m3u8`)).text());
    const bodies = await Promise.all(
      entries.map(async (e) => {
        const res = await fetch(new URL(e.uri, `${pinned.url}/stream/live.m3u8`));
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'video/mp4');
        assert.match(res.headers.get('cache-control')!, /max-age=\d+/);
        const bytes = Buffer.from(await res.arrayBuffer());
        assert.equal(bytes.toString('latin1', 4, 8), 'moof', 'starts with a movie fragment');
        return bytes;
      }),
    );
    // Sequence 999_997 and 1_000_001 are both the 2nd clip segment (n mod 4 = 1).
    assert.ok(bodies[0].equals(bodies[4]));
    assert.ok(!bodies[0].equals(bodies[1]));
  });

  it('does not serve a segment before its recording has started', async () => {
    assert.equal((await fetch(`${pinned.url}/stream/segments/1000003.m4s`)).status, 200);
    const res = await fetch(`${pinned.url}/stream/segments/1000004.m4s`);
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
  });

  it('replays a past window as VOD with the program date-times the live playlist had', async () => {
    const live = parseMediaPlaylist(await (await fetch(`${pinned.url}/stream/live.m3u8`)).text());
    const from = 999_998 * 2000 + 700;
    const to = 1_000_002 * 2000 + 10;
    const res = await fetch(`${pinned.url}/stream/replay.m3u8?from=${from}&to=${to}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const replay = parseMediaPlaylist(await res.text());
    assert.ok(replay.vod && replay.ended);
    assert.deepEqual(
      replay.entries.map((e) => e.seq),
      [999_998, 999_999, 1_000_000, 1_000_001, 1_000_002],
    );
    const sameInLive = live.entries.filter((e) => e.seq >= 999_998).map((e) => ({ ...e, parts: [] }));
    assert.deepEqual(replay.entries, sameInLive, 'the same segments, without parts');
    assert.deepEqual(replay.map, live.map);
    assert.equal(replay.discontinuitySequence, 249_999);
  });

  it('cuts a replay that reaches into the future at what has been recorded', async () => {
    const res = await fetch(`${pinned.url}/stream/replay.m3u8?from=${NOW - 5000}&to=${NOW + 60_000}`);
    const { entries } = parseMediaPlaylist(await res.text());
    assert.equal(entries.at(-1)!.seq, 1_000_003);
  });

  for (const [query, why] of [
    ['', 'missing'],
    ['from=abc&to=5', 'not a number'],
    ['from=5000&to=4000', 'ends before it starts'],
    [`from=${NOW + 10_000}&to=${NOW + 20_000}`, 'has not started'],
    [`from=0&to=${NOW}`, 'longer than a day'],
  ]) {
    it(`answers 400 problem+json to a replay window that is ${why}`, async () => {
      const res = await fetch(`${pinned.url}/stream/replay.m3u8?${query}`);
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      const body = (await res.json()) as { code: string; status: number; detail: string };
      assert.equal(body.code, 'bad-request');
      assert.equal(body.status, 400);
      assert.ok(body.detail.length > 0);
    });
  }

  it('allows any origin, answers preflight and HEAD, and refuses other methods', async () => {
    const get = await fetch(`${pinned.url}/stream/live.m3u8`, { headers: { Origin: 'https://shop.example' } });
    assert.equal(get.headers.get('access-control-allow-origin'), '*');
    const options = await fetch(`${pinned.url}/stream/live.m3u8`, { method: 'OPTIONS' });
    assert.equal(options.status, 204);
    assert.match(options.headers.get('access-control-allow-methods')!, /GET/);
    const head = await fetch(`${pinned.url}/stream/segments/1000000.m4s`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.ok(Number(head.headers.get('content-length')) > 10_000);
    assert.equal((await head.arrayBuffer()).byteLength, 0);
    const post = await fetch(`${pinned.url}/stream/live.m3u8`, { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD, OPTIONS');
  });

  it('answers byte ranges of a segment, as native players ask for them', async () => {
    const whole = Buffer.from(await (await fetch(`${pinned.url}/stream/segments/1000000.m4s`)).arrayBuffer());
    const res = await fetch(`${pinned.url}/stream/segments/1000000.m4s`, { headers: { Range: 'bytes=188-375' } });
    assert.equal(res.status, 206);
    assert.equal(res.headers.get('content-range'), `bytes 188-375/${whole.length}`);
    assert.ok(Buffer.from(await res.arrayBuffer()).equals(whole.subarray(188, 376)));
  });

  it('answers 404 for unknown stream paths and leaves other paths to the server', async () => {
    for (const path of [
      '/stream/',
      '/stream/nope.m3u8',
      '/stream/segments/-1.m4s',
      '/stream/segments/1.mp4',
      '/stream/segments/1.ts',
      '/stream/parts/1.6.m4s',
      '/stream/parts/1.m4s',
      '/stream/parts/1.-1.m4s',
    ]) {
      assert.equal((await fetch(`${pinned.url}${path}`)).status, 404, path);
    }
    assert.equal((await fetch(`${pinned.url}/v1/time`)).status, 418);
  });

  it('keeps sequence numbers small by default: hls.js stalls on a discontinuity sequence in the hundreds of millions', async () => {
    const { entries, discontinuitySequence } = parseMediaPlaylist(await (await fetch(`${realtime.url}/stream/live.m3u8`)).text());
    assert.ok(discontinuitySequence < 10_000_000, `discontinuity sequence ${discontinuitySequence}`);
    for (const e of entries) assert.equal(e.pdt % 2000, 0, 'segments still start on the wall clock grid');
    assert.ok(Math.abs(entries.at(-1)!.pdt + 4000 - Date.now()) < 4000, 'the last segment ended within one segment of now');
  });

  it('serves a poster still', async () => {
    const res = await fetch(`${pinned.url}/stream/poster.jpg`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
  });

  it('decodes end to end: ffmpeg reads 8 s of the real-time live stream across a loop restart', { timeout: 60_000 }, async (t) => {
    const ffmpeg = await promisify(execFile)('ffmpeg', ['-version']).catch(() => null);
    if (!ffmpeg) return t.skip('ffmpeg is not installed');
    const from = Math.floor((Date.now() - 10_000) / 2000) * 2000; // segment-aligned: exactly 4 segments
    const { stderr } = await promisify(execFile)('ffmpeg', [
      '-hide_banner',
      '-v',
      'error',
      '-i',
      `${realtime.url}/stream/replay.m3u8?from=${from}&to=${from + 8000}`,
      '-map',
      '0',
      '-f',
      'null',
      '-',
    ]);
    // The null muxer complains that timestamps restart at the loop's discontinuity: expected, not a decoding error.
    const errors = stderr.split('\n').filter((l) => l.trim() && !/non monotonically increasing dts/.test(l));
    assert.deepEqual(errors, [], 'no decoding errors');
    const { stdout } = await promisify(execFile)('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format=duration',
      '-of',
      'csv=p=0',
      `${realtime.url}/stream/replay.m3u8?from=${from}&to=${from + 8000}`,
    ]);
    assert.ok(Math.abs(Number(stdout) - 8) < 0.5, `replay lasts about 8 s (ffprobe says ${stdout.trim()})`);
  });
});
