/** Shopper routes: reserve, read, cancel; and confirm, which only the site may (host token or confirm key). */
import { readJson } from '../http/request.js';
import type { Router } from '../http/router.js';
import type { Answer } from '../services/idempotency.js';
import { idempotencyKey, pathId, requireCaller, requireShopper, requireSite } from './auth.js';
import { parseReserveRequest } from './request-bodies.js';
import type { Services } from './services.js';

const answer = <T>(a: Answer<T>) => ({ status: a.status, body: a.body, headers: a.replayed ? { 'Idempotent-Replayed': 'true' } : ({} as Record<string, string>) });

export function addReservationRoutes(router: Router, services: Services): void {
  const { reservations } = services;

  router.add('POST', '/v1/drops/:dropId/reservations', async ({ req, params }) => {
    const dropId = pathId(params, 'dropId');
    await services.limits.take('reserve', req);
    const token = await requireShopper(req, services);
    const key = idempotencyKey(req);
    const request = parseReserveRequest(await readJson(req));
    return answer(await reservations.reserve(token, dropId, request, key, services.limits.clientIp(req)));
  });

  router.add('GET', '/v1/reservations/:id', async ({ req, params }) => {
    const caller = await requireCaller(req, services);
    return { status: 200, body: await reservations.get(caller, pathId(params, 'id')) };
  });

  router.add('DELETE', '/v1/reservations/:id', async ({ req, params }) => {
    const caller = await requireCaller(req, services);
    return { status: 200, body: await reservations.cancel(caller, pathId(params, 'id')) };
  });

  router.add('POST', '/v1/reservations/:id/confirm', async ({ req, params }) => {
    await requireSite(req, services);
    const key = idempotencyKey(req);
    await readJson(req); // no body expected; an oversized or malformed one is still refused
    return answer(await reservations.confirm(pathId(params, 'id'), key));
  });
}
