/** Host routes, all behind the host bearer token. */
import { readJson } from '../http/request.js';
import type { Router, RequestContext } from '../http/router.js';
import { pathId, requireHost } from './auth.js';
import { parseDropInput, parseDropPatch, parseFeatureInput, parseProductInput, parseStockInput } from './request-bodies.js';
import type { Services } from './services.js';
import { ProtocolError } from '../../src/protocol/parse.js';
import { pattern, routes } from '../../src/protocol/routes.js';

export function addHostRoutes(router: Router, services: Services): void {
  const { drops } = services;
  const host = (method: string, pattern: string, handle: (ctx: RequestContext) => Promise<{ status: number; body?: unknown }>) =>
    router.add(method, pattern, async (ctx) => {
      requireHost(ctx.req, services);
      return handle(ctx);
    });

  host('POST', pattern(routes.host.drops), async ({ req }) => {
    const drop = await drops.create(parseDropInput(await readJson(req)));
    return { status: 201, body: drop };
  });

  host('PATCH', pattern(routes.host.drop, 'dropId'), async ({ req, params }) => {
    const dropId = pathId(params, 'dropId');
    return { status: 200, body: await drops.patch(dropId, parseDropPatch(await readJson(req))) };
  });

  host('PUT', pattern(routes.host.product, 'dropId', 'productId'), async ({ req, params }) => {
    const dropId = pathId(params, 'dropId');
    const productId = pathId(params, 'productId');
    const input = parseProductInput(await readJson(req));
    if (input.id !== productId) throw new ProtocolError('body.id', `the product id of the path ("${productId}")`);
    return { status: 200, body: await drops.putProduct(dropId, input) };
  });

  host('PUT', pattern(routes.host.stock, 'dropId', 'productId', 'variantId'), async ({ req, params }) => {
    const available = parseStockInput(await readJson(req));
    return {
      status: 200,
      body: await drops.setStock(pathId(params, 'dropId'), pathId(params, 'productId'), pathId(params, 'variantId'), available),
    };
  });

  host('POST', pattern(routes.host.start, 'dropId'), async ({ params }) => ({
    status: 200,
    body: await drops.start(pathId(params, 'dropId')),
  }));
  host('POST', pattern(routes.host.end, 'dropId'), async ({ params }) => ({
    status: 200,
    body: await drops.end(pathId(params, 'dropId')),
  }));

  host('POST', pattern(routes.host.feature, 'dropId'), async ({ req, params }) => {
    const productId = parseFeatureInput(await readJson(req));
    return { status: 200, body: await drops.feature(pathId(params, 'dropId'), productId) };
  });

  host('GET', pattern(routes.host.sales, 'dropId'), async ({ params }) => ({
    status: 200,
    body: await services.sales.report(pathId(params, 'dropId')),
  }));
  host('GET', pattern(routes.host.reservations, 'dropId'), async ({ params }) => ({
    status: 200,
    body: await services.sales.reservations(pathId(params, 'dropId')),
  }));
}
