/** Reads a benchmark's `--name value` integer flags with defaults, and rejects anything else. */
import { parseArgs } from 'node:util';

export function intFlags<T extends Record<string, number>>(defaults: T, help: string): T {
  const options = Object.fromEntries(Object.keys(defaults).map((k) => [k, { type: 'string' as const }]));
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(
      `${help}\ndefaults: ${Object.entries(defaults)
        .map(([k, v]) => `--${k} ${v}`)
        .join(' ')}`,
    );
    process.exit(0);
  }
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ options, strict: true }).values as Record<string, string | undefined>;
  } catch (err) {
    console.error(`${(err as Error).message}\n${help}`);
    process.exit(2);
  }
  const out = { ...defaults } as Record<string, number>;
  for (const [k, v] of Object.entries(values)) {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 0) {
      console.error(`--${k} must be a non-negative integer, got ${v}\n${help}`);
      process.exit(2);
    }
    out[k] = n;
  }
  return out as T;
}

/** The PostgreSQL URL for the PostgreSQL rows, or null (with the reason printed) when none is set. */
export function postgresUrl(what: string): string | null {
  const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || '';
  if (!url) console.log(`\n${what} on PostgreSQL: skipped (set TEST_DATABASE_URL or DATABASE_URL; \`source .ci/postgres.sh\` starts one)`);
  return url || null;
}

/**
 * A PostgreSQL database of this run's own, made from TEST_DATABASE_URL (and dropped by `drop()`),
 * so the schema is this checkout's whatever other checkouts migrated the shared one to;
 * DATABASE_URL as given when only that is set.
 */
export async function benchDatabase(what: string): Promise<{ url: string; drop(): Promise<void> } | null> {
  const url = postgresUrl(what);
  if (!url) return null;
  if (!process.env.TEST_DATABASE_URL) return { url, drop: async () => {} };
  const { freshDatabase } = await import('../../test/server/support/postgres.js');
  return freshDatabase(`bench_${what}`);
}
