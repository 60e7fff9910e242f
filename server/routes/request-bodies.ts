/**
 * Request bodies checked with the protocol's own primitives: whatever passes
 * is a well-typed value; whatever fails is a ProtocolError naming the field,
 * which the HTTP layer answers as 422 `validation-failed`.
 */
import { arr, id, int, MAX_PRODUCTS, nullable, obj, oneOf, parseMoney, ProtocolError, str, time } from '../../src/protocol/parse.js';
import {
  REACTION_KINDS,
  type DropInput,
  type DropStream,
  type ProductImage,
  type ProductInput,
  type QueueSettings,
  type ReactionKind,
  type ReserveRequest,
  type VariantInput,
} from '../../src/protocol/types.js';
import type { DropPatch } from '../services/drop-service.js';
import {
  CHAT_MESSAGE_MAX,
  CHAT_NAME_MAX,
  CHAT_SLOW_MODE_MAX,
  chatText,
  type ChatPost,
  type ChatSettingsPatch,
} from '../../src/protocol/chat.js';

const body = (v: unknown) => obj(v, 'body');
/**
 * A URL the elements load or open: absolute http(s), or relative to the
 * backend (`media/tee.svg`), which is how the elements resolve it. Anything
 * else (`javascript:`, `data:`) is refused here, not only in each client.
 */
function url(v: unknown, path: string): string {
  const text = str(v, path, { min: 1, max: 2048 });
  let protocol = '';
  try {
    protocol = new URL(text, 'http://backend.invalid/').protocol;
  } catch {
    // unparseable: refused below
  }
  if (protocol !== 'http:' && protocol !== 'https:') throw new ProtocolError(path, 'an http(s) URL or a path relative to the backend');
  return text;
}
const urlOrNull = (v: unknown, path: string) => (v === null ? null : url(v, path));
const holdMs = (v: unknown, path: string) => int(v, path, { min: 1000, max: 86_400_000 });

function unique<T extends { id: string }>(items: T[], path: string): T[] {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) throw new ProtocolError(`${path}[${i}].id`, `an id not used earlier in ${path}`);
    seen.add(item.id);
  });
  return items;
}

function variantInput(v: unknown, path: string): VariantInput {
  const o = obj(v, path);
  return {
    id: id(o.id, `${path}.id`),
    label: str(o.label, `${path}.label`, { min: 1, max: 40 }),
    stock: int(o.stock, `${path}.stock`, { min: 0, max: 1_000_000 }),
  };
}

function image(v: unknown, path: string): ProductImage {
  const o = obj(v, path);
  return { url: url(o.url, `${path}.url`), alt: str(o.alt ?? '', `${path}.alt`, { max: 500 }) };
}

export function parseProductInput(v: unknown, path = 'body'): ProductInput {
  const o = obj(v, path);
  const prices = arr(o.prices, `${path}.prices`, parseMoney, 20);
  if (prices.length === 0) throw new ProtocolError(`${path}.prices`, 'at least one price');
  const variants = unique(arr(o.variants, `${path}.variants`, variantInput, 100), `${path}.variants`);
  if (variants.length === 0) throw new ProtocolError(`${path}.variants`, 'at least one variant');
  return {
    id: id(o.id, `${path}.id`),
    title: str(o.title, `${path}.title`, { min: 1, max: 200 }),
    description: str(o.description ?? '', `${path}.description`, { max: 5000 }),
    images: arr(o.images ?? [], `${path}.images`, image, 20),
    prices,
    variants,
    limitPerCustomer:
      o.limitPerCustomer === undefined ? undefined : int(o.limitPerCustomer, `${path}.limitPerCustomer`, { min: 1, max: 1000 }),
  };
}

function streamInput(v: unknown, path: string): Partial<DropStream> {
  const o = obj(v, path);
  const out: Partial<DropStream> = {};
  for (const key of ['hls', 'replay', 'poster'] as const) if (o[key] !== undefined) out[key] = urlOrNull(o[key], `${path}.${key}`);
  return out;
}

/** A line's settings; absent ones keep their value (or the default). `admitPerSecond` null: admission follows stock. */
function queueInput(v: unknown, path: string): Partial<QueueSettings> {
  const o = obj(v, path);
  const out: Partial<QueueSettings> = {};
  if (o.joinWindowMs !== undefined) out.joinWindowMs = int(o.joinWindowMs, `${path}.joinWindowMs`, { min: 0, max: 7 * 86_400_000 });
  if (o.graceMs !== undefined) out.graceMs = int(o.graceMs, `${path}.graceMs`, { min: 0, max: 3_600_000 });
  if (o.passMs !== undefined) out.passMs = int(o.passMs, `${path}.passMs`, { min: 1000, max: 3_600_000 });
  if (o.admitPerSecond !== undefined) {
    const rate = o.admitPerSecond;
    if (rate !== null && !(typeof rate === 'number' && rate >= 0.01 && rate <= 100_000))
      throw new ProtocolError(`${path}.admitPerSecond`, 'null (follow stock) or a number from 0.01 to 100000');
    out.admitPerSecond = rate;
  }
  return out;
}

/** The fields shared by create and patch; absent fields stay undefined. */
function dropFields(o: Record<string, unknown>): DropPatch {
  const patch: DropPatch = {};
  if (o.title !== undefined) patch.title = str(o.title, 'body.title', { min: 1, max: 200 });
  if (o.brand !== undefined) patch.brand = str(o.brand, 'body.brand', { max: 200 });
  if (o.description !== undefined) patch.description = str(o.description, 'body.description', { max: 5000 });
  if (o.startsAt !== undefined) patch.startsAt = time(o.startsAt, 'body.startsAt');
  if (o.endsAt !== undefined) patch.endsAt = nullable(o.endsAt, 'body.endsAt', time);
  if (o.stream !== undefined) patch.stream = streamInput(o.stream, 'body.stream');
  if (o.checkoutUrl !== undefined) patch.checkoutUrl = urlOrNull(o.checkoutUrl, 'body.checkoutUrl');
  if (o.holdMs !== undefined) patch.holdMs = holdMs(o.holdMs, 'body.holdMs');
  if (o.queue !== undefined) patch.queue = o.queue === null ? null : queueInput(o.queue, 'body.queue');
  if (patch.startsAt !== undefined && patch.endsAt != null && patch.endsAt <= patch.startsAt)
    throw new ProtocolError('body.endsAt', 'a time after startsAt');
  return patch;
}

export function parseDropInput(v: unknown): DropInput {
  const o = body(v);
  const fields = dropFields(o);
  return {
    ...fields,
    id: o.id === undefined ? undefined : id(o.id, 'body.id'),
    title: str(o.title, 'body.title', { min: 1, max: 200 }),
    startsAt: time(o.startsAt, 'body.startsAt'),
    products: unique(arr(o.products, 'body.products', parseProductInput, MAX_PRODUCTS), 'body.products'),
  };
}

export function parseDropPatch(v: unknown): DropPatch {
  const o = body(v);
  if (o.products !== undefined) throw new ProtocolError('body.products', 'no products (PUT each product instead)');
  if (o.id !== undefined) throw new ProtocolError('body.id', 'no id (ids cannot change)');
  return dropFields(o);
}

export function parseReserveRequest(v: unknown): ReserveRequest {
  const o = body(v);
  return {
    productId: id(o.productId, 'body.productId'),
    variantId: id(o.variantId, 'body.variantId'),
    quantity: int(o.quantity ?? 1, 'body.quantity', { min: 1, max: 1000 }),
  };
}

export function parseStockInput(v: unknown): number {
  return int(body(v).available, 'body.available', { min: 0, max: 1_000_000 });
}

export function parseFeatureInput(v: unknown): string | null {
  const o = body(v);
  if (!('productId' in o)) throw new ProtocolError('body.productId', 'a product id or null');
  return nullable(o.productId, 'body.productId', id);
}

export function parseReaction(v: unknown): ReactionKind {
  return oneOf(body(v).kind, 'body.kind', REACTION_KINDS);
}

/** `POST /v1/drops/:dropId/chat`: the text, and a chosen name or a signed identity. */
export function parseChatPost(v: unknown): ChatPost {
  const o = body(v);
  return {
    text: chatText(o.text, 'body.text', CHAT_MESSAGE_MAX),
    ...(o.name === undefined ? {} : { name: chatText(o.name, 'body.name', CHAT_NAME_MAX) }),
    ...(o.identity === undefined ? {} : { identity: str(o.identity, 'body.identity', { min: 1, max: 4096 }) }),
  };
}

/** `PATCH /v1/host/drops/:dropId/chat`: any subset of the settings. */
export function parseChatSettingsPatch(v: unknown): ChatSettingsPatch {
  const o = body(v);
  const patch: ChatSettingsPatch = {};
  if (o.enabled !== undefined) {
    if (typeof o.enabled !== 'boolean') throw new ProtocolError('body.enabled', 'true or false');
    patch.enabled = o.enabled;
  }
  if (o.slowModeSeconds !== undefined)
    patch.slowModeSeconds = int(o.slowModeSeconds, 'body.slowModeSeconds', { min: 0, max: CHAT_SLOW_MODE_MAX });
  if (o.blockedTerms !== undefined) patch.blockedTerms = arr(o.blockedTerms, 'body.blockedTerms', (t, path) => chatText(t, path, 100), 500);
  if (o.pinnedMessageId !== undefined) patch.pinnedMessageId = nullable(o.pinnedMessageId, 'body.pinnedMessageId', id);
  return patch;
}
