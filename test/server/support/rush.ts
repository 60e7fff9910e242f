/**
 * The rush: hundreds of distinct shoppers reserve the same few variants at
 * once. Afterwards reserved + remaining must equal the initial stock exactly,
 * per variant, with nothing below zero and every refusal a 409 problem.
 */
import assert from 'node:assert/strict';
import type { Api } from './api-client.js';
import { tee } from './api-client.js';
import type { Variant } from '../../../src/protocol/types.js';
import { loopbackAddress } from '../../support/loopback.js';

export const RUSH_STOCK = { s: 7, m: 5, l: 3, xl: 1 };

export async function rush(apis: Api[], { shoppers = 300 } = {}) {
  const [host] = apis;
  const dropId = await host.createDrop({ products: [tee('tee', RUSH_STOCK, { limitPerCustomer: 2 })] });
  const variants = Object.keys(RUSH_STOCK);
  const tokens: string[] = [];
  // Each shopper has a source address of its own cycle (shopper i comes from loopbackAddress(i)), as in the field.
  for (let i = 0; i < shoppers; i += 50)
    tokens.push(
      ...(await Promise.all(Array.from({ length: Math.min(50, shoppers - i) }, (_, j) => host.newShopper(loopbackAddress(i + j))))),
    );

  const started = Date.now();
  const answers = await Promise.all(
    tokens.map((token, i) => {
      const variantId = variants[i % variants.length];
      const quantity = 1 + (i % 2);
      return apis[i % apis.length]
        .call('POST', `/v1/drops/${dropId}/reservations`, {
          token,
          body: { productId: 'tee', variantId, quantity },
          from: loopbackAddress(i),
        })
        .then((res) => ({ res, variantId, quantity }));
    }),
  );
  const elapsedMs = Date.now() - started;

  const reserved: Record<string, number> = Object.fromEntries(variants.map((v) => [v, 0]));
  for (const { res, variantId, quantity } of answers) {
    if (res.status === 201) reserved[variantId] += quantity;
    else {
      assert.equal(res.status, 409, `a refusal, not an error: ${JSON.stringify(res.body)}`);
      assert.ok(['sold-out', 'insufficient-stock'].includes(res.body.code), res.body.code);
    }
  }
  const drop = (await host.call('GET', `/v1/drops/${dropId}`)).body;
  const remaining: Record<string, number> = Object.fromEntries(drop.products[0].variants.map((v: Variant) => [v.id, v.available]));
  for (const v of variants) {
    assert.ok(remaining[v] >= 0, `${v} is not negative`);
    assert.equal(
      reserved[v] + remaining[v],
      RUSH_STOCK[v as keyof typeof RUSH_STOCK],
      `${v}: reserved ${reserved[v]} + remaining ${remaining[v]}`,
    );
  }
  const sales = (await host.host('GET', `/v1/host/drops/${dropId}/sales`)).body;
  for (const row of sales.variants) assert.equal(row.held, reserved[row.variantId], `sales report agrees for ${row.variantId}`);
  return { dropId, answers: answers.length, accepted: answers.filter((a) => a.res.status === 201).length, elapsedMs };
}
