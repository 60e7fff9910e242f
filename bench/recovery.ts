/**
 * recovery: how long the PGlite server takes to answer again after a SIGKILL
 * with a drop's worth of data, and where that time goes.
 *   node --import tsx bench/recovery.ts [--shoppers 2000] [--stock 200]
 * Starts a server on a fresh (migrated) data directory, runs a rush through it,
 * kills it with SIGKILL and restarts it on the same directory, timing each start
 * to its `listening` line and to the first answered GET of the drop. Then it opens
 * copies of the crashed directory in this process to split a start into PGlite's
 * own open (which replays the write-ahead log after a crash), the migrations check
 * and the first query; and the same for a directory closed cleanly. Last, two more
 * copies of the crashed directory are started side by side, one from source
 * (tsx) and one as operators run it, the packaged server's bundled `dist/main.js`
 * (built first with `npm run build -w live-drop-server` when missing).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { routes } from '../src/protocol/routes.js';
import { migrate } from '../server/storage/migrate.js';
import { openPgliteDatabase } from '../server/storage/pglite-database.js';
import { copyPgliteTemplate } from '../test/support/pglite-template.js';
import { startReferenceServer, type RunningServer } from '../test/support/reference-server.js';
import { intFlags } from './lib/args.js';
import { createRushDrop, createShoppers } from './lib/drop-fixture.js';
import { HttpClient } from './lib/http-client.js';
import { rush } from './lib/rush.js';
import { median } from './lib/stats.js';
import { printGoals, printTable } from './lib/table.js';

const flags = intFlags({ shoppers: 2000, stock: 200 }, 'usage: bench/recovery.ts [--shoppers N] [--stock S]');

/** Starts a server on `dataDir`; ms to its `listening` line and to the first answer about `dropId`. */
async function timedStart(
  dataDir: string,
  dropId: string | null,
  port?: number,
  script?: string,
): Promise<{ server: RunningServer; listening: number; answering: number }> {
  const started = performance.now();
  const server = await startReferenceServer({ dataDir, port, script, startTimeoutMs: 300_000 });
  const listening = performance.now() - started;
  if (dropId) {
    const client = new HttpClient(server.url, { maxSockets: 1 });
    await client.json('GET', routes.drop(dropId));
    client.close();
  }
  return { server, listening, answering: performance.now() - started };
}

/** A copy of a data directory without its process lock, as the next process to open it would find it. */
function copyOf(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'live-drop-recovery-copy-'));
  cpSync(dir, copy, { recursive: true });
  rmSync(join(copy, 'live-drop.lock'), { force: true });
  return copy;
}

/** Opens a copy of `dir` in this process: ms for PGlite's open, the migrations check and a first read. */
async function phases(dir: string) {
  const copy = copyOf(dir);
  try {
    const t0 = performance.now();
    const db = await openPgliteDatabase(copy);
    const t1 = performance.now();
    await migrate(db);
    const t2 = performance.now();
    await db.query('SELECT COALESCE(MAX(id), 0) FROM drop_events');
    const t3 = performance.now();
    await db.close();
    return { open: t1 - t0, migrate: t2 - t1, query: t3 - t2 };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

const packaged = fileURLToPath(new URL('../packages/live-drop-server/dist/main.js', import.meta.url));
if (!existsSync(packaged)) execFileSync('npm', ['run', '--silent', 'build', '-w', 'live-drop-server'], { stdio: 'inherit' });

/** Copies of the crashed directory started from source and packaged, alternately, `runs` times each. */
async function sourceVersusPackaged(crashed: string, dropId: string, runs = 3) {
  const times = { source: [] as number[], packaged: [] as number[] };
  for (let i = 0; i < runs; i++) {
    for (const kind of ['source', 'packaged'] as const) {
      const copy = copyOf(crashed);
      const start = await timedStart(copy, dropId, undefined, kind === 'packaged' ? packaged : undefined);
      times[kind].push(start.answering);
      await start.server.kill();
      rmSync(copy, { recursive: true, force: true });
    }
  }
  return times;
}

const dir = mkdtempSync(join(tmpdir(), 'live-drop-recovery-'));
const rows: (string | number)[][] = [];
let side: { source: number[]; packaged: number[] } | undefined;
let recovered: { source: number; again: number } | undefined;
try {
  await copyPgliteTemplate(dir);
  const first = await timedStart(dir, null);
  let server = first.server;
  const port = Number(new URL(server.url).port);
  const client = new HttpClient(server.url, { maxSockets: 500, spreadSources: true });
  const target = await createRushDrop(client, server.hostToken, { stock: flags.stock, variants: 4 });
  const tokens = await createShoppers(client, flags.shoppers, 500);
  await rush(client, target, tokens);
  client.close();
  await server.kill();

  const crashed = mkdtempSync(join(tmpdir(), 'live-drop-recovery-crashed-'));
  cpSync(dir, crashed, { recursive: true });
  const afterKill = await timedStart(dir, target.drop.id, port);
  server = afterKill.server;
  await server.kill();
  const again = await timedStart(dir, target.drop.id, port);
  recovered = { source: afterKill.answering, again: again.answering };
  server = again.server;
  // SIGTERM: a clean shutdown, for the clean-start phases.
  const clean = mkdtempSync(join(tmpdir(), 'live-drop-recovery-clean-'));
  await new Promise<void>((resolve) => {
    server.process.once('exit', () => resolve());
    server.process.kill('SIGTERM');
  });
  cpSync(dir, clean, { recursive: true });
  const cleanStart = await timedStart(dir, target.drop.id, port);
  await cleanStart.server.kill();

  const crashPhases = await phases(crashed);
  const cleanPhases = await phases(clean);
  side = await sourceVersusPackaged(crashed, target.drop.id);
  rmSync(crashed, { recursive: true, force: true });
  rmSync(clean, { recursive: true, force: true });

  rows.push(['first start (fresh migrated directory)', first.listening, '–', '–', '–', '–']);
  rows.push([
    `start after SIGKILL (after a ${flags.shoppers}-shopper rush)`,
    afterKill.listening,
    afterKill.answering,
    crashPhases.open,
    crashPhases.migrate,
    crashPhases.query,
  ]);
  rows.push(['start after a second SIGKILL (right after recovering)', again.listening, again.answering, '–', '–', '–']);
  rows.push([
    'start after SIGTERM (clean shutdown)',
    cleanStart.listening,
    cleanStart.answering,
    cleanPhases.open,
    cleanPhases.migrate,
    cleanPhases.query,
  ]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

printTable(
  'recovery: PGlite server, ms from spawning the process',
  ['start', 'listening ms', 'first answer ms', 'PGlite open ms', 'migrations ms', 'first query ms'],
  rows,
);
if (!side || !recovered) throw new Error('recovery: the starts did not run');
const src = median(side.source);
const pkg = median(side.packaged);
printTable(
  '\nthe same crashed directory, started alternately from source and packaged (3 runs each)',
  ['server', 'first answer ms (median)', 'runs ms', 'packaged / source'],
  [
    ['from source: node --import tsx server/main.ts', src, side.source.map((t) => Math.round(t)).join(', '), '–'],
    [
      'packaged: node packages/live-drop-server/dist/main.js',
      pkg,
      side.packaged.map((t) => Math.round(t)).join(', '),
      (pkg / src).toFixed(2),
    ],
  ],
);
console.log(
  '\nlistening / first answer: from spawning `node --import tsx server/main.ts` to its `listening` line / to the first answered GET of the drop;' +
    '\nPGlite open / migrations / first query: the same directory (a copy) opened in the bench process: PGlite.create (loads the WebAssembly' +
    '\nPostgreSQL, and replays the write-ahead log after a crash), the migrations check, one read. The rest of a start is Node, tsx and the app.',
);
const pgliteOpen =
  "Node and tsx starting and loading the server's modules, then PGlite compiling its WebAssembly and replaying its log (the phases above)";
printGoals("goal (issue 16): PGlite back to serving within 5 s after a SIGKILL, with a drop's worth of data", [
  {
    goal: 'from source, first answer after the SIGKILL',
    figure: `${Math.round(recovered.source)} ms`,
    met: recovered.source <= 5000,
    limit: pgliteOpen,
  },
  {
    goal: 'from source, after a second SIGKILL',
    figure: `${Math.round(recovered.again)} ms`,
    met: recovered.again <= 5000,
    limit: pgliteOpen,
  },
  { goal: 'packaged server (median of 3)', figure: `${Math.round(pkg)} ms`, met: pkg <= 5000, limit: pgliteOpen },
]);
