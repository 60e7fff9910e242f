import type { Database } from './database.js';
import { migrate } from './migrate.js';
import { openPgDatabase } from './pg-database.js';
import { openPgliteDatabase } from './pglite-database.js';

/** PostgreSQL when a URL is given, else PGlite in `dataDir`; migrated to the latest schema. */
export async function openDatabase(options: { databaseUrl: string | null; dataDir: string }): Promise<Database> {
  const db = options.databaseUrl ? await openPgDatabase(options.databaseUrl) : await openPgliteDatabase(options.dataDir);
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return db;
}
