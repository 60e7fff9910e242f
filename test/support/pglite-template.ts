/**
 * A migrated, empty PGlite data directory, made once and cached under
 * `.tmp/` (keyed by the migrations and the PGlite version): a test server
 * starts on a copy instead of paying PGlite's first-open cost every time.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrationFiles } from '../../server/storage/migrate.js';
import { openDatabase } from '../../server/storage/open-database.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

function templateKey(): string {
  const hash = createHash('sha256');
  for (const m of migrationFiles()) hash.update(m.name).update(m.sql);
  hash.update(readFileSync(join(root, 'node_modules/@electric-sql/pglite/package.json')));
  return hash.digest('hex').slice(0, 16);
}

let pending: Promise<string> | null = null;

/** The template's path, created on first use. */
export function pgliteTemplate(): Promise<string> {
  pending ??= (async () => {
    const dir = join(root, '.tmp', `pglite-template-${templateKey()}`);
    if (existsSync(join(dir, 'PG_VERSION'))) return dir;
    const building = `${dir}.${process.pid}.building`;
    rmSync(building, { recursive: true, force: true });
    mkdirSync(building, { recursive: true });
    const db = await openDatabase({ databaseUrl: null, dataDir: building });
    await db.close();
    try {
      renameSync(building, dir);
    } catch {
      rmSync(building, { recursive: true, force: true }); // another process made it first
    }
    return dir;
  })();
  return pending;
}

/** Fills `target` (empty or missing) with a copy of the template. */
export async function copyPgliteTemplate(target: string): Promise<void> {
  cpSync(await pgliteTemplate(), target, { recursive: true });
}
