/**
 * The reference backend: `node --import tsx server/main.ts [options]`
 * (`--help` lists them). Exit codes: 0 after SIGTERM/SIGINT, 1 when it
 * cannot start (database, port), 2 for bad configuration.
 */
import type { AddressInfo } from 'node:net';
import { startApp } from './app.js';
import { ConfigError, describeConfig, loadConfig, USAGE } from './config.js';

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

console.log(`live-drop server starting\n${describeConfig(config)}`);
// Signals are handled from the start: a stop that arrives while the database
// opens waits for it and closes it, rather than killing the process mid-write.
const starting = startApp(config);
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log(`live-drop server: ${signal}, shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    try {
      await (await starting).close();
      clearTimeout(force);
      process.exit(0);
    } catch (error) {
      console.error(`live-drop server: shutdown: ${(error as Error).message}`);
      process.exit(1);
    }
  });
}
// A bug in a timer callback is logged, not fatal: every request path already answers 500.
process.on('uncaughtException', (error) => console.error(`uncaught: ${error.stack ?? error}`));
process.on('unhandledRejection', (error) => console.error(`unhandled rejection: ${(error as Error)?.stack ?? error}`));

let app;
try {
  app = await starting;
} catch (error) {
  console.error(`live-drop server: cannot start: ${(error as Error).message}`);
  process.exit(1);
}
const address = app.server.address() as AddressInfo;
const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
if (!stopping) console.log(`live-drop server listening on http://${host}:${address.port}`);
