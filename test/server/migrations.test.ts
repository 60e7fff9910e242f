import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../server/storage/database.js';
import { migrate, migrationFiles } from '../../server/storage/migrate.js';
import { openPgliteDatabase } from '../../server/storage/pglite-database.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('migrations', () => {
  let dir: string;
  let db: Database;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'live-drop-migrations-'));
    db = await openPgliteDatabase(dir);
  });
  after(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('upgrades a version-1 database: shopper tokens become SHA-256 digests, reservations and keys follow; variants get their stock', async () => {
    await migrate(db, { upTo: 1 });
    const token = 'shp_plain-token-from-before';
    await db.query(`INSERT INTO drops (id, title, starts_at, status, hold_ms, created_at) VALUES ('d', 'D', 0, 'live', 60000, 0)`);
    await db.query(`INSERT INTO products (drop_id, id, position, title, prices, limit_per_customer) VALUES ('d', 'p', 0, 'P', '[]', 1)`);
    await db.query(`INSERT INTO variants (drop_id, product_id, id, position, label, available) VALUES ('d', 'p', 'v', 0, 'V', 2)`);
    await db.query('INSERT INTO shoppers (token, created_at) VALUES ($1, 0)', [token]);
    await db.query(
      `INSERT INTO reservations (id, drop_id, product_id, variant_id, shopper_token, quantity, status, created_at, expires_at) VALUES ('r', 'd', 'p', 'v', $1, 1, 'held', 0, 1)`,
      [token],
    );
    await db.query(
      `INSERT INTO reservations (id, drop_id, product_id, variant_id, shopper_token, quantity, status, created_at, expires_at) VALUES ('sold', 'd', 'p', 'v', $1, 3, 'confirmed', 0, 1), ('gone', 'd', 'p', 'v', $1, 5, 'expired', 0, 1)`,
      [token],
    );
    await db.query(
      `INSERT INTO idempotency_keys (principal, key, fingerprint, status, body, created_at) VALUES ($1, 'k', 'f', 201, '{}', 0)`,
      [`shopper:${token}`],
    );

    const applied = [...(await migrate(db, { upTo: 4 }))];
    await assert.rejects(
      db.query(
        `INSERT INTO reservations (id, drop_id, product_id, variant_id, shopper_token, quantity, status, created_at, expires_at) VALUES ('r2', 'd', 'p', 'v', 'nobody', 1, 'held', 0, 1)`,
      ),
      /foreign key/,
      'the reference to shoppers is back after 002',
    );
    applied.push(...(await migrate(db)));
    assert.deepEqual(
      applied,
      migrationFiles()
        .filter((m) => m.version > 1)
        .map((m) => m.name),
    );
    assert.deepEqual(
      (await db.query('SELECT token FROM shoppers')).map((r) => r.token),
      [sha256(token)],
    );
    assert.deepEqual(
      (await db.query('SELECT DISTINCT shopper_token FROM reservations')).map((r) => r.shopper_token),
      [sha256(token)],
    );
    assert.deepEqual(
      (await db.query('SELECT principal FROM idempotency_keys')).map((r) => r.principal),
      [`shopper:${sha256(token)}`],
    );
    assert.deepEqual(
      (await db.query('SELECT stock, available FROM variants')).map((r) => [r.stock, r.available]),
      [[6, 2]],
      'stock = available 2 + held 1 + sold 3',
    );
    // 005: shoppers expire and are deleted while their reservations stay, so the reference goes; holds gain a client address.
    await db.query(
      `INSERT INTO reservations (id, drop_id, product_id, variant_id, shopper_token, quantity, status, created_at, expires_at, client_ip) VALUES ('r2', 'd', 'p', 'v', 'expired-shopper', 1, 'held', 0, 1, '127.0.0.2')`,
    );
    assert.deepEqual(
      (await db.query(`SELECT client_ip FROM reservations WHERE id = 'r'`)).map((r) => r.client_ip),
      [null],
      'older reservations have no address',
    );
  });

  it('applies nothing twice', async () => {
    assert.deepEqual(await migrate(db), []);
  });
});
