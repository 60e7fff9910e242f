/**
 * The reference backend: `node --import tsx server/main.ts [options]`
 * (`--help` lists them). Exit codes: 0 after SIGTERM/SIGINT, 1 when it
 * cannot start (database, port) or misses its drain deadline, 2 for bad configuration.
 *
 * SIGTERM (and SIGINT) drain the node: it turns unready, refuses new requests
 * with 503, tells event streams to reconnect, lets requests under way finish
 * and exits within --drain-seconds. A second signal exits at once.
 */
import type { AddressInfo } from 'node:net';
import { startApp } from './app.js';
import { ConfigError, describeConfig, loadConfig, USAGE } from './config.js';
import { createLogger, errorFields, flushLog, lifecycleLog, log, setLogger } from './observability/logger.js';

let config;
try {
  config = loadConfig(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`live-drop server: bad configuration: ${error.message}`);
  process.exit(2);
}
if (config === 'help') {
  console.log(USAGE);
  process.exit(0);
}
setLogger(createLogger({ level: config.logLevel, format: config.logFormat }));
const lifecycle = lifecycleLog();

const exit = (code: number) => {
  flushLog();
  process.exit(code);
};

lifecycle.info(`live-drop server starting\n${describeConfig(config)}`);
// Signals are handled from the start: a stop that arrives while the database
// opens waits for it and closes it, rather than killing the process mid-write.
const starting = startApp(config);
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) {
      log.warn(`live-drop server: second ${signal}, exiting now`);
      return exit(1);
    }
    stopping = true;
    const deadlineMs = config.drainSeconds * 1000;
    lifecycle.info(`live-drop server: ${signal}, draining (exit within ${config.drainSeconds} s)`);
    const force = setTimeout(() => {
      log.error('live-drop server: drain deadline passed, exiting');
      exit(1);
    }, deadlineMs).unref();
    try {
      await (await starting).drain(deadlineMs);
      clearTimeout(force);
      lifecycle.info('live-drop server: stopped');
      exit(0);
    } catch (error) {
      log.error(errorFields(error), 'live-drop server: shutdown failed');
      exit(1);
    }
  });
}
// A bug in a timer callback is logged, not fatal: every request path already answers 500.
process.on('uncaughtException', (error) => log.error(errorFields(error), 'uncaught exception'));
process.on('unhandledRejection', (error) => log.error(errorFields(error), 'unhandled rejection'));

let app;
try {
  app = await starting;
} catch (error) {
  log.error(errorFields(error), `live-drop server: cannot start: ${(error as Error).message}`);
  exit(1);
}
const url = (address: AddressInfo) => `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
const base = url(app!.server.address() as AddressInfo);
if (!stopping) {
  lifecycle.info({ healthz: `${base}/healthz`, readyz: `${base}/readyz` }, `health ${base}/healthz, readiness ${base}/readyz`);
  if (app!.metricsServer) {
    const metricsUrl = `${url(app!.metricsServer.address() as AddressInfo)}/metrics`;
    lifecycle.info({ metrics: metricsUrl }, `metrics on ${metricsUrl}`);
  }
  // Last, so that a tool waiting for it has the lines above too. Tools (tests, the demo) find
  // the URL with /listening on (http:\/\/[^\s"]+)/, in a JSON line or a pretty one.
  lifecycle.info({ url: base }, `live-drop server listening on ${base}`);
}
