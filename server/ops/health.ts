/**
 * GET /healthz and GET /readyz, for load balancers and orchestrators.
 *
 * - /healthz: the process is alive and its event loop answers. Always 200,
 *   draining or not (a liveness probe must not kill a node that drains).
 * - /readyz: 200 only when the database answers a cheap query, every
 *   migration is applied, the PostgreSQL LISTEN connection is up and the
 *   node is not draining; otherwise 503 with the failing checks.
 *
 * They are answered before CORS, the drain gate and any rate limit, and a
 * burst of probes shares one database round trip (results live for 1 s).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson as send } from '../http/respond.js';
import type { Database } from '../storage/database.js';
import { migrationFiles } from '../storage/migrate.js';
import { schemaVersion } from '../storage/ops-store.js';
import type { Drain } from './drain.js';

export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';

type Check = 'ok' | string;
export interface Readiness {
  status: 'ready' | 'unready';
  checks: { database: Check; migrations: Check; listener: Check; draining: boolean };
}

export function createHealth(db: Database, drain: Drain, { timeoutMs = 2000, cacheMs = 1000 } = {}) {
  const latest = Math.max(0, ...migrationFiles().map((m) => m.version));
  let cached: { at: number; result: Promise<Omit<Readiness['checks'], 'draining'>> } | null = null;

  async function probeDatabase(): Promise<Omit<Readiness['checks'], 'draining'>> {
    const listener = db.listening?.() === false ? 'down: reconnecting' : 'ok';
    let timer: NodeJS.Timeout | undefined;
    try {
      const version = await Promise.race([
        schemaVersion(db),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs))),
      ]);
      return { database: 'ok', migrations: version >= latest ? 'ok' : `at version ${version}, expected ${latest}`, listener };
    } catch (error) {
      return { database: `unreachable: ${(error as Error).message}`, migrations: 'unknown', listener };
    } finally {
      clearTimeout(timer);
    }
  }

  async function readiness(): Promise<Readiness> {
    if (!cached || Date.now() - cached.at > cacheMs) cached = { at: Date.now(), result: probeDatabase() };
    const checks = { ...(await cached.result), draining: drain.draining };
    const ready = checks.database === 'ok' && checks.migrations === 'ok' && checks.listener === 'ok' && !checks.draining;
    return { status: ready ? 'ready' : 'unready', checks };
  }

  /** Answers the request when it is a health path; false otherwise. */
  function handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> | false {
    if (pathname !== HEALTH_PATH && pathname !== READY_PATH) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, { status: 'method-not-allowed' }, { Allow: 'GET, HEAD' });
      return Promise.resolve();
    }
    if (pathname === HEALTH_PATH) {
      send(res, 200, { status: 'ok' });
      return Promise.resolve();
    }
    return readiness().then((r) => send(res, r.status === 'ready' ? 200 : 503, r));
  }

  return { handle, readiness };
}

export type Health = ReturnType<typeof createHealth>;
