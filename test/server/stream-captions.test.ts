/**
 * The captions rendition of the simulated live stream: a multivariant
 * playlist offering an English WebVTT rendition whose segments line up with
 * the video's, timed to the video's PTS, live and in replays.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startReferenceServer, type RunningServer } from '../support/reference-server.js';
import { apiFor } from './support/api-client.js';
import { attributes, listenToStream, parseMediaPlaylist, type PlaylistEntry } from './support/hls.js';

/** A wall-clock instant 0.5 s into segment 1_000_003 (a 2 s segment, the 4th of the 4-segment loop); segment n starts at n × 2 s. */
const NOW = 1_000_003 * 2000 + 500;

function parseMultivariant(text: string) {
  const lines = text.split('\n');
  assert.equal(lines[0], '#EXTM3U');
  const media = lines.filter((l) => l.startsWith('#EXT-X-MEDIA:')).map((l) => attributes(l.slice(13)));
  const at = lines.findIndex((l) => l.startsWith('#EXT-X-STREAM-INF:'));
  assert.ok(at > 0, 'has a variant');
  assert.equal(lines.filter((l) => l.startsWith('#EXT-X-STREAM-INF:')).length, 1, 'one variant');
  return { media, variant: attributes(lines[at].slice(18)), variantUri: lines[at + 1] };
}

function parseVtt(text: string) {
  const [first, map] = text.split('\n');
  const m = /^X-TIMESTAMP-MAP=MPEGTS:(\d+),LOCAL:([\d:.]+)$/.exec(map);
  const cues = [...text.matchAll(/^([\d:.]+) --> ([\d:.]+)\n(.+)$/gm)].map((c) => ({ start: c[1], end: c[2], text: c[3] }));
  return { signature: first, mpegts: m ? Number(m[1]) : NaN, local: m?.[2], cues };
}

const run = promisify(execFile);
const hasFfprobe = run('ffprobe', ['-version']).then(
  () => true,
  () => false,
);

/** First video time of an fMP4 segment (its initialisation section first) in 90 kHz units, read by ffprobe. */
async function firstVideoPts(bytes: Buffer): Promise<number> {
  const probe = run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'packet=pts_time',
    '-read_intervals',
    '%+#1',
    '-of',
    'csv=p=0',
    '-i',
    'pipe:0',
  ]);
  probe.child.stdin!.end(bytes);
  return Math.round(Number((await probe).stdout.trim().split('\n')[0]) * 90_000);
}

/** Segment n of the video with the initialisation section in front: a file ffprobe can read. */
async function playableSegment(url: string, n: number): Promise<Buffer> {
  const [init, segment] = await Promise.all(
    [`${url}init.mp4`, `${url}segments/${n}.m4s`].map(async (u) => Buffer.from(await (await fetch(u)).arrayBuffer())),
  );
  return Buffer.concat([init, segment]);
}

const text = async (url: string) => {
  const res = await fetch(url);
  assert.equal(res.status, 200, url);
  return res.text();
};

describe('simulated live stream: captions', () => {
  let pinned: { server: Server; url: string };
  before(async () => {
    const stream = await listenToStream(() => NOW);
    // The tests below name the stream's files relative to stream/.
    pinned = { ...stream, url: `${stream.url}/stream/` };
  });
  after(() => pinned.server.close());

  it('offers the live video and an English WebVTT rendition in a multivariant playlist', async () => {
    const res = await fetch(`${pinned.url}main.m3u8`);
    assert.equal(res.headers.get('content-type'), 'application/vnd.apple.mpegurl');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    const { media, variant, variantUri } = parseMultivariant(await res.text());
    assert.equal(media.length, 1);
    const [subs] = media;
    assert.equal(subs.TYPE, 'SUBTITLES');
    assert.equal(subs.LANGUAGE, 'en');
    assert.equal(subs.URI, 'captions.m3u8');
    assert.equal(subs.DEFAULT, 'NO', 'viewers turn captions on');
    assert.equal(variant.SUBTITLES, subs['GROUP-ID'], 'the variant names the rendition group');
    assert.equal(variantUri, 'live.m3u8');
    assert.ok(Number(variant.BANDWIDTH) > 100_000);
  });

  it('names the codecs and size the video really has', async (t) => {
    if (!(await hasFfprobe)) return t.skip('ffprobe is not installed');
    const { variant } = parseMultivariant(await text(`${pinned.url}main.m3u8`));
    const segment = await playableSegment(pinned.url, 1_000_000);
    const probe = run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_name,profile,level,width,height',
      '-of',
      'json',
      '-i',
      'pipe:0',
    ]);
    probe.child.stdin!.end(segment);
    const streams = (
      JSON.parse((await probe).stdout) as {
        streams: { codec_name: string; profile: string; level: number; width?: number; height?: number }[];
      }
    ).streams;
    const video = streams.find((s) => s.codec_name === 'h264')!;
    const audio = streams.find((s) => s.codec_name === 'aac')!;
    assert.equal(variant.RESOLUTION, `${video.width}x${video.height}`);
    // avc1.PPCCLL: Main profile is 0x4d, level 3.1 is 0x1f; mp4a.40.2 is AAC-LC.
    assert.equal(video.profile, 'Main');
    assert.equal(variant.CODECS, `avc1.4d40${video.level.toString(16).padStart(2, '0')},mp4a.40.2`);
    assert.equal(audio.profile, 'LC');
  });

  it('lists the captions of the live video segments and of the one being recorded: same sequence numbers, durations, dates and discontinuities', async () => {
    const video = parseMediaPlaylist(await text(`${pinned.url}live.m3u8`));
    const captions = parseMediaPlaylist(await text(`${pinned.url}captions.m3u8`));
    assert.equal(captions.entries.length, 7);
    assert.equal(captions.ended, false, 'a live playlist');
    assert.equal(captions.discontinuitySequence, video.discontinuitySequence);
    assert.equal(captions.targetDuration, video.targetDuration);
    const strip = (e: PlaylistEntry) => ({ ...e, parts: [], uri: e.uri.replace(/^captions\/(\d+)\.vtt$/, 'segments/$1.m4s') });
    assert.deepEqual(
      captions.entries.slice(0, -1).map(strip),
      video.entries.map((e) => ({ ...e, parts: [] })),
    );
    // The video has only the parts of the segment being recorded; a viewer near the live edge needs its line already.
    assert.deepEqual(captions.entries.at(-1)!.seq, video.recording!.seq);
    assert.equal(captions.entries.at(-1)!.pdt, video.recording!.pdt);
    assert.deepEqual(
      captions.entries.filter((e) => e.discontinuity).map((e) => e.seq),
      [1_000_000],
      'the loop restart',
    );
    assert.deepEqual(
      captions.entries.map((e) => e.uri),
      captions.entries.map((e) => `captions/${e.seq}.vtt`),
    );
  });

  it('times each captions segment to the PTS of the video segment with the same number, for the whole segment', async (t) => {
    if (!(await hasFfprobe)) return t.skip('ffprobe is not installed');
    const { entries } = parseMediaPlaylist(await text(`${pinned.url}captions.m3u8`));
    const lines = new Set<string>();
    for (const e of entries) {
      const res = await fetch(new URL(e.uri, pinned.url));
      assert.equal(res.headers.get('content-type'), 'text/vtt; charset=utf-8');
      assert.match(res.headers.get('cache-control')!, /max-age=\d+/);
      const vtt = parseVtt(await res.text());
      assert.equal(vtt.signature, 'WEBVTT');
      const segment = await playableSegment(pinned.url, e.seq);
      assert.equal(
        vtt.mpegts,
        await firstVideoPts(segment),
        `captions/${e.seq}.vtt maps its local 0 to the first frame of segments/${e.seq}.m4s`,
      );
      assert.equal(vtt.local, '00:00:00.000');
      assert.equal(vtt.cues.length, 1);
      assert.deepEqual(
        [vtt.cues[0].start, vtt.cues[0].end],
        ['00:00:00.000', `00:00:0${e.duration}.000`],
        'one line for the whole segment',
      );
      lines.add(vtt.cues[0].text);
    }
    assert.equal(lines.size, 4, 'a different line for each of the four segments of the loop');
    assert.ok(entries.length >= 4);
  });

  it('replays a past window with captions: the multivariant replay points at aligned VOD playlists of that window', async () => {
    const from = 999_998 * 2000 + 700;
    const to = 1_000_002 * 2000 + 10;
    const { media, variantUri } = parseMultivariant(await text(`${pinned.url}main.m3u8?from=${from}&to=${to}`));
    assert.equal(variantUri, `replay.m3u8?from=${from}&to=${to}`);
    assert.equal(media[0].URI, `captions.m3u8?from=${from}&to=${to}`);
    const video = parseMediaPlaylist(await text(new URL(variantUri, pinned.url).href));
    const captions = parseMediaPlaylist(await text(new URL(media[0].URI, pinned.url).href));
    assert.ok(video.ended && captions.ended, 'both are VOD');
    assert.deepEqual(
      captions.entries.map((e) => e.seq),
      [999_998, 999_999, 1_000_000, 1_000_001, 1_000_002],
    );
    assert.deepEqual(
      captions.entries.map((e) => [e.seq, e.pdt, e.discontinuity]),
      video.entries.map((e) => [e.seq, e.pdt, e.discontinuity]),
    );
  });

  it('serves the captions of a segment only once its recording has started', async () => {
    assert.equal((await fetch(`${pinned.url}captions/1000003.vtt`)).status, 200);
    const res = await fetch(`${pinned.url}captions/1000004.vtt`);
    assert.equal(res.status, 404);
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
  });

  for (const path of [
    'captions/-1.vtt',
    'captions/abc.vtt',
    'captions/1.ts',
    'segments/1.vtt',
    'segments/1.ts',
    'captions/1234567890123456.vtt',
    'captions/',
    'captions.vtt',
  ]) {
    it(`answers 404 problem+json for stream/${path}`, async () => {
      const res = await fetch(`${pinned.url}${path}`);
      assert.equal(res.status, 404);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      const body = (await res.json()) as { code: string; status: number };
      assert.deepEqual([body.code, body.status], ['not-found', 404]);
    });
  }

  for (const [playlist, query] of [
    ['main.m3u8', 'from=abc&to=5'],
    ['main.m3u8', 'from=5000'],
    ['main.m3u8', `from=${NOW + 10_000}&to=${NOW + 20_000}`],
    ['captions.m3u8', 'to=5'],
    ['captions.m3u8', 'from=5000&to=4000'],
  ]) {
    it(`answers 400 problem+json to ${playlist}?${query}`, async () => {
      const res = await fetch(`${pinned.url}${playlist}?${query}`);
      assert.equal(res.status, 400);
      assert.equal(res.headers.get('content-type'), 'application/problem+json');
      const body = (await res.json()) as { code: string; status: number; detail: string };
      assert.deepEqual([body.code, body.status], ['bad-request', 400]);
      assert.ok(body.detail.length > 0);
    });
  }
});

describe('simulated live stream: captions on the reference server', () => {
  let server: RunningServer;
  before(async () => {
    server = await startReferenceServer();
  });
  after(() => server.stop());

  it('plays the demo drop from the multivariant playlist, so the demo has captions', async () => {
    const api = apiFor(server);
    const demo = (await api.call('GET', '/v1/drops/demo')).body as { stream: { hls: string } };
    assert.equal(demo.stream.hls, 'stream/main.m3u8');
    assert.match(await text(`${server.url}/${demo.stream.hls}`), /TYPE=SUBTITLES/);
  });

  it('gives a show on the multivariant playlist a replay with captions, and one on the bare video playlist a replay without', async () => {
    const api = apiFor(server);
    const replays: string[] = [];
    for (const hls of ['stream/main.m3u8', 'stream/live.m3u8']) {
      const id = await api.createDrop({ startsAt: Date.now() - 5000, stream: { hls } });
      await api.host('POST', `/v1/host/drops/${id}/end`);
      replays.push(((await api.call('GET', `/v1/drops/${id}`)).body as { stream: { replay: string } }).stream.replay);
    }
    assert.match(replays[0], /^stream\/main\.m3u8\?from=\d+&to=\d+$/);
    assert.match(replays[1], /^stream\/replay\.m3u8\?from=\d+&to=\d+$/);
    assert.match(await text(`${server.url}/${replays[0]}`), /TYPE=SUBTITLES/);
  });
});
