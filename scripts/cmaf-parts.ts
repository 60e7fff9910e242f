/**
 * Writes the Low-Latency HLS playlist of a fragmented MP4 (CMAF) file:
 * each `moof`+`mdat` fragment becomes an EXT-X-PART (a byte range of the
 * file), every `perSegment` of them a segment (the byte range of those
 * parts in order), the `ftyp`+`moov` header the EXT-X-MAP. A part is
 * INDEPENDENT=YES when its first video sample is a key frame, as ffprobe
 * reports it. media/make-clip.sh runs it on the clip it encodes:
 *
 *   node --import tsx scripts/cmaf-parts.ts <file.mp4> <perSegment> > playlist.m3u8
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

interface Box {
  type: string;
  start: number;
  end: number;
}

/** The top-level boxes of an ISO BMFF file (32-bit sizes: the clip is small). */
function topLevelBoxes(bytes: Buffer): Box[] {
  const boxes: Box[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = bytes.readUInt32BE(at);
    if (size < 8) throw new Error(`box at ${at} has size ${size}: not a file this script can read`);
    boxes.push({ type: bytes.toString('latin1', at + 4, at + 8), start: at, end: at + size });
    at += size;
  }
  return boxes;
}

const [file, perSegmentArg] = process.argv.slice(2);
const perSegment = Number(perSegmentArg);
if (!file || !Number.isInteger(perSegment) || perSegment < 1) {
  console.error('usage: cmaf-parts.ts <file.mp4> <parts per segment>');
  process.exit(2);
}
const boxes = topLevelBoxes(readFileSync(file));
const moov = boxes.findIndex((b) => b.type === 'moov');
if (moov < 0) throw new Error(`${file} has no moov box`);
const header = { start: 0, end: boxes[moov].end };
const fragments = boxes
  .filter((b) => b.type === 'moof')
  .map((moof) => {
    const mdat = boxes[boxes.indexOf(moof) + 1];
    if (mdat?.type !== 'mdat') throw new Error(`the moof at ${moof.start} is not followed by its mdat`);
    return { start: moof.start, end: mdat.end };
  });
if (fragments.length % perSegment !== 0) throw new Error(`${fragments.length} fragments do not make whole segments of ${perSegment}`);

// Video packets in decode order with their byte position and key-frame flag, and their timing.
const packets = execFileSync(
  'ffprobe',
  ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time,duration_time,pos,flags', '-of', 'csv=p=0', file],
  { encoding: 'utf8' },
)
  .trim()
  .split('\n')
  .map((line) => {
    const [pts, duration, pos, flags] = line.split(',');
    return { pts: Number(pts), duration: Number(duration), pos: Number(pos), key: flags.startsWith('K') };
  });

const parts = fragments.map((f) => {
  const video = packets.filter((p) => p.pos >= f.start && p.pos < f.end);
  if (video.length === 0) throw new Error(`fragment at ${f.start} has no video`);
  const duration = video.reduce((sum, p) => sum + p.duration, 0);
  return { ...f, duration, independent: video[0].key };
});

const name = basename(file);
const range = (r: { start: number; end: number }) => `${r.end - r.start}@${r.start}`;
const segmentDurations: number[] = [];
for (let s = 0; s < parts.length; s += perSegment)
  segmentDurations.push(parts.slice(s, s + perSegment).reduce((sum, p) => sum + p.duration, 0));
const lines = [
  '#EXTM3U',
  '#EXT-X-VERSION:7',
  `#EXT-X-TARGETDURATION:${Math.round(Math.max(...segmentDurations))}`,
  `#EXT-X-PART-INF:PART-TARGET=${Math.max(...parts.map((p) => p.duration)).toFixed(5)}`,
  '#EXT-X-PLAYLIST-TYPE:VOD',
  '#EXT-X-INDEPENDENT-SEGMENTS',
  `#EXT-X-MAP:URI="${name}",BYTERANGE="${range(header)}"`,
];
for (let s = 0; s < parts.length; s += perSegment) {
  const own = parts.slice(s, s + perSegment);
  if (!own[0].independent) throw new Error(`segment ${s / perSegment} does not start with a key frame`);
  for (const p of own) {
    lines.push(
      `#EXT-X-PART:DURATION=${p.duration.toFixed(5)},URI="${name}",BYTERANGE="${range(p)}"${p.independent ? ',INDEPENDENT=YES' : ''}`,
    );
  }
  lines.push(
    `#EXTINF:${segmentDurations[s / perSegment].toFixed(3)},`,
    `#EXT-X-BYTERANGE:${range({ start: own[0].start, end: own.at(-1)!.end })}`,
    name,
  );
}
lines.push('#EXT-X-ENDLIST', '');
process.stdout.write(lines.join('\n'));
