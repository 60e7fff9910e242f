/** The waiting line: a shopper joins, reads and leaves their place; anyone reads the record of the draw; the host pauses admission. */
import type { Router } from '../http/router.js';
import { readJson } from '../http/request.js';
import { pathId, requireHost, requireShopper, shopperTokenOf } from './auth.js';
import type { Services } from './services.js';
import { pattern, routes } from '../../src/protocol/routes.js';

export function addLineRoutes(router: Router, services: Services): void {
  const { line } = services;

  router.add('POST', pattern(routes.line, 'dropId'), async ({ req, params }) => {
    const dropId = pathId(params, 'dropId');
    await services.limits.take('join', req);
    // The token's form here; whether it is a shopper's, in the join's batch (thousands join at the start).
    const token = shopperTokenOf(req);
    await readJson(req); // no body expected; an oversized or malformed one is still refused
    const joined = await line.join(dropId, token);
    return { status: joined.created ? 201 : 200, body: joined.place };
  });

  router.add('GET', pattern(routes.line, 'dropId'), async ({ req, params }) => {
    const dropId = pathId(params, 'dropId');
    return { status: 200, body: await line.place(dropId, await requireShopper(req, services)) };
  });

  router.add('DELETE', pattern(routes.line, 'dropId'), async ({ req, params }) => {
    const dropId = pathId(params, 'dropId');
    await line.leave(dropId, await requireShopper(req, services));
    return { status: 204 };
  });

  router.add('GET', pattern(routes.linePlaces, 'dropId'), async ({ params }) => ({
    status: 200,
    body: await line.record(pathId(params, 'dropId')),
  }));

  for (const [route, paused] of [
    [routes.host.linePause, true],
    [routes.host.lineResume, false],
  ] as const)
    router.add('POST', pattern(route, 'dropId'), async ({ req, params }) => {
      requireHost(req, services);
      return { status: 200, body: await line.setPaused(pathId(params, 'dropId'), paused) };
    });
}
