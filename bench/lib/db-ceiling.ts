/**
 * The database's own ceiling for the rush: the server's conditional UPDATE
 * (`takeStock`: `available = available - 1 WHERE … AND available >= 1`), each
 * in its own transaction, in a loop straight against the storage the server
 * has just used (its PGlite directory, after it stopped; the same PostgreSQL
 * database), opened by the server's own storage layer. Like the rush, the loop
 * spreads over the variants and runs out of stock halfway, so half the
 * updates succeed and half find nothing left.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../../server/storage/open-database.js';
import { deleteDrop, insertDrop, takeStock, upsertProduct } from '../../server/storage/drop-store.js';

export type Storage = { kind: 'pglite'; label: string; dir: string } | { kind: 'postgres'; label: string; url: string };

export interface Ceiling {
  updatesPerSec: number;
  /** Loops running at once: 1 on PGlite (one connection), the server's pool size on PostgreSQL. */
  loops: number;
}

/** The server's PostgreSQL pool size (server/storage/pg-database.ts). */
const PG_POOL = 10;

export async function conditionalUpdateCeiling(storage: Storage, updates: number, variants: number): Promise<Ceiling> {
  const db = await openDatabase(storage.kind === 'postgres' ? { databaseUrl: storage.url, dataDir: '' } : { databaseUrl: null, dataDir: storage.dir });
  const dropId = `ceiling-${randomUUID()}`;
  try {
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
    await upsertProduct(db, dropId, {
      id: 'sneaker',
      title: 'Ceiling',
      description: '',
      images: [],
      prices: [{ currency: 'USD', amount: 100 }],
      limitPerCustomer: 1,
      variants: Array.from({ length: variants }, (_, i) => ({ id: `v${i + 1}`, label: `V${i + 1}`, stock: Math.ceil(updates / 2 / variants) })),
    }, now);
    const loops = db.kind === 'postgres' ? PG_POOL : 1;
    let next = 0;
    const loop = async () => {
      while (next < updates) {
        const i = next++;
        await db.transaction((tx) => takeStock(tx, dropId, 'sneaker', `v${(i % variants) + 1}`, 1));
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: loops }, loop));
    return { updatesPerSec: updates / ((performance.now() - started) / 1000), loops };
  } finally {
    await deleteDrop(db, dropId).catch(() => {});
    await db.close();
  }
}
