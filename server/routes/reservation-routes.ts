/** Shopper routes: reserve, read, cancel, confirm (the last also for the host). */
import { readJson } from '../http/request.js';
import type { Router } from '../http/router.js';
import type { Answer } from '../services/idempotency.js';
import { idempotencyKey, pathId, requireCaller, requireShopper } from './auth.js';
import { parseReserveRequest } from './request-bodies.js';
import type { Services } from './services.js';
import { pattern, routes } from '../../src/protocol/routes.js';

const answer = <T>(a: Answer<T>) => ({ status: a.status, body: a.body, headers: a.replayed ? { 'Idempotent-Replayed': 'true' } : ({} as Record<string, string>) });

export function addReservationRoutes(router: Router, services: Services): void {
  const { reservations } = services;

  router.add('POST', pattern(routes.reservations, 'dropId'), async ({ req, params }) => {
    const dropId = pathId(params, 'dropId');
    const token = await requireShopper(req, services);
    const key = idempotencyKey(req);
    const request = parseReserveRequest(await readJson(req));
    return answer(await reservations.reserve(token, dropId, request, key));
  });

  router.add('GET', pattern(routes.reservation, 'id'), async ({ req, params }) => {
    const caller = await requireCaller(req, services);
    return { status: 200, body: await reservations.get(caller, pathId(params, 'id')) };
  });

  router.add('DELETE', pattern(routes.reservation, 'id'), async ({ req, params }) => {
    const caller = await requireCaller(req, services);
    return { status: 200, body: await reservations.cancel(caller, pathId(params, 'id')) };
  });

  router.add('POST', pattern(routes.confirm, 'id'), async ({ req, params }) => {
    const caller = await requireCaller(req, services);
    const key = idempotencyKey(req);
    await readJson(req); // no body expected; an oversized or malformed one is still refused
    return answer(await reservations.confirm(caller, pathId(params, 'id'), key));
  });
}
