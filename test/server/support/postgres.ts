/**
 * A fresh PostgreSQL database per test file, made from TEST_DATABASE_URL
 * (a role that may CREATE DATABASE) and dropped afterwards, so runs and
 * files never see each other's rows or notifications.
 */
import pg from 'pg';

export const postgresUrl = process.env.TEST_DATABASE_URL ?? null;
export const skipWithoutPostgres = postgresUrl
  ? false
  : 'TEST_DATABASE_URL is not set (source .ci/postgres.sh to run the PostgreSQL tests)';

export async function freshDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: postgresUrl! });
  await admin.connect();
  const name = `livedrop_${label}_${process.pid}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  const url = new URL(postgresUrl!);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.end();
    },
  };
}
