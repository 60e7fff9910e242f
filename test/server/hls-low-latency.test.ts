/**
 * The simulated live stream as Low-Latency HLS (RFC 8216bis): parts of
 * 1/3 s in the live playlist, aligned with the segments and their
 * program date-times; a part exists once its wall-clock end has passed;
 * blocking playlist reloads wait for what they ask for, within bounds.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { STREAM_EPOCH_MS } from '../../server/stream/playlists.js';
import { listenToStream, parseMediaPlaylist } from './support/hls.js';

/** A wall-clock instant 0.5 s into segment 1_000_003 (2 s segments of six 1/3 s parts): part 0 of it has ended, part 1 not. */
const NOW = 1_000_003 * 2000 + 500;
const PART_MS = 2000 / 6;

const run = promisify(execFile);
const hasFfmpeg = run('ffprobe', ['-version']).then(
  () => true,
  () => false,
);

const bytesOf = async (url: string | URL) => {
  const res = await fetch(url);
  assert.equal(res.status, 200, String(url));
  return Buffer.from(await res.arrayBuffer());
};

/** ffprobe's view of an fMP4 byte stream: its video packets' times and key-frame flags, and any errors. */
async function probe(bytes: Buffer) {
  const p = run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'packet=pts_time,flags',
    '-of',
    'csv=p=0',
    '-i',
    'pipe:0',
  ]);
  p.child.stdin!.end(bytes);
  const { stdout, stderr } = await p;
  const packets = stdout
    .trim()
    .split('\n')
    .map((l) => ({ pts: Number(l.split(',')[0]), key: l.split(',')[1].startsWith('K') }));
  return { packets, errors: stderr.trim() };
}

describe('simulated live stream: Low-Latency HLS', () => {
  let pinned: { server: Server; url: string };
  let realtime: { server: Server; url: string };
  let frozen: { server: Server; url: string };
  before(async () => {
    pinned = await listenToStream(() => NOW);
    realtime = await listenToStream(Date.now, STREAM_EPOCH_MS);
    // A clock that never moves: whatever is not there yet never comes, so holds run into their limit.
    frozen = await listenToStream(() => NOW, 0, { holdLimitMs: 300 });
  });
  after(() => {
    for (const s of [pinned, realtime, frozen]) s.server.close();
  });

  const live = async (base: string, query = '') => {
    const res = await fetch(`${base}/stream/live.m3u8${query}`);
    assert.equal(res.status, 200);
    return parseMediaPlaylist(await res.text());
  };

  /** The first live segment listed with its parts, and the initialisation section to read them with. */
  const firstSegmentWithParts = async () => {
    const p = await live(pinned.url);
    const base = `${pinned.url}/stream/`;
    const init = await bytesOf(new URL(p.map!.URI, base));
    return { base, init, segment: p.entries.find((e) => e.parts.length)! };
  };

  it('announces parts of at most a third of a second, blocking reloads and a part hold-back of at least three part targets', async () => {
    const p = await live(pinned.url);
    assert.ok(p.partTarget! > 0.33 && p.partTarget! <= 0.34, `PART-TARGET ${p.partTarget}`);
    assert.equal(p.serverControl!['CAN-BLOCK-RELOAD'], 'YES');
    assert.ok(Number(p.serverControl!['PART-HOLD-BACK']) >= 3 * p.partTarget!, `PART-HOLD-BACK ${p.serverControl!['PART-HOLD-BACK']}`);
    for (const part of [...p.entries.flatMap((e) => e.parts), ...p.recording!.parts]) {
      assert.ok(part.duration <= p.partTarget!, `part ${part.uri} lasts ${part.duration} s`);
    }
  });

  it('lists the parts of the last segments and, of the one being recorded, exactly those that have ended, then hints the next', async () => {
    const p = await live(pinned.url);
    assert.deepEqual(
      p.entries.filter((e) => e.parts.length).map((e) => e.seq),
      [1_000_001, 1_000_002],
    );
    // 0.5 s into segment 1_000_003: part 0 ended at 0.33 s, part 1 ends at 0.67 s.
    assert.equal(p.recording!.seq, 1_000_003);
    assert.deepEqual(
      p.recording!.parts.map((x) => x.uri),
      ['parts/1000003.0.m4s'],
    );
    assert.equal(p.preloadHints, 1, 'one preload hint');
    assert.deepEqual(p.preloadHint, { TYPE: 'PART', URI: 'parts/1000003.1.m4s' });
  });

  it('keeps parts in line with segments and program date-times: six parts make a segment, byte for byte and in time', async () => {
    const p = await live(pinned.url);
    const base = `${pinned.url}/stream/`;
    for (const e of p.entries.filter((x) => x.parts.length)) {
      assert.equal(e.parts.length, 6);
      const total = e.parts.reduce((sum, x) => sum + x.duration, 0);
      assert.ok(Math.abs(total - e.duration) < 0.001, `segment ${e.seq}: parts last ${total} s, the segment ${e.duration} s`);
      const parts = await Promise.all(e.parts.map((x) => bytesOf(new URL(x.uri, base))));
      assert.ok(Buffer.concat(parts).equals(await bytesOf(new URL(e.uri, base))), `segment ${e.seq} is its parts in order`);
    }
    const last = p.entries.at(-1)!;
    assert.equal(p.recording!.pdt, last.pdt + 2000, 'the segment being recorded is dated where the last one ends');
    assert.equal(p.recording!.pdt, 1_000_003 * 2000);
  });

  it('marks a part INDEPENDENT exactly when it starts with a key frame', async (t) => {
    if (!(await hasFfmpeg)) return t.skip('ffprobe is not installed');
    const { base, init, segment } = await firstSegmentWithParts();
    const flags = [];
    for (const part of segment.parts) {
      const { packets, errors } = await probe(Buffer.concat([init, await bytesOf(new URL(part.uri, base))]));
      assert.equal(errors, '', `ffprobe reads ${part.uri} after the initialisation section`);
      assert.equal(packets.length, 10, 'ten frames (1/3 s at 30 fps)');
      flags.push([part.independent, packets[0].key]);
    }
    assert.ok(flags.some(([independent]) => independent) && flags.some(([independent]) => !independent), 'both kinds occur');
    for (const [independent, key] of flags) assert.equal(independent, key);
  });

  it('decodes a segment from its parts, and plays on from an independent part on its own', async (t) => {
    if (!(await hasFfmpeg)) return t.skip('ffprobe is not installed');
    const { base, init, segment } = await firstSegmentWithParts();
    const parts = await Promise.all(segment.parts.map((x) => bytesOf(new URL(x.uri, base))));
    const whole = await probe(Buffer.concat([init, ...parts]));
    assert.equal(whole.errors, '');
    assert.equal(whole.packets.length, 60, '2 s at 30 fps');
    const at = segment.parts.findIndex((x, i) => i > 0 && x.independent);
    const tail = await probe(Buffer.concat([init, ...parts.slice(at)]));
    assert.equal(tail.errors, '');
    assert.ok(tail.packets[0].key);
  });

  it('holds the hinted part until its wall-clock end has passed, then serves it', async () => {
    const p = await live(realtime.url);
    const [, seq, index] = /^parts\/(\d+)\.(\d+)\.m4s$/.exec(p.preloadHint!.URI)!.map(Number);
    const end = STREAM_EPOCH_MS + seq * 2000 + (index + 1) * PART_MS;
    const asked = Date.now();
    const res = await fetch(new URL(p.preloadHint!.URI, `${realtime.url}/stream/`));
    const answered = Date.now();
    assert.equal(res.status, 200);
    assert.ok(answered >= end, `answered ${end - answered} ms before the part's end`);
    assert.ok(answered - Math.max(asked, end) < 250, `answered ${answered - end} ms after the part's end`);
    assert.equal(Buffer.from(await res.arrayBuffer()).toString('latin1', 4, 8), 'moof');
  });

  it('does not serve a part that ends beyond the hold limit', async () => {
    const res = await fetch(`${pinned.url}/stream/parts/1000010.0.m4s`);
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
  });

  it('answers a blocking reload once the playlist holds the part it names, and not before', async () => {
    const p = await live(realtime.url);
    // The part after the last listed one, named as hls.js names it.
    const recording = p.recording ?? { seq: p.entries.at(-1)!.seq + 1, parts: [] };
    const [msn, part] = [recording.seq, recording.parts.length];
    const end = STREAM_EPOCH_MS + msn * 2000 + (part + 1) * PART_MS;
    const next = await live(realtime.url, `?_HLS_msn=${msn}&_HLS_part=${part}`);
    const answered = Date.now();
    assert.ok(answered >= end, `answered ${end - answered} ms early`);
    assert.ok(answered - end < 250, `answered ${answered - end} ms after the part's end`);
    const listed = next.recording?.seq === msn ? next.recording.parts : next.entries.find((e) => e.seq === msn)!.parts;
    assert.ok(
      listed.some((x) => x.uri === `parts/${msn}.${part}.m4s`),
      'the new playlist lists the part',
    );
  });

  it('answers a blocking reload for a whole segment once that segment is complete', async () => {
    const p = await live(realtime.url);
    const msn = p.entries.at(-1)!.seq + 1;
    const next = await live(realtime.url, `?_HLS_msn=${msn}`);
    assert.ok(Date.now() >= STREAM_EPOCH_MS + (msn + 1) * 2000);
    assert.equal(next.entries.at(-1)!.seq, msn);
  });

  it('answers a blocking reload at once when the part is already there, and treats a part past the last as the next segment', async () => {
    const asked = Date.now();
    const p = await live(pinned.url, '?_HLS_msn=1000002&_HLS_part=3');
    assert.ok(Date.now() - asked < 250);
    assert.equal(p.recording!.seq, 1_000_003);
    // Part 6 of segment 1_000_002 is part 0 of 1_000_003, which has ended.
    assert.equal((await fetch(`${pinned.url}/stream/live.m3u8?_HLS_msn=1000002&_HLS_part=6`)).status, 200);
  });

  for (const [query, why] of [
    ['?_HLS_msn=1000005', 'a segment more than two past the last'],
    ['?_HLS_msn=1000004&_HLS_part=3', 'a part more than three seconds past the last'],
    ['?_HLS_msn=abc', 'a sequence number that is not one'],
    ['?_HLS_msn=1000003&_HLS_part=-1', 'a negative part'],
    ['?_HLS_part=1', 'a part without its segment'],
  ]) {
    it(`answers 400 problem+json at once to a blocking reload for ${why}`, async () => {
      const res = await fetch(`${pinned.url}/stream/live.m3u8${query}`);
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      assert.equal(((await res.json()) as { code: string }).code, 'bad-request');
    });
  }

  it('waits at most the hold limit, then answers 503 with Retry-After', async () => {
    const asked = Date.now();
    const res = await fetch(`${frozen.url}/stream/live.m3u8?_HLS_msn=1000003&_HLS_part=1`);
    const waited = Date.now() - asked;
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '1');
    assert.equal(((await res.json()) as { code: string }).code, 'unavailable');
    assert.ok(waited >= 290 && waited < 1500, `waited ${waited} ms`);
    const part = await fetch(`${frozen.url}/stream/parts/1000003.1.m4s`);
    assert.equal(part.status, 503, 'a held part too');
  });

  it('still reads as ordinary HLS: every complete segment listed with its duration and date, the parts only as extra tags', async () => {
    const text = await (await fetch(`${pinned.url}/stream/live.m3u8`)).text();
    const plain = text
      .split('\n')
      .filter((l) => !/^#EXT-X-(PART|PART-INF|PRELOAD-HINT|SERVER-CONTROL):/.test(l))
      .join('\n');
    const { entries } = parseMediaPlaylist(plain);
    assert.deepEqual(
      entries.map((e) => [e.seq, e.duration, e.pdt]),
      [999_997, 999_998, 999_999, 1_000_000, 1_000_001, 1_000_002].map((n) => [n, 2, n * 2000]),
    );
    assert.equal(plain.split('\n').filter((l) => l && !l.startsWith('#')).length, 6, 'no URI but the segments');
  });
});
