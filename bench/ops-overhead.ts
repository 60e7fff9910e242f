/**
 * ops-overhead: what metrics and request logging cost the reservation rush.
 *   node --import tsx bench/ops-overhead.ts [--shoppers 2000] [--stock 200] [--variants 4] [--rounds 3] [--scrape-ms 15000]
 * Runs the rush of bench/rush.ts against a fresh server per run, alternating
 * "on" (--metrics-port 0 --log-level info: one JSON line per request, metrics
 * recorded, /metrics scraped every --scrape-ms as Prometheus would) and "off" (--log-level warn, no metrics
 * port), on PGlite and, when TEST_DATABASE_URL or DATABASE_URL is set, on
 * PostgreSQL; prints each run and the ratios of the medians (on / off): of the
 * throughput, and of the server's CPU time per answer (from /proc, Linux),
 * which a machine shared with other work disturbs much less than throughput.
 */
import { pino } from 'pino';
import { createLogger, flatLogger } from '../server/observability/logger.js';
import { enableMetrics, metrics } from '../server/observability/metrics.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { performance } from 'node:perf_hooks';
import { startReferenceServer } from '../test/support/reference-server.js';
import { metricsUrlOf } from '../test/server/support/prometheus.js';
import { intFlags, postgresUrl } from './lib/args.js';
import { processCpuMs } from './lib/cpu.js';
import { createRushDrop, createShoppers } from './lib/drop-fixture.js';
import { HttpClient } from './lib/http-client.js';
import { rush } from './lib/rush.js';
import { median, summarize } from './lib/stats.js';
import { fmt, printTable } from './lib/table.js';

const flags = intFlags(
  { shoppers: 2000, stock: 200, variants: 4, rounds: 3, 'scrape-ms': 15_000 },
  "usage: bench/ops-overhead.ts [--shoppers N] [--stock S] [--variants K] [--rounds R] [--scrape-ms MS (default 15000, Prometheus' usual interval)]",
);

type Mode = 'on' | 'off';
const ARGS: Record<Mode, string[]> = {
  on: ['--metrics-port', '0', '--log-level', 'info', '--log-format', 'json'],
  off: ['--log-level', 'warn', '--log-format', 'json'],
};

interface Run {
  perSec: number;
  p99: number;
  /** Server CPU ms per answered reservation. */
  cpuMs: number;
  logLines: number;
}

async function run(mode: Mode, databaseUrl: string | undefined): Promise<Run> {
  const server = await startReferenceServer({ databaseUrl, args: ARGS[mode], captureOutput: mode === 'on' });
  // At most 256 connections (a load balancer's pool, not one per shopper): on a busy machine a
  // thousand connections opened at once overflow the accept queue and some are reset.
  const client = new HttpClient(server.url, { maxSockets: 256 });
  let scraping = mode === 'on';
  try {
    const target = await createRushDrop(client, server.hostToken, { stock: flags.stock, variants: flags.variants });
    const tokens = await createShoppers(client, flags.shoppers, 16);
    const metricsUrl = mode === 'on' ? metricsUrlOf(server) : null;
    // A Prometheus: a scrape at the start, then every --scrape-ms.
    const scraper = (async () => {
      while (scraping) {
        await fetch(metricsUrl!).then((r) => r.text());
        for (let waited = 0; scraping && waited < flags['scrape-ms']; waited += 100) await sleep(100);
      }
    })();
    const cpuBefore = processCpuMs(server.process.pid!);
    const started = performance.now();
    const attempts = await rush(client, target, tokens, { retryUntil: performance.now() + 120_000 });
    const seconds = (performance.now() - started) / 1000;
    const cpuMs = (processCpuMs(server.process.pid!) - cpuBefore) / attempts.length;
    scraping = false;
    await scraper;
    const logLines = server.output.split('\n').filter((l) => l.includes('"msg":"request"')).length;
    return { perSec: attempts.length / seconds, p99: summarize(attempts.map((a) => a.ms)).p99, cpuMs, logLines };
  } finally {
    scraping = false;
    client.close();
    await server.stop();
  }
}

/** A run that fails on an overloaded machine (a set-up request timing out) is run again, twice at most. */
async function retried<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (attempt === 3) throw error;
      console.log(`  a run failed (${(error as Error).message.split('\n')[0]}); running it again`);
    }
  }
}

async function compare(label: string, databaseUrl?: string) {
  const results: Record<Mode, Run[]> = { on: [], off: [] };
  for (let round = 0; round < flags.rounds; round++) {
    // Alternating, and starting with the other mode each round, so drift on a shared machine hits both.
    const order: Mode[] = round % 2 ? ['on', 'off'] : ['off', 'on'];
    for (const mode of order) results[mode].push(await retried(() => run(mode, databaseUrl)));
  }
  printTable(
    `ops overhead, ${label}: rush of ${flags.shoppers} shoppers for ${flags.stock} units, ${flags.rounds} rounds`,
    [
      'mode',
      ...results.on.map((_, i) => `run ${i + 1} answers/s`),
      'median answers/s',
      'median p99 ms',
      ...results.on.map((_, i) => `run ${i + 1} CPU ms/answer`),
      'median CPU ms/answer',
    ],
    (['off', 'on'] as Mode[]).map((mode) => {
      const rs = results[mode];
      return [
        mode,
        ...rs.map((r) => r.perSec),
        median(rs.map((r) => r.perSec)),
        median(rs.map((r) => r.p99)),
        ...rs.map((r) => fmt(r.cpuMs, 3)),
        fmt(median(rs.map((r) => r.cpuMs)), 3),
      ];
    }),
  );
  const ratio = (key: 'perSec' | 'cpuMs') => median(results.on.map((r) => r[key])) / median(results.off.map((r) => r[key]));
  const pct = (r: number) => `${r >= 1 ? '+' : ''}${fmt((r - 1) * 100, 1)} %`;
  console.log(`\n${label}: throughput on / off = ${fmt(ratio('perSec'), 3)} (${pct(ratio('perSec'))}; goal: within 5 %)`);
  const paired = median(results.on.map((r, i) => r.perSec / results.off[i].perSec));
  console.log(
    `${label}: throughput on / off, median of the ${flags.rounds} rounds' own ratios (two adjacent runs each) = ${fmt(paired, 3)}`,
  );
  console.log(`${label}: server CPU per answer on / off = ${fmt(ratio('cpuMs'), 3)} (${pct(ratio('cpuMs'))})`);
  console.log(`${label}: request log lines written per "on" run: ${results.on.map((r) => r.logLines).join(', ')}`);
}

/**
 * The instrumentation alone, in this process: what one request's log line
 * (JSON to /dev/null through the server's asynchronous destination) and its
 * metrics cost in CPU, against the server's whole CPU per answer above.
 */
function perRequestCost(): { logUs: number; metricsUs: number } {
  const n = 200_000;
  // The request line goes through the flat logger, as in server/http/request-handler.ts.
  const log = flatLogger(createLogger({ destination: pino.destination({ dest: '/dev/null', sync: false }) }));
  enableMetrics({ activeHolds: async () => ({ holds: 0, units: 0 }), pool: () => null });
  const time = (fn: (i: number) => void) => {
    for (let i = 0; i < 10_000; i++) fn(i); // warm up
    const before = process.cpuUsage();
    for (let i = 0; i < n; i++) fn(i);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / n;
  };
  const logUs = time((i) =>
    log.info(
      {
        reqId: '3f0c9b7e-1f7a-4f7e-9a51-2f1f4a9e2d10',
        method: 'POST',
        route: '/v1/drops/:dropId/reservations',
        status: i % 10 ? 409 : 201,
        ms: 12.3,
      },
      'request',
    ),
  );
  const metricsUs = time((i) => {
    metrics.httpRequest('POST', '/v1/drops/:dropId/reservations', i % 10 ? 409 : 201, 0.0123, false);
    metrics.reservation(i % 10 ? 'sold-out' : 'granted');
  });
  return { logUs, metricsUs };
}

const cost = perRequestCost();
console.log(`\nper request, in-process: log line ${fmt(cost.logUs, 2)} µs CPU, metrics ${fmt(cost.metricsUs, 2)} µs CPU`);

await compare('PGlite');
const pg = postgresUrl('ops overhead');
if (pg) await compare('PostgreSQL', pg);
console.log(
  `\non: --metrics-port 0 --log-level info (a JSON line per request, metrics recorded, /metrics scraped every ${flags['scrape-ms']} ms); off: --log-level warn, no metrics port.`,
);
