/**
 * Group commit for reservations: one batcher per drop per process. A request
 * joins the open batch; when no batch of its drop is committing, the open
 * batch starts at the end of the current turn of the event loop (no timer:
 * a lone request goes at once), and whatever arrives while it commits forms
 * the next one. A batch is one transaction with a fixed handful of
 * statements however many members it has, and one row lock per variant
 * instead of one per shopper.
 *
 * Each member gets exactly the answer it would have had alone, in arrival
 * order: its replay, 401, not-found, drop-not-started / drop-ended,
 * limit-exceeded (members of one shopper count together), sold-out or
 * insufficient-stock, or its 201. A database error fails the whole batch:
 * it is retried once, then every member gets 503 with Retry-After and its
 * Idempotency-Key unclaimed.
 *
 * While every member asks for a variant this process last saw at 0, the
 * batch is judged by reads alone (no write transaction, no row lock): its
 * refusals are answered, and a member that would be granted (units came back
 * from a cancel or a lapsed hold) goes on to the next batch, which writes.
 */
import type { Reservation } from '../../src/protocol/types.js';
import type { Database, Queryable } from '../storage/database.js';
import { findDropRow } from '../storage/drop-store.js';
import { passesOf } from '../storage/line-store.js';
import type { StoredAnswer } from '../storage/idempotency-store.js';
import {
  claimKeys,
  findKeys,
  findShoppers,
  insertReservations,
  keyOf,
  readBatchVariants,
  releaseKeys,
  saveAnswers,
  takeGranted,
  unitsOfShoppers,
  variantKey,
} from '../storage/reservation-batch-store.js';
import { holdsOfClient, publicReservation, type ReservationRow } from '../storage/reservation-store.js';
import { errorFields, log } from '../observability/logger.js';
import { metrics } from '../observability/metrics.js';
import { DomainError, notFound, passRequired } from './domain-error.js';
import { effectiveStatus } from './drop-status.js';
import { replayOf, type Answer } from './idempotency.js';

export interface BatchMember {
  /** SHA-256 of the shopper token. */
  shopper: string;
  productId: string;
  variantId: string;
  quantity: number;
  key: string | null;
  fingerprint: string;
  /** Where the request came from, for the per-address cap on holds (null: not counted). */
  clientIp: string | null;
}

export interface ReservationBatcher {
  reserve(dropId: string, member: BatchMember): Promise<Answer<Reservation>>;
}

/** Members beyond this wait for the next batch (bounds a statement's arrays and a batch's latency). */
const MAX_BATCH = 500;

type Verdict = { answer: Answer<Reservation> } | { error: Error } | { grant: ReservationRow } | { defer: true };

interface Queued extends BatchMember {
  principal: string;
  resolve(answer: Answer<Reservation>): void;
  reject(error: Error): void;
}

export function createReservationBatcher(
  db: Database,
  {
    newId,
    onStockChanged,
    maxHoldsPerIp = null,
    shopperTtlMs = 86_400_000,
  }: {
    newId: () => string;
    onStockChanged: (dropId: string, keys: { productId: string; variantId: string }[]) => void;
    /** Most reservations one client address may hold at once (null: no cap). */
    maxHoldsPerIp?: number | null;
    /** How long a shopper token is accepted after it was created, in ms. */
    shopperTtlMs?: number;
  },
): ReservationBatcher {
  const drops = new Map<string, { open: Queued[]; running: boolean; levels: Map<string, number> }>();

  function drain(dropId: string) {
    const state = drops.get(dropId)!;
    if (state.running || !state.open.length) return;
    state.running = true;
    setImmediate(async () => {
      try {
        while (state.open.length) {
          const batch = take(state.open);
          const deferred = await runBatch(dropId, batch, state.levels);
          state.open.unshift(...deferred);
        }
      } finally {
        state.running = false;
      }
    });
  }

  /** The next batch: in arrival order, a repeated key waiting for the batch after (it is then a replay or judged again). */
  function take(open: Queued[]): Queued[] {
    const batch: Queued[] = [];
    const keys = new Set<string>();
    const rest: Queued[] = [];
    for (const m of open) {
      const k = m.key === null ? null : keyOf(m.principal, m.key);
      if (batch.length >= MAX_BATCH || (k !== null && keys.has(k))) rest.push(m);
      else {
        batch.push(m);
        if (k !== null) keys.add(k);
      }
    }
    open.splice(0, open.length, ...rest);
    return batch;
  }

  async function runBatch(dropId: string, batch: Queued[], levels: Map<string, number>): Promise<Queued[]> {
    const readOnly = batch.every((m) => levels.get(variantKey(m.productId, m.variantId)) === 0);
    let verdicts: Verdict[] | null = null;
    let failure: unknown;
    for (let attempt = 0; attempt < 2 && !verdicts; attempt++) {
      try {
        verdicts = readOnly
          ? await judge(db, dropId, batch, levels, false)
          : await db.transaction((tx) => commit(tx, dropId, batch, levels));
      } catch (error) {
        failure = error;
      }
    }
    if (!verdicts) {
      log.error({ dropId, batch: batch.length, ...errorFields(failure) }, 'reservations: a batch failed twice');
      const busy = new DomainError(
        'unavailable',
        503,
        'the reservation could not be stored; nothing was taken: retry with the same Idempotency-Key',
        {
          'Retry-After': '1',
        },
      );
      batch.forEach((m) => m.reject(busy));
      return [];
    }
    metrics.batchSize(batch.length);
    const deferred: Queued[] = [];
    const changed = new Map<string, { productId: string; variantId: string }>();
    verdicts.forEach((v, i) => {
      const m = batch[i];
      if ('defer' in v) deferred.push(m);
      else if ('error' in v) m.reject(v.error);
      else if ('answer' in v) m.resolve(v.answer);
      else {
        changed.set(variantKey(m.productId, m.variantId), m);
        m.resolve({ status: 201, body: publicReservation(v.grant), replayed: false });
      }
    });
    if (changed.size) onStockChanged(dropId, [...changed.values()]);
    return deferred;
  }

  /** The write batch: claim keys, judge, take the granted units, store reservations and answers. */
  async function commit(tx: Queryable, dropId: string, batch: Queued[], levels: Map<string, number>): Promise<Verdict[]> {
    const now = Date.now();
    const keyed = batch.filter((m) => m.key !== null).map((m) => ({ principal: m.principal, key: m.key!, fingerprint: m.fingerprint }));
    const earlier = await claimKeys(tx, keyed, now);
    const verdicts = await judgeAfterKeys(tx, dropId, batch, earlier, levels, now, true);
    const granted = verdicts.flatMap((v) => ('grant' in v ? [v.grant] : []));
    const taken = new Map<string, { productId: string; variantId: string; quantity: number }>();
    for (const r of granted) {
      const k = variantKey(r.productId, r.variantId);
      const t = taken.get(k) ?? { productId: r.productId, variantId: r.variantId, quantity: 0 };
      t.quantity += r.quantity;
      taken.set(k, t);
    }
    for (const level of await takeGranted(tx, dropId, [...taken.values()]))
      levels.set(variantKey(level.productId, level.variantId), level.available);
    await insertReservations(tx, granted);
    const answers: { principal: string; key: string; status: number; body: unknown }[] = [];
    const refused: { principal: string; key: string }[] = [];
    verdicts.forEach((v, i) => {
      const m = batch[i];
      if (m.key === null || earlier.has(keyOf(m.principal, m.key))) return;
      if ('grant' in v) answers.push({ principal: m.principal, key: m.key, status: 201, body: publicReservation(v.grant) });
      else refused.push({ principal: m.principal, key: m.key });
    });
    await saveAnswers(tx, answers);
    await releaseKeys(tx, refused);
    return verdicts;
  }

  /** The read-only batch: keys looked up, not claimed; whoever would be granted is deferred to a write batch. */
  async function judge(q: Queryable, dropId: string, batch: Queued[], levels: Map<string, number>, write: false): Promise<Verdict[]> {
    const keyed = batch.filter((m) => m.key !== null).map((m) => ({ principal: m.principal, key: m.key! }));
    return judgeAfterKeys(q, dropId, batch, await findKeys(q, keyed), levels, Date.now(), write);
  }

  return {
    reserve(dropId, member) {
      return new Promise((resolve, reject) => {
        let state = drops.get(dropId);
        if (!state) drops.set(dropId, (state = { open: [], running: false, levels: new Map() }));
        state.open.push({ ...member, principal: `shopper:${member.shopper}`, resolve, reject });
        drain(dropId);
      });
    },
  };

  /**
   * The rules, member by member in arrival order, over what the batch's reads
   * found. `write`: the shoppers' and variants' rows are locked and grants are
   * final; otherwise a grant becomes a deferral, and so does every later member
   * of that shopper (its limit depends on the deferred one).
   */
  async function judgeAfterKeys(
    q: Queryable,
    dropId: string,
    batch: Queued[],
    earlier: Map<string, StoredAnswer>,
    levels: Map<string, number>,
    now: number,
    write: boolean,
  ): Promise<Verdict[]> {
    const verdicts: Verdict[] = new Array(batch.length);
    const pending: number[] = [];
    batch.forEach((m, i) => {
      const stored = m.key === null ? undefined : earlier.get(keyOf(m.principal, m.key));
      if (!stored) return pending.push(i);
      try {
        verdicts[i] = { answer: replayOf<Reservation>(stored, m.fingerprint) };
      } catch (error) {
        verdicts[i] = { error: error as Error };
      }
    });
    if (!pending.length) return verdicts;
    const members = pending.map((i) => batch[i]);
    const shoppers = await findShoppers(q, [...new Set(members.map((m) => m.shopper))], now - shopperTtlMs, { lock: write });
    // Not locked: requests from one address on several nodes may pass the cap by a few; the rate limit bounds how many.
    const holds = new Map<string, { count: number; firstEnds: number | null }>();
    if (maxHoldsPerIp !== null)
      for (const ip of new Set(members.flatMap((m) => (m.clientIp === null ? [] : [m.clientIp]))))
        holds.set(ip, await holdsOfClient(q, ip, now));
    const drop = await findDropRow(q, dropId);
    const status = drop && effectiveStatus(drop, now);
    // The waiting line: while the drop has one, only shoppers with a valid pass may reserve.
    const passes = drop ? await passesOf(q, dropId, [...shoppers], now) : null;
    const { limits, variants } = await readBatchVariants(q, dropId, members, { lock: write });
    for (const v of variants.values()) levels.set(variantKey(v.productId, v.variantId), v.available);
    const units = await unitsOfShoppers(q, dropId, [...shoppers], [...limits.keys()], now);

    const left = new Map([...variants].map(([k, v]) => [k, v.available]));
    const deferredShoppers = new Set<string>();
    for (const i of pending) {
      const m = batch[i];
      const refuse = (error: DomainError) => (verdicts[i] = { error });
      const held = m.clientIp === null ? undefined : holds.get(m.clientIp);
      if (!shoppers.has(m.shopper)) refuse(new DomainError('unauthorized', 401, 'unknown or expired shopper token'));
      else if (held && maxHoldsPerIp !== null && held.count >= maxHoldsPerIp)
        refuse(
          new DomainError('too-many-holds', 429, `at most ${maxHoldsPerIp} reservations may be held at once from one address`, {
            'Retry-After': String(Math.max(1, Math.ceil(((held.firstEnds ?? now) - now) / 1000))),
          }),
        );
      else if (!drop) refuse(notFound(`drop "${dropId}"`));
      else if (status === 'scheduled')
        refuse(new DomainError('drop-not-started', 409, `drop "${dropId}" starts at ${new Date(drop.startsAt).toISOString()}`));
      else if (status === 'ended') refuse(new DomainError('drop-ended', 409, `drop "${dropId}" has ended`));
      else if (passes && !passes.get(m.shopper)) refuse(passRequired(dropId));
      else if (!limits.has(m.productId)) refuse(notFound(`product "${m.productId}" in drop "${dropId}"`));
      else if (!variants.has(variantKey(m.productId, m.variantId)))
        refuse(notFound(`variant "${m.variantId}" of product "${m.productId}"`));
      else if (deferredShoppers.has(m.shopper)) verdicts[i] = { defer: true };
      else {
        const limit = limits.get(m.productId)!;
        const unitsKey = `${m.shopper}\n${m.productId}`;
        const already = units.get(unitsKey) ?? 0;
        const vk = variantKey(m.productId, m.variantId);
        const label = variants.get(vk)!.label;
        const available = left.get(vk)!;
        if (already + m.quantity > limit)
          refuse(new DomainError('limit-exceeded', 409, `at most ${limit} per customer; you already hold or bought ${already}`));
        else if (available === 0) refuse(new DomainError('sold-out', 409, `${m.productId} / ${label} is sold out`));
        else if (available < m.quantity)
          refuse(new DomainError('insufficient-stock', 409, `only ${available} left of ${m.productId} / ${label}`));
        else if (!write) {
          verdicts[i] = { defer: true };
          deferredShoppers.add(m.shopper);
        } else {
          left.set(vk, available - m.quantity);
          units.set(unitsKey, already + m.quantity);
          if (held) held.count++;
          verdicts[i] = {
            grant: {
              id: newId(),
              dropId,
              productId: m.productId,
              variantId: m.variantId,
              quantity: m.quantity,
              status: 'held',
              createdAt: now,
              expiresAt: now + drop.holdMs,
              shopperToken: m.shopper,
              clientIp: m.clientIp,
              orderId: null,
              confirmedAt: null,
            },
          };
        }
      }
    }
    return verdicts;
  }
}
