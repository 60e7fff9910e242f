/** Shopper routes: reserve, read, cancel; and confirm, which only the site may (host token or confirm key). */
import { problemFor } from '../http/problem.js';
import { readJson } from '../http/request.js';
import { metrics } from '../observability/metrics.js';
import type { Router } from '../http/router.js';
import type { Answer } from '../services/idempotency.js';
import { idempotencyKey, pathId, requireCaller, requireShopper, requireSite } from './auth.js';
import { parseReserveRequest } from './request-bodies.js';
import type { Services } from './services.js';
import { pattern, routes } from '../../src/protocol/routes.js';

const answer = <T>(a: Answer<T>) => ({
  status: a.status,
  body: a.body,
  headers: a.replayed ? { 'Idempotent-Replayed': 'true' } : ({} as Record<string, string>),
});

export function addReservationRoutes(router: Router, services: Services): void {
  const { reservations } = services;

  router.add('POST', pattern(routes.reservations, 'dropId'), async ({ req, params }) => {
    try {
      const dropId = pathId(params, 'dropId');
      await services.limits.take('reserve', req);
      const token = await requireShopper(req, services);
      const key = idempotencyKey(req);
      const request = parseReserveRequest(await readJson(req));
      const granted = await reservations.reserve(token, dropId, request, key, services.limits.clientIp(req));
      if (!granted.replayed) metrics.reservation('granted');
      return answer(granted);
    } catch (error) {
      // The refusal's problem code is the reason (a bug counts as `other`).
      metrics.reservation(problemFor(error)?.problem.code ?? 'other');
      throw error;
    }
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
    await requireSite(req, services);
    const key = idempotencyKey(req);
    await readJson(req); // no body expected; an oversized or malformed one is still refused
    const order = await reservations.confirm(pathId(params, 'id'), key);
    if (order.status === 201 && !order.replayed) metrics.confirmation();
    return answer(order);
  });
}
