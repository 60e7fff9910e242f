/**
 * The rush's ceiling, measured in the bench process against the storage the
 * server has just used (its PGlite directory, after it stopped; the same
 * PostgreSQL database), opened by the server's own storage layer: the
 * database's own single-statement hot-row UPDATE (`takeStock`:
 * `available = available - 1 WHERE … AND available >= 1`), each in its own
 * transaction, in a loop. Like the rush, it spreads over the variants, with
 * half the attempts in stock, so refusals are timed too.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../server/storage/open-database.js';
import { deleteDrop, insertDrop, takeStock, upsertProduct } from '../../server/storage/drop-store.js';
import type { Database } from '../../server/storage/database.js';

export type Storage = { kind: 'pglite'; label: string; dir: string } | { kind: 'postgres'; label: string; url: string };

export interface Ceiling {
  updatesPerSec: number;
  /** Loops running at once: 1 on PGlite (one connection), the server's pool size on PostgreSQL. */
  loops: number;
}

/** The server's PostgreSQL pool size (server/storage/pg-database.ts). */
const PG_POOL = 10;

/** A live drop with one product of `variants` variants holding `perVariant` units each, straight in the database. */
async function insertCeilingDrop(db: Database, dropId: string, variants: number, perVariant: number): Promise<void> {
  const now = Date.now();
  await insertDrop(db, {
    id: dropId,
    title: 'Ceiling',
    brand: '',
    description: '',
    startsAt: now,
    endsAt: null,
    status: 'live',
    liveStartedAt: now,
    stream: { hls: null, replay: null, poster: null },
    checkoutUrl: null,
    holdMs: 60_000,
    createdAt: now,
  });
  const variantRows = Array.from({ length: variants }, (_, i) => ({ id: `v${i + 1}`, label: `V${i + 1}`, stock: perVariant }));
  await upsertProduct(db, dropId, {
    id: 'sneaker',
    title: 'Ceiling',
    description: '',
    images: [],
    prices: [{ currency: 'USD', amount: 100 }],
    limitPerCustomer: 1,
    variants: variantRows,
  });
}

/** Runs `n` jobs, `parallel` at a time; returns jobs per second. */
async function perSecond(n: number, parallel: number, job: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < n) await job(next++);
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: parallel }, worker));
  return n / ((performance.now() - started) / 1000);
}

const open = (storage: Storage) =>
  openDatabase(storage.kind === 'postgres' ? { databaseUrl: storage.url, dataDir: '' } : { databaseUrl: null, dataDir: storage.dir });

export async function conditionalUpdateCeiling(storage: Storage, updates: number, variants: number): Promise<Ceiling> {
  const db = await open(storage);
  const dropId = `ceiling-${randomUUID()}`;
  try {
    await insertCeilingDrop(db, dropId, variants, Math.ceil(updates / 2 / variants));
    const loops = db.kind === 'postgres' ? PG_POOL : 1;
    const updatesPerSec = await perSecond(updates, loops, (i) =>
      db.transaction((tx) => takeStock(tx, dropId, 'sneaker', `v${(i % variants) + 1}`, 1)),
    );
    return { updatesPerSec, loops };
  } finally {
    await deleteDrop(db, dropId).catch(() => {});
    await db.close();
  }
}
