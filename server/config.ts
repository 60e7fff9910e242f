/**
 * Server configuration from flags and environment variables (flags win).
 * Anything invalid is a ConfigError: main prints it and exits with code 2,
 * so a typo never starts a server with surprising defaults.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { LOG_LEVELS, type LogFormat, type LogLevel } from './observability/logger.js';
import { RATE_LIMITED_ACTIONS, type RateLimit, type RateLimitedAction } from './http/rate-limits.js';

export interface ServerConfig {
  port: number;
  host: string;
  /** PGlite data directory; unused when `databaseUrl` is set. */
  dataDir: string;
  databaseUrl: string | null;
  hostToken: string;
  /** True when no token was configured and one was generated for this run. */
  hostTokenGenerated: boolean;
  /** `['*']` allows every origin. */
  allowedOrigins: string[];
  /** Recreate the demo drop fresh at start-up (it is created anyway when missing). */
  seedDemo: boolean;
  demoStartInSeconds: number;
  /** Default hold of new drops, in seconds. */
  holdSeconds: number;
  /** Events per drop each node keeps for `Last-Event-ID` resumes. */
  eventBuffer: number;
  /** Seconds a client has to send a whole request, headers and body (not the answer: event streams live on). */
  requestTimeoutSeconds: number;
  /** Seconds between comment heartbeats on idle event streams. */
  heartbeatSeconds: number;
  logLevel: LogLevel;
  logFormat: LogFormat;
  /** Port of the Prometheus endpoint (`/metrics`); null: no metrics. */
  metricsPort: number | null;
  metricsHost: string;
  /** Deadline from SIGTERM to exit: in-flight requests finish, event streams are told to reconnect elsewhere. */
  drainSeconds: number;
  /** Reservations of one drop are committed in batches (group commit); off: one transaction each. */
  reservationBatching: boolean;
  /** A key that may only confirm reservations (the site's checkout server), or null. */
  confirmKey: string | null;
  /** Proxies in front whose X-Forwarded-For entries are trusted (0: use the socket's address). */
  trustProxy: number;
  /** Per-client-address rate limits; null: off. */
  rateLimits: Record<RateLimitedAction, RateLimit>;
  /** Most reservations one client address may hold at once; null: no cap. */
  maxHoldsPerIp: number | null;
  /** Seconds a shopper token is accepted after it was created. */
  shopperTtlSeconds: number;
  /** Secret of the site's signed chat identity tokens (verified names); null: none accepted. */
  chatIdentitySecret: string | null;
  /** Days chat messages are kept; null: kept for good. */
  chatRetentionDays: number | null;
}

/**
 * Defaults per client address, chosen so that an office of 50 shoppers
 * behind one NAT can take part in a drop (docs/self-hosting.md has the sums).
 */
export const DEFAULT_LIMITS = {
  shoppers: '300/600',
  reserve: '200/60',
  react: '1800/60',
  streams: '300/60',
  chat: '1/2',
  join: '300/60',
  maxHoldsPerIp: '150',
  shopperTtlSeconds: '86400',
} as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const USAGE = `Usage: node --import tsx server/main.ts [options]

  --port <n>              PORT              TCP port (default 8787; 0 = any free port)
  --host <addr>           HOST              interface to bind (default 0.0.0.0)
  --data-dir <dir>        DATA_DIR          PGlite data directory (default .data/pglite)
                          DATABASE_URL      use PostgreSQL instead of PGlite
  --host-token <token>    HOST_TOKEN        bearer token of the host API (generated when absent)
  --allowed-origins <l>   ALLOWED_ORIGINS   comma-separated origins allowed by CORS, or * (default *)
  --seed-demo             SEED_DEMO=1       recreate the demo drop fresh at start-up
  --demo-start-in <s>     DEMO_START_IN     seconds from start-up to the demo drop's start (default 90)
  --hold-seconds <s>      HOLD_SECONDS      default reservation hold of new drops (default 600)
  --event-buffer <n>      EVENT_BUFFER      events per drop kept for Last-Event-ID resumes (default 1000)
  --heartbeat-seconds <s> HEARTBEAT_SECONDS comment heartbeat on event streams, below any proxy idle timeout (default 15)
  --log-level <l>         LOG_LEVEL         ${LOG_LEVELS.join(', ')} (default info: one line per request)
  --log-format <f>        LOG_FORMAT        json or pretty (default pretty on a terminal, else json)
  --metrics-port <n>      METRICS_PORT      serve Prometheus metrics at http://<metrics-host>:<n>/metrics (default off; 0 = any free port)
  --metrics-host <addr>   METRICS_HOST      interface of the metrics port (default 127.0.0.1)
  --drain-seconds <s>     DRAIN_SECONDS     on SIGTERM: seconds to finish requests and move event streams before exiting (default 10)
  --request-timeout-seconds <s>
                          REQUEST_TIMEOUT_SECONDS  time to send a whole request, headers and body; a slower one is cut (default 30)
                          RESERVATION_BATCHING=off  one transaction per reservation instead of batches (for comparison)
  --confirm-key <key>     CONFIRM_KEY       a second bearer key that may only confirm reservations (for the checkout server)
  --trust-proxy <n>       TRUST_PROXY       proxies in front that append to X-Forwarded-For; the client address is
                                            the n-th entry from the right (default 0: the connection's own address)
  --rate-shoppers <n/s>   RATE_SHOPPERS     new shopper tokens per client address: n per s seconds, or off (default ${DEFAULT_LIMITS.shoppers})
  --rate-reserve <n/s>    RATE_RESERVE      reservation requests per client address (default ${DEFAULT_LIMITS.reserve})
  --rate-react <n/s>      RATE_REACT        reactions per client address (default ${DEFAULT_LIMITS.react})
  --rate-streams <n/s>    RATE_STREAMS      event streams opened per client address (default ${DEFAULT_LIMITS.streams})
  --rate-chat <n/s>       RATE_CHAT         chat messages per shopper (default ${DEFAULT_LIMITS.chat}: one per 2 s)
  --chat-identity-secret <s> CHAT_IDENTITY_SECRET  HMAC secret (≥ 32 characters) of the site's signed chat identities (verified names)
  --chat-retention-days <n> CHAT_RETENTION_DAYS  days chat messages are kept, or off (default 30)
  --rate-join <n/s>       RATE_JOIN         joins of a drop's waiting line per client address (default ${DEFAULT_LIMITS.join})
  --max-holds-per-ip <n>  MAX_HOLDS_PER_IP  reservations held at once per client address, or off (default ${DEFAULT_LIMITS.maxHoldsPerIp})
  --shopper-ttl <s>       SHOPPER_TTL       seconds a shopper token stays valid (default ${DEFAULT_LIMITS.shopperTtlSeconds}, a day)
  --help                                    print this help`;

export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): ServerConfig | 'help' {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'data-dir': { type: 'string' },
        'host-token': { type: 'string' },
        'allowed-origins': { type: 'string' },
        'seed-demo': { type: 'boolean' },
        'demo-start-in': { type: 'string' },
        'hold-seconds': { type: 'string' },
        'event-buffer': { type: 'string' },
        'heartbeat-seconds': { type: 'string' },
        'log-level': { type: 'string' },
        'log-format': { type: 'string' },
        'metrics-port': { type: 'string' },
        'metrics-host': { type: 'string' },
        'drain-seconds': { type: 'string' },
        'request-timeout-seconds': { type: 'string' },
        'confirm-key': { type: 'string' },
        'chat-identity-secret': { type: 'string' },
        'chat-retention-days': { type: 'string' },
        'trust-proxy': { type: 'string' },
        'rate-shoppers': { type: 'string' },
        'rate-reserve': { type: 'string' },
        'rate-react': { type: 'string' },
        'rate-streams': { type: 'string' },
        'rate-chat': { type: 'string' },
        'rate-join': { type: 'string' },
        'max-holds-per-ip': { type: 'string' },
        'shopper-ttl': { type: 'string' },
        help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return 'help';
  const pick = (flag: string, name: string) => (values[flag] as string | undefined) ?? emptyToUndefined(env[name]);

  const hostToken = pick('host-token', 'HOST_TOKEN');
  if (hostToken !== undefined && !/^[\x21-\x7e]{16,512}$/.test(hostToken))
    throw new ConfigError('host token (--host-token / HOST_TOKEN) must be 16–512 visible ASCII characters');

  const confirmKey = pick('confirm-key', 'CONFIRM_KEY');
  if (confirmKey !== undefined && !/^[\x21-\x7e]{16,512}$/.test(confirmKey))
    throw new ConfigError('confirm key (--confirm-key / CONFIRM_KEY) must be 16–512 visible ASCII characters');
  if (confirmKey !== undefined && confirmKey === hostToken) throw new ConfigError('the confirm key must differ from the host token');

  const rateLimits = Object.fromEntries(
    RATE_LIMITED_ACTIONS.map((action) => {
      const flag = `rate-${action}`;
      const env = `RATE_${action.toUpperCase()}`;
      return [action, rate(pick(flag, env) ?? DEFAULT_LIMITS[action], `rate limit (--${flag} / ${env})`)];
    }),
  ) as Record<RateLimitedAction, RateLimit>;
  const maxHolds = pick('max-holds-per-ip', 'MAX_HOLDS_PER_IP') ?? DEFAULT_LIMITS.maxHoldsPerIp;

  const chatIdentitySecret = pick('chat-identity-secret', 'CHAT_IDENTITY_SECRET');
  if (chatIdentitySecret !== undefined && !/^[\x21-\x7e]{32,512}$/.test(chatIdentitySecret))
    throw new ConfigError('chat identity secret (--chat-identity-secret / CHAT_IDENTITY_SECRET) must be 32–512 visible ASCII characters');
  const chatRetention = pick('chat-retention-days', 'CHAT_RETENTION_DAYS') ?? '30';

  const databaseUrl = emptyToUndefined(env.DATABASE_URL) ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl))
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');

  const logLevel = pick('log-level', 'LOG_LEVEL') ?? 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
    throw new ConfigError(`log level (--log-level / LOG_LEVEL) must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  const logFormat = pick('log-format', 'LOG_FORMAT') ?? (process.stdout.isTTY ? 'pretty' : 'json');
  if (logFormat !== 'json' && logFormat !== 'pretty')
    throw new ConfigError(`log format (--log-format / LOG_FORMAT) must be json or pretty, got "${logFormat}"`);
  const metricsPort = pick('metrics-port', 'METRICS_PORT');

  return {
    port: integer(pick('port', 'PORT') ?? '8787', 'port (--port / PORT)', 0, 65535),
    host: pick('host', 'HOST') ?? '0.0.0.0',
    dataDir: pick('data-dir', 'DATA_DIR') ?? '.data/pglite',
    databaseUrl,
    hostToken: hostToken ?? randomBytes(24).toString('base64url'),
    hostTokenGenerated: hostToken === undefined,
    allowedOrigins: origins(pick('allowed-origins', 'ALLOWED_ORIGINS') ?? '*'),
    seedDemo: values['seed-demo'] === true || env.SEED_DEMO === '1' || env.SEED_DEMO === 'true',
    demoStartInSeconds: integer(
      pick('demo-start-in', 'DEMO_START_IN') ?? '90',
      'demo start (--demo-start-in / DEMO_START_IN)',
      0,
      86_400 * 365,
    ),
    holdSeconds: integer(pick('hold-seconds', 'HOLD_SECONDS') ?? '600', 'hold (--hold-seconds / HOLD_SECONDS)', 1, 86_400),
    eventBuffer: integer(pick('event-buffer', 'EVENT_BUFFER') ?? '1000', 'event buffer (--event-buffer / EVENT_BUFFER)', 1, 1_000_000),
    heartbeatSeconds: integer(
      pick('heartbeat-seconds', 'HEARTBEAT_SECONDS') ?? '15',
      'heartbeat (--heartbeat-seconds / HEARTBEAT_SECONDS)',
      1,
      300,
    ),
    logLevel: logLevel as LogLevel,
    logFormat,
    metricsPort: metricsPort === undefined ? null : integer(metricsPort, 'metrics port (--metrics-port / METRICS_PORT)', 0, 65535),
    metricsHost: pick('metrics-host', 'METRICS_HOST') ?? '127.0.0.1',
    drainSeconds: integer(pick('drain-seconds', 'DRAIN_SECONDS') ?? '10', 'drain deadline (--drain-seconds / DRAIN_SECONDS)', 1, 3600),
    requestTimeoutSeconds: integer(
      pick('request-timeout-seconds', 'REQUEST_TIMEOUT_SECONDS') ?? '30',
      'request timeout (--request-timeout-seconds / REQUEST_TIMEOUT_SECONDS)',
      1,
      3600,
    ),
    reservationBatching: onOff(env.RESERVATION_BATCHING, 'RESERVATION_BATCHING'),
    confirmKey: confirmKey ?? null,
    trustProxy: integer(pick('trust-proxy', 'TRUST_PROXY') ?? '0', 'trusted proxies (--trust-proxy / TRUST_PROXY)', 0, 10),
    rateLimits,
    maxHoldsPerIp: maxHolds === 'off' ? null : integer(maxHolds, 'holds per address (--max-holds-per-ip / MAX_HOLDS_PER_IP)', 1, 1_000_000),
    shopperTtlSeconds: integer(
      pick('shopper-ttl', 'SHOPPER_TTL') ?? DEFAULT_LIMITS.shopperTtlSeconds,
      'shopper token lifetime (--shopper-ttl / SHOPPER_TTL)',
      1,
      86_400 * 365,
    ),
    chatIdentitySecret: chatIdentitySecret ?? null,
    chatRetentionDays:
      chatRetention === 'off' ? null : integer(chatRetention, 'chat retention (--chat-retention-days / CHAT_RETENTION_DAYS)', 1, 36_500),
  };
}

function onOff(raw: string | undefined, what: string): boolean {
  const v = emptyToUndefined(raw)?.toLowerCase() ?? 'on';
  if (!['on', 'off', '1', '0', 'true', 'false'].includes(v)) throw new ConfigError(`${what} must be on or off, got "${raw}"`);
  return ['on', '1', 'true'].includes(v);
}

function emptyToUndefined(v: string | undefined) {
  return v === undefined || v === '' ? undefined : v;
}

function integer(raw: string, what: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new ConfigError(`${what} must be an integer from ${min} to ${max}, got "${raw}"`);
  return n;
}

/** `n/s`: n requests per s seconds; `off`: no limit. */
function rate(raw: string, what: string): RateLimit {
  if (raw.trim() === 'off') return null;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const points = Number(m?.[1]);
  const seconds = Number(m?.[2]);
  if (!m || points < 1 || points > 1_000_000 || seconds < 1 || seconds > 86_400)
    throw new ConfigError(`${what} must be n/s (n requests per s seconds, e.g. 200/60) or off, got "${raw}"`);
  return { points, seconds };
}

function origins(raw: string): string[] {
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (list.length === 0) throw new ConfigError('allowed origins (--allowed-origins / ALLOWED_ORIGINS) is empty; use * to allow any');
  if (list.includes('*')) return ['*'];
  for (const origin of list) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new ConfigError(`allowed origin "${origin}" is not a URL like https://shop.example`);
    }
    if (parsed.origin !== origin.replace(/\/$/, ''))
      throw new ConfigError(`allowed origin "${origin}" must be scheme://host[:port] only, e.g. ${parsed.origin}`);
  }
  return list.map((o) => o.replace(/\/$/, ''));
}

/** The configuration as printed at start-up; a configured host token is not shown, not even in part (logs are read by more people than the token is for). */
export function describeConfig(config: ServerConfig): string {
  const token = config.hostTokenGenerated ? `${config.hostToken} (generated for this run; set HOST_TOKEN to keep one)` : '(configured)';
  const storage = config.databaseUrl ? `PostgreSQL ${redactUrl(config.databaseUrl)}` : `PGlite ${config.dataDir}`;
  return [
    `  storage          ${storage}`,
    `  host token       ${token}`,
    `  allowed origins  ${config.allowedOrigins.join(', ')}`,
    `  default hold     ${config.holdSeconds} s`,
    `  event buffer     ${config.eventBuffer} events per drop`,
    `  metrics          ${config.metricsPort === null ? 'off (--metrics-port to serve them)' : `on ${config.metricsHost}:${config.metricsPort === 0 ? '(any free port)' : config.metricsPort}`}`,
    `  drain deadline   ${config.drainSeconds} s after SIGTERM`,
    `  confirm key      ${config.confirmKey ? 'configured' : 'none (confirming needs the host token)'}`,
    `  client address   ${config.trustProxy ? `X-Forwarded-For, ${config.trustProxy} trusted prox${config.trustProxy === 1 ? 'y' : 'ies'}` : 'the connection (X-Forwarded-For ignored)'}`,
    `  limits per addr  ${RATE_LIMITED_ACTIONS.filter((a) => a !== 'chat')
      .map((a) => `${a} ${describeRate(config.rateLimits[a])}`)
      .join(', ')}; holds ${config.maxHoldsPerIp ?? 'off'}`,
    `  shopper tokens   valid ${config.shopperTtlSeconds} s`,
    `  chat             ${describeRate(config.rateLimits.chat)} per shopper; identity tokens ${config.chatIdentitySecret ? 'accepted (secret configured)' : 'not accepted'}; kept ${config.chatRetentionDays === null ? 'for good' : `${config.chatRetentionDays} days`}`,
    `  demo drop        ${config.seedDemo ? `recreated, starts in ${config.demoStartInSeconds} s` : `created when missing (starts ${config.demoStartInSeconds} s after creation)`}`,
  ].join('\n');
}

const describeRate = (limit: RateLimit) => (limit ? `${limit.points}/${limit.seconds}s` : 'off');

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

export { USAGE };
