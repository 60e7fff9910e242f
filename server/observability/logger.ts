/**
 * The server's structured log (pino): one JSON object per line on stdout, or
 * human-readable lines (pino-pretty) on a terminal or with `--log-format pretty`.
 * Tokens never reach it: the request log records no headers, and the paths
 * below are censored anywhere a caller might pass them by mistake.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'json' | 'pretty';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type { Logger };

/** Keys that may hold a bearer secret, at the top level or one object down. */
const SECRET_KEYS = ['authorization', 'token', 'hostToken', 'shopperToken', 'password'];
const REDACT = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `req.headers.${k}`]);
const CENSOR = '[redacted]';

/** A request on one readable line: `request POST /v1/drops/:dropId/reservations → 201 in 14.2 ms [3f0c…]`. */
const PRETTY_LINE =
  '{msg}{if method} {method}{end}{if route} {route}{end}{if status} → {status}{end}{if ms} in {ms} ms{end}{if reqId} [{reqId}]{end}';

export function createLogger({
  level = 'info',
  format = 'json',
  destination,
}: { level?: LogLevel; format?: LogFormat; destination?: DestinationStream } = {}): Logger {
  const options = {
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: CENSOR },
  };
  if (destination) return pino(options, destination);
  if (format === 'pretty')
    return pino(
      options,
      pretty({
        colorize: Boolean(process.stdout.isTTY),
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,method,route,status,ms,reqId',
        messageFormat: PRETTY_LINE,
        sync: true,
      }),
    );
  // Asynchronous writes: a busy drop must not wait on a slow log pipe. `flushLog()` before exiting.
  return pino(options, pino.destination({ dest: 1, sync: false }));
}

/** The process-wide logger; main replaces it with the configured one before anything logs. */
export let log: Logger = createLogger();

export function setLogger(logger: Logger): void {
  log = logger;
}

/**
 * For the start-up and shutdown lines (starting, listening on, draining,
 * stopped): written at info whatever `--log-level` says, since tools and
 * people read the URL and the shutdown's progress from them.
 */
export function lifecycleLog(): Logger {
  return log.levelVal <= log.levels.values.info ? log : log.child({}, { level: 'info' });
}

const flatLoggers = new WeakMap<Logger, Logger>();
/**
 * For flat lines of a fixed shape written at a high rate (one per request):
 * the secret keys are redacted at the top level only. The wildcard paths cost
 * about half of such a line's CPU (bench/ops-overhead.ts), and it has no
 * nested object to search.
 */
export function flatLogger(parent: Logger): Logger {
  let flat = flatLoggers.get(parent);
  if (!flat) flatLoggers.set(parent, (flat = parent.child({}, { redact: { paths: SECRET_KEYS, censor: CENSOR } })));
  return flat;
}

/** Writes out whatever is buffered (call before process.exit). */
export function flushLog(): void {
  try {
    log.flush();
  } catch {
    /* nothing buffered, or the stream is gone */
  }
}

/** An error for the log: `err` is serialised by pino with its type, message and stack. */
export const errorFields = (error: unknown) => ({ err: error instanceof Error ? error : new Error(String(error)) });
