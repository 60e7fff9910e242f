/**
 * Recomputes a waiting line's draw from its public record and says whether
 * the backend's positions are the ones the committed seed gives:
 *
 *   npm run verify-draw -- <backend URL> <drop id> [--token <your shopper token>]
 *
 * It checks that (1) SHA-256(seed) is the commitment published before the
 * start, (2) the on-time places (joined by the cutoff) hold positions
 * 1 … onTime in the order of SHA-256(seed ‖ place id), (3) the late ones
 * follow in order of arrival, and (4) positions run 1 … n without gaps. With
 * --token it also finds your own place (the place id is derived from your
 * token, which never leaves this machine). Exit code 0: the draw checks out;
 * 1: it does not (every failure is printed); 2: the record could not be read.
 *
 * The algorithm is written out here on its own (not imported from the
 * server) so that this script checks the server's code rather than repeat it;
 * docs/fairness.md describes it.
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';

interface LineRecord {
  dropId: string;
  commitment: string;
  seed: string | null;
  drawnAt: number | null;
  cutoff: number;
  onTime: number;
  places: { placeId: string; position: number | null; joinedAt: number }[];
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Every way the record disagrees with the draw it claims, or none. */
export function checkDraw(record: LineRecord): string[] {
  const problems: string[] = [];
  if (record.seed === null) return ['the draw has not run yet (no seed revealed)'];
  if (!/^[0-9a-f]{64}$/.test(record.seed)) return [`the seed is not 64 hex digits: ${record.seed}`];
  const seed = Buffer.from(record.seed, 'hex');
  if (sha256(seed) !== record.commitment) problems.push(`SHA-256(seed) = ${sha256(seed)}, but the commitment was ${record.commitment}`);
  const places = [...record.places].sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity));
  places.forEach((p, i) => {
    if (p.position !== i + 1)
      problems.push(`place ${p.placeId} holds position ${p.position}, expected ${i + 1} (positions must run 1 … ${places.length})`);
  });
  const onTime = places.filter((p) => p.joinedAt <= record.cutoff);
  const late = places.filter((p) => p.joinedAt > record.cutoff);
  if (onTime.length !== record.onTime)
    problems.push(`${onTime.length} places joined by the cutoff, but the record says ${record.onTime} were drawn`);
  const key = (placeId: string) => sha256(Buffer.concat([seed, Buffer.from(placeId, 'utf8')]));
  const expected = onTime
    .map((p) => ({ id: p.placeId, k: key(p.placeId) }))
    .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : a.id < b.id ? -1 : 1))
    .map((p) => p.id);
  expected.forEach((id, i) => {
    const actual = onTime[i]?.placeId;
    if (actual !== id) problems.push(`position ${i + 1} should be ${id} by the seed, the record has ${actual}`);
  });
  for (let i = 1; i < late.length; i++)
    if (late[i].joinedAt < late[i - 1].joinedAt)
      problems.push(`late place ${late[i].placeId} (joined ${late[i].joinedAt}) is behind a later arrival`);
  if (late.length && onTime.length && (late[0].position ?? 0) <= (onTime.at(-1)!.position ?? 0))
    problems.push('a late place is ahead of an on-time one');
  return problems;
}

export const placeIdOf = (dropId: string, token: string) => sha256(`live-drop line ${dropId} ${token}`).slice(0, 32);

async function main() {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { token: { type: 'string' } } });
  const [backend, dropId] = positionals;
  if (!backend || !dropId) {
    console.error('usage: npm run verify-draw -- <backend URL> <drop id> [--token <shopper token>]');
    process.exit(2);
  }
  const url = `${backend.replace(/\/+$/, '')}/v1/drops/${encodeURIComponent(dropId)}/line/places`;
  let record: LineRecord;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    record = (await res.json()) as LineRecord;
  } catch (error) {
    console.error(`could not read the line's record: ${(error as Error).message}`);
    process.exit(2);
  }
  console.log(`drop ${record.dropId}: ${record.places.length} places, ${record.onTime} in the draw, commitment ${record.commitment}`);
  const problems = checkDraw(record);
  if (values.token) {
    const mine = placeIdOf(record.dropId, values.token);
    const place = record.places.find((p) => p.placeId === mine);
    if (!place) problems.push(`your place ${mine} is not in the record`);
    else
      console.log(
        `your place ${mine}: position ${place.position}${place.joinedAt <= record.cutoff ? ' (in the draw)' : ' (joined late: behind the draw, by arrival)'}`,
      );
  }
  if (problems.length) {
    console.error(`the draw does NOT check out (${problems.length} problem${problems.length === 1 ? '' : 's'}):`);
    for (const p of problems.slice(0, 50)) console.error(`  - ${p}`);
    process.exit(1);
  }
  console.log(
    `seed ${record.seed} matches the commitment; all ${record.places.length} positions are the ones the seed gives: the draw checks out`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
