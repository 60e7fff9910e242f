/**
 * The demo shop's checkout endpoint, `POST /checkout`: what a site's own
 * server does after payment. The page sends the ids of its held reservations
 * and the shopper's token; this server checks with the backend that the
 * shopper holds each one (their token may read their own holds), "takes the
 * payment" (nothing is charged in the demo) and confirms each hold with the
 * host token, which only this server knows. Confirming needs that token, so
 * a browser, or a script playing one, cannot turn holds into sales itself.
 *
 *   POST /checkout  { shopperToken, reservationIds: string[] }
 *   → 200 { results: [{ reservationId, status: 'confirmed' | 'not-held' | 'failed' }] }
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { joinUrl, routes } from '../src/protocol/routes.js';

export interface CheckoutConfig {
  backend: string;
  /** Kept here, on the server: never sent to a page. */
  hostToken: string;
}

type Outcome = 'confirmed' | 'not-held' | 'failed';

export async function handleCheckout(req: IncomingMessage, res: ServerResponse, config: CheckoutConfig): Promise<void> {
  const reply = (status: number, body: unknown) =>
    void res
      .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
      .end(JSON.stringify(body));
  let input: { shopperToken?: unknown; reservationIds?: unknown };
  try {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > 16_384) return reply(413, { error: 'body too large' });
      chunks.push(chunk);
    }
    input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return reply(400, { error: 'expected JSON { shopperToken, reservationIds }' });
  }
  const { shopperToken, reservationIds } = input ?? {};
  const ids = Array.isArray(reservationIds) ? reservationIds.filter((id): id is string => typeof id === 'string').slice(0, 20) : [];
  if (typeof shopperToken !== 'string' || ids.length === 0) return reply(400, { error: 'expected JSON { shopperToken, reservationIds }' });

  const results: { reservationId: string; status: Outcome }[] = [];
  for (const reservationId of ids) results.push({ reservationId, status: await confirmOwnHold(config, shopperToken, reservationId) });
  reply(200, { results });
}

async function confirmOwnHold(config: CheckoutConfig, shopperToken: string, reservationId: string): Promise<Outcome> {
  try {
    // The shopper's own token reads the hold: a reservation of someone else reads as missing.
    const own = await fetch(joinUrl(config.backend, routes.reservation(reservationId)), {
      headers: { authorization: `Bearer ${shopperToken}` },
    });
    if (!own.ok || (await own.json()).status !== 'held') return 'not-held';
    // A real shop charges the shopper here, then confirms: with the host token, and one idempotency key per order.
    const confirmed = await fetch(joinUrl(config.backend, routes.confirm(reservationId)), {
      method: 'POST',
      headers: { authorization: `Bearer ${config.hostToken}`, 'idempotency-key': `demo-order-${randomUUID()}` },
    });
    if (confirmed.ok) return 'confirmed';
    return confirmed.status === 409 ? 'not-held' : 'failed';
  } catch {
    return 'failed';
  }
}
