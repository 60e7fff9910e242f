/**
 * /readyz with faults injected into the database it checks: a database that
 * does not answer, a missing migration, a lost LISTEN connection, a drain.
 * (The healthy answer is tested against the real server in operations.test.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDrain } from '../../server/ops/drain.js';
import { createHealth } from '../../server/ops/health.js';
import type { Database } from '../../server/storage/database.js';
import { migrationFiles } from '../../server/storage/migrate.js';

const latest = Math.max(...migrationFiles().map((m) => m.version));

/** A database whose answers the test decides. */
function fakeDatabase(o: { version?: number; fails?: Error; hangs?: boolean; listening?: boolean }) {
  let queries = 0;
  const db = {
    kind: 'postgres',
    async query() {
      queries++;
      if (o.hangs) await new Promise(() => {});
      if (o.fails) throw o.fails;
      return [{ version: o.version ?? latest }];
    },
    listening: () => o.listening ?? true,
  } as unknown as Database;
  return { db, queries: () => queries };
}

describe('readiness', () => {
  it('is ready when the database answers at the latest migration and is listening', async () => {
    const { db } = fakeDatabase({});
    assert.equal((await createHealth(db, createDrain()).readiness()).status, 'ready');
  });

  it('is unready while the database does not answer, and says why', async () => {
    const refused = await createHealth(fakeDatabase({ fails: new Error('connect ECONNREFUSED') }).db, createDrain()).readiness();
    assert.equal(refused.status, 'unready');
    assert.match(refused.checks.database, /unreachable: connect ECONNREFUSED/);
    const hung = await createHealth(fakeDatabase({ hangs: true }).db, createDrain(), { timeoutMs: 50 }).readiness();
    assert.equal(hung.status, 'unready');
    assert.match(hung.checks.database, /no answer within 50 ms/);
  });

  it('is unready while a migration is missing', async () => {
    const r = await createHealth(fakeDatabase({ version: latest - 1 }).db, createDrain()).readiness();
    assert.equal(r.status, 'unready');
    assert.equal(r.checks.migrations, `at version ${latest - 1}, expected ${latest}`);
  });

  it('is unready while the LISTEN connection is down', async () => {
    const r = await createHealth(fakeDatabase({ listening: false }).db, createDrain()).readiness();
    assert.equal(r.status, 'unready');
    assert.equal(r.checks.listener, 'down: reconnecting');
  });

  it('is unready from the moment the node drains', async () => {
    const drain = createDrain();
    const health = createHealth(fakeDatabase({}).db, drain);
    assert.equal((await health.readiness()).status, 'ready');
    drain.start();
    assert.deepEqual(await health.readiness(), {
      status: 'unready',
      checks: { database: 'ok', migrations: 'ok', listener: 'ok', draining: true },
    });
  });

  it('answers a burst of probes with one query', async () => {
    const fake = fakeDatabase({});
    const health = createHealth(fake.db, createDrain());
    await Promise.all(Array.from({ length: 50 }, () => health.readiness()));
    assert.equal(fake.queries(), 1);
  });
});
