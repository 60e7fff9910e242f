/**
 * The history checker's workload, in the style of Jepsen: many clients run
 * seeded random operations at once against real server processes, while a
 * host edits the drop and a node is killed (SIGKILL) and restarted. Every
 * operation is recorded with its start and end time, its answer and what it
 * touched, so the checks (check.ts) can judge the history afterwards.
 *
 * The seed fixes what each client does and when; the interleaving is the
 * machine's. A failing seed usually fails again, and the printed history is
 * what shows the fault either way.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { routes } from '../../../src/protocol/routes.js';
import type { Drop, ProductInput, Reservation, SalesReport, ShopperSession } from '../../../src/protocol/types.js';
import { HttpClient, type HttpAnswer, type RequestOptions } from '../../../bench/lib/http-client.js';
import { loopbackAddress } from '../loopback.js';
import { startReferenceServer, type RunningServer } from '../reference-server.js';

/** mulberry32: small, fast and good enough to pick operations. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type OpKind =
  'reserve' | 'retry' | 'cancel' | 'confirm' | 'put-product-same' | 'put-product-changed' | 'put-stock' | 'patch-hold' | 'kill' | 'restart';

/** One operation as it happened. Times are ms since the run began. */
export interface Op {
  n: number;
  client: string;
  node: number;
  kind: OpKind;
  start: number;
  end: number;
  /** HTTP status; 0 when no answer came (connection refused or cut, timeout). */
  status: number;
  code?: string;
  shopper?: number;
  /** `product/variant` the operation is about. */
  variant?: string;
  /** Variants a host product PUT sets, with the stock sent. */
  stocks?: Record<string, number>;
  key?: string;
  reservationId?: string;
  orderId?: string;
  quantity?: number;
  /** Reservation status in the answer (cancel, reserve). */
  resultStatus?: string;
  expiresAt?: number;
  /** What was sent, shortly (stock or hold values). */
  detail?: string;
}

export interface Sample {
  at: number;
  source: 'sales' | 'sql';
  unbalanced: { variant: string; stock: number; available: number; held: number; sold: number }[];
}

export interface WorkloadOptions {
  seed: number;
  /** Stop after this many shopper and host operations ... */
  maxOps: number;
  /** ... or after this many ms of traffic, whichever comes first. */
  durationMs: number;
  clients: number;
  shoppers: number;
  /** SIGKILLs during the run (each followed by a restart of the same node). */
  kills: number;
  /** PGlite: one node on its data directory. PostgreSQL: `nodes` nodes on one database. */
  storage: { dataDir: string } | { databaseUrl: string };
  nodes: number;
  /** Samples the invariant straight from the database while traffic runs (PostgreSQL only). */
  sampleSql?: (dropId: string) => Promise<Sample['unbalanced']>;
  log?: (line: string) => void;
}

export const PRODUCTS: ProductInput[] = [
  {
    id: 'tee',
    title: 'Tee',
    prices: [{ currency: 'USD', amount: 3000 }],
    limitPerCustomer: 2,
    variants: [
      { id: 's', label: 'S', stock: 3 },
      { id: 'm', label: 'M', stock: 2 },
    ],
  },
  {
    id: 'cap',
    title: 'Cap',
    prices: [{ currency: 'USD', amount: 2000 }],
    limitPerCustomer: 2,
    variants: [{ id: 'one', label: 'One size', stock: 1 }],
  },
];
export const LIMIT = 2;
const HOLD_MIN_MS = 1000; // the protocol's shortest hold
const HOLD_MAX_MS = 1500;

export interface Node {
  index: number;
  port: number;
  server: RunningServer | null;
  client: HttpClient;
}

export interface ShopperModel {
  token: string;
  localAddress: string;
  /** Every reserve request sent, by key, to retry with the same key and body. */
  keys: { key: string; product: string; variant: string; quantity: number }[];
  /** Reservations granted to this shopper (201 answers). */
  reservations: string[];
}

export interface WorkloadResult {
  seed: number;
  dropId: string;
  history: Op[];
  samples: Sample[];
  shoppers: ShopperModel[];
  /** The host's products as last accepted (stock known while no PUT …/stock came after). */
  knownStock: Map<string, number | null>;
  trafficMs: number;
  /** Date.now() when the run began: `expiresAt` − this is the run's time. */
  epoch0: number;
  nodes: Node[];
  hostToken: string;
  /** Stops the servers (the checks read the database afterwards). */
  stop(): Promise<void>;
}

/** Starts the nodes, runs the workload, lets every hold lapse and be swept; the servers are still running. */
export async function runWorkload(o: WorkloadOptions): Promise<WorkloadResult> {
  const log = o.log ?? (() => {});
  const hostToken = `history-host-token-${randomUUID()}`;
  const nodes: Node[] = [];
  for (let i = 0; i < o.nodes; i++) {
    const server = await startReferenceServer({ ...o.storage, hostToken });
    const port = Number(new URL(server.url).port);
    nodes.push({ index: i, port, server, client: new HttpClient(server.url, { maxSockets: 256 }) });
  }
  const t0 = performance.now();
  const epoch0 = Date.now();
  const now = () => Math.round(performance.now() - t0);
  const history: Op[] = [];
  const samples: Sample[] = [];
  let n = 0;
  const upNodes = () => nodes.filter((node) => node.server);
  async function stopAll() {
    for (const node of nodes) {
      node.client.close();
      await node.server?.stop();
    }
  }

  const call = async (node: Node, method: string, path: string, opts: RequestOptions) => {
    try {
      return await node.client.request(method, path, { timeoutMs: 10_000, ...opts });
    } catch {
      return null;
    }
  };
  const json = (res: HttpAnswer | null) => {
    try {
      return res?.text ? JSON.parse(res.text) : undefined;
    } catch {
      return undefined;
    }
  };

  // The drop and the shoppers, through node 0.
  const setup = nodes[0].client;
  const drop = await setup.json<Drop>('POST', routes.host.drops(), {
    token: hostToken,
    body: {
      id: `history-${o.seed}-${randomUUID().slice(0, 8)}`,
      title: 'History',
      startsAt: Date.now() - 1000,
      holdMs: HOLD_MIN_MS,
      products: PRODUCTS,
    },
  });
  const products = new Map(PRODUCTS.map((p) => [p.id, structuredClone(p)]));
  const knownStock = new Map<string, number | null>(
    PRODUCTS.flatMap((p) => p.variants.map((v) => [`${p.id}/${v.id}`, v.stock] as [string, number])),
  );
  const variantKeys = [...knownStock.keys()];
  const shoppers: ShopperModel[] = [];
  for (let i = 0; i < o.shoppers; i++) {
    const localAddress = loopbackAddress(i);
    const session = await setup.json<ShopperSession>('POST', routes.shoppers(), { localAddress });
    shoppers.push({ token: session.shopperToken, localAddress, keys: [], reservations: [] });
  }
  const reservations = new Map<string, { shopper: number; variant: string; quantity: number }>();
  /** Confirm keys per reservation, so a lost answer is retried with the same key. */
  const confirmKeys = new Map<string, string>();

  let stopping = false;
  // Traffic time starts now that the drop and shoppers exist; a node's downtime (PGlite: no node at all) is added to it.
  let deadline = performance.now() + o.durationMs;
  const trafficStart = performance.now();
  let restarting = false;
  const more = () => !stopping && n < o.maxOps && (performance.now() < deadline || restarting);

  const lastStatus = new Map<string, number>();
  const record = (op: Omit<Op, 'n' | 'end' | 'status'>, res: HttpAnswer | null, extra: Partial<Op> = {}) => {
    const body = json(res);
    const entry: Op = { n: ++n, ...op, end: now(), status: res?.status ?? 0, ...extra };
    lastStatus.set(op.client, entry.status);
    if (res && res.status >= 400 && body?.code) entry.code = body.code;
    history.push(entry);
    return body;
  };

  /**
   * The site's checkout confirms a paid hold, server to server, with the
   * host token (a shopper's token gets 403: only the site confirms a sale).
   */
  const confirmAsSite = (node: Node, reservationId: string, key: string) =>
    call(node, 'POST', routes.confirm(reservationId), { token: hostToken, headers: { 'idempotency-key': key } });

  /** One shopper operation; false when no node was up to try it on. */
  async function shopperOp(client: string, random: () => number): Promise<boolean> {
    const live = upNodes();
    if (!live.length) return false;
    const node = live[Math.floor(random() * live.length)];
    const s = Math.floor(random() * shoppers.length);
    const shopper = shoppers[s];
    const as = { token: shopper.token, localAddress: shopper.localAddress };
    const roll = random();
    const start = now();
    const retry = roll >= 0.45 && roll < 0.55 && shopper.keys.length > 0;
    if (retry) {
      const entry = shopper.keys[Math.floor(random() * shopper.keys.length)];
      await reserve(client, node, s, entry, 'retry', start);
    } else if (roll < 0.55 || shopper.reservations.length === 0) {
      const variant = variantKeys[Math.floor(random() * variantKeys.length)];
      const [product, variantId] = variant.split('/');
      const entry = { key: randomUUID(), product, variant: variantId, quantity: random() < 0.8 ? 1 : 2 };
      shopper.keys.push(entry);
      await reserve(client, node, s, entry, 'reserve', start);
    } else if (roll < 0.65) {
      const id = shopper.reservations[Math.floor(random() * shopper.reservations.length)];
      const res = await call(node, 'DELETE', routes.reservation(id), as);
      const body = record(
        { client, node: node.index, kind: 'cancel', start, shopper: s, variant: reservations.get(id)!.variant, reservationId: id },
        res,
      );
      if (res?.status === 200) history[history.length - 1].resultStatus = body.status;
    } else {
      const id = shopper.reservations[Math.floor(random() * shopper.reservations.length)];
      const key = confirmKeys.get(id) ?? randomUUID();
      confirmKeys.set(id, key);
      const res = await confirmAsSite(node, id, key);
      const body = record(
        { client, node: node.index, kind: 'confirm', start, shopper: s, variant: reservations.get(id)!.variant, reservationId: id, key },
        res,
      );
      if (res && (res.status === 200 || res.status === 201)) history[history.length - 1].orderId = body.id;
    }
    return lastStatus.get(client) !== 0;
  }

  async function reserve(
    client: string,
    node: Node,
    s: number,
    entry: ShopperModel['keys'][number],
    kind: 'reserve' | 'retry',
    start: number,
  ) {
    const shopper = shoppers[s];
    const res = await call(node, 'POST', routes.reservations(drop.id), {
      token: shopper.token,
      localAddress: shopper.localAddress,
      headers: { 'idempotency-key': entry.key },
      body: { productId: entry.product, variantId: entry.variant, quantity: entry.quantity },
    });
    const variant = `${entry.product}/${entry.variant}`;
    const body = record({ client, node: node.index, kind, start, shopper: s, variant, key: entry.key, quantity: entry.quantity }, res) as
      Reservation | undefined;
    if (res?.status === 201 && body) {
      const op = history[history.length - 1];
      op.reservationId = body.id;
      op.expiresAt = body.expiresAt;
      op.resultStatus = body.status;
      if (!reservations.has(body.id)) {
        reservations.set(body.id, { shopper: s, variant, quantity: entry.quantity });
        shopper.reservations.push(body.id);
      }
    }
  }

  async function hostOp(random: () => number) {
    const live = upNodes();
    if (!live.length) return;
    const node = live[Math.floor(random() * live.length)];
    const roll = random();
    const start = now();
    const product = PRODUCTS[Math.floor(random() * PRODUCTS.length)].id;
    const current = products.get(product)!;
    if (roll < 0.6) {
      const changed = roll >= 0.35;
      const next: ProductInput = changed
        ? {
            ...current,
            title: `${product} ${n}`,
            variants: current.variants.map((v) => ({ ...v, stock: Math.max(0, v.stock + Math.floor(random() * 5) - 2) })),
          }
        : current;
      const res = await call(node, 'PUT', routes.host.product(drop.id, product), { token: hostToken, body: next });
      const stocks = Object.fromEntries(next.variants.map((v) => [v.id, v.stock]));
      record(
        {
          client: 'host',
          node: node.index,
          kind: changed ? 'put-product-changed' : 'put-product-same',
          start,
          variant: `${product}/*`,
          stocks,
          detail: JSON.stringify(stocks),
        },
        res,
      );
      if (res?.status === 200) {
        products.set(product, next);
        for (const v of next.variants) knownStock.set(`${product}/${v.id}`, v.stock);
      } else if (res === null || res.status >= 500) {
        for (const v of next.variants) knownStock.set(`${product}/${v.id}`, null); // applied or not: unknown
      }
    } else if (roll < 0.85) {
      const v = current.variants[Math.floor(random() * current.variants.length)];
      const available = Math.floor(random() * 4);
      const res = await call(node, 'PUT', routes.host.stock(drop.id, product, v.id), { token: hostToken, body: { available } });
      record(
        { client: 'host', node: node.index, kind: 'put-stock', start, variant: `${product}/${v.id}`, detail: `available ${available}` },
        res,
      );
      // The new stock is `available` plus what is held and sold at that moment: unknown to the model.
      knownStock.set(`${product}/${v.id}`, null);
    } else {
      const holdMs = HOLD_MIN_MS + Math.floor(random() * (HOLD_MAX_MS - HOLD_MIN_MS + 1));
      const res = await call(node, 'PATCH', routes.host.drop(drop.id), { token: hostToken, body: { holdMs } });
      record({ client: 'host', node: node.index, kind: 'patch-hold', start, detail: `holdMs ${holdMs}` }, res);
    }
  }

  const shopperClients = Array.from({ length: o.clients }, async (_, c) => {
    const random = rng(o.seed * 1000 + c + 1);
    while (more()) {
      const answered = await shopperOp(`c${c}`, random);
      await sleep(answered ? random() * 40 : 100); // a node down: wait for it rather than spin
    }
  });
  const host = (async () => {
    const random = rng(o.seed * 1000);
    while (more()) {
      await hostOp(random);
      await sleep(50 + random() * 250);
    }
  })();
  const chaos = (async () => {
    const random = rng(o.seed * 1000 + 999);
    for (let k = 0; k < o.kills && more(); k++) {
      // Kills spread over the first 80 % of the run, so traffic goes on after each restart.
      const at = trafficStart + ((k + 0.25 + random() * 0.5) / o.kills) * o.durationMs * 0.8;
      while (more() && performance.now() < at) await sleep(Math.min(100, at - performance.now()));
      if (!more()) break;
      const node = nodes[o.nodes === 1 ? 0 : 1 + Math.floor(random() * (o.nodes - 1))];
      const start = now();
      restarting = true;
      await node.server!.kill();
      const dead = node.server!;
      node.server = null;
      history.push({ n: ++n, client: 'chaos', node: node.index, kind: 'kill', start, end: now(), status: 0 });
      await sleep(200 + random() * 800);
      const restartAt = now();
      node.server = await startReferenceServer({ ...o.storage, port: node.port, hostToken: dead.hostToken });
      deadline += now() - start;
      restarting = false;
      history.push({ n: ++n, client: 'chaos', node: node.index, kind: 'restart', start: restartAt, end: now(), status: 0 });
      log(`node ${node.index} killed at ${start} ms, serving again at ${now()} ms`);
    }
  })();
  const sampler = (async () => {
    while (more()) {
      await sleep(300);
      const node = upNodes()[0];
      if (node) {
        const res = await call(node, 'GET', routes.host.sales(drop.id), { token: hostToken });
        const report = json(res) as SalesReport | undefined;
        if (res?.status === 200 && report && report.variants.every((v) => typeof v.stock === 'number'))
          samples.push({
            at: now(),
            source: 'sales',
            unbalanced: report.variants
              .filter((v) => v.available + v.held + v.sold !== v.stock)
              .map((v) => ({
                variant: `${v.productId}/${v.variantId}`,
                stock: v.stock,
                available: v.available,
                held: v.held,
                sold: v.sold,
              })),
          });
      }
      if (o.sampleSql) samples.push({ at: now(), source: 'sql', unbalanced: await o.sampleSql(drop.id) });
    }
  })();

  const traffic = Promise.all([...shopperClients, host]);
  const trafficMs = await traffic.then(
    () => now(),
    async (error) => {
      stopping = true;
      await Promise.allSettled([chaos, sampler]);
      await stopAll();
      throw error;
    },
  );
  stopping = true;
  await Promise.all([chaos, sampler]);
  // Every node serving, then every hold lapses and the sweeper returns it.
  for (const node of nodes) if (!node.server) node.server = await startReferenceServer({ ...o.storage, port: node.port, hostToken });
  await sleep(HOLD_MAX_MS + 1500);

  return {
    seed: o.seed,
    dropId: drop.id,
    history,
    samples,
    shoppers,
    knownStock,
    trafficMs,
    epoch0,
    nodes,
    hostToken,
    stop: stopAll,
  };
}
