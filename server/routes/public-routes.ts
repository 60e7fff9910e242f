/** Routes anyone may call: time, drops, reactions, shopper sessions. */
import type { ServerTime, ShopperSession } from '../../src/protocol/types.js';
import { readJson } from '../http/request.js';
import { notFound } from '../services/domain-error.js';
import type { Router } from '../http/router.js';
import { pathId } from './auth.js';
import { parseReaction } from './request-bodies.js';
import type { Services } from './services.js';
import { pattern, routes } from '../../src/protocol/routes.js';

export function addPublicRoutes(router: Router, services: Services): void {
  router.add('GET', pattern(routes.time), () => ({ status: 200, body: { now: Date.now() } satisfies ServerTime }));

  router.add('GET', pattern(routes.drop, 'dropId'), async ({ params }) => ({
    status: 200,
    body: await services.drops.get(pathId(params, 'dropId')),
  }));

  router.add('POST', pattern(routes.reactions, 'dropId'), async ({ req, params }) => {
    const dropId = pathId(params, 'dropId');
    await services.limits.take('react', req);
    const kind = parseReaction(await readJson(req));
    if (!(await services.drops.exists(dropId))) throw notFound(`drop "${dropId}"`);
    services.reactions.add(dropId, kind);
    return { status: 202 };
  });

  router.add('POST', pattern(routes.shoppers), async ({ req }) => {
    await services.limits.take('shoppers', req);
    return { status: 201, body: { shopperToken: await services.reservations.createShopper() } satisfies ShopperSession };
  });
}
