/** The live chat: posting (shoppers, verified users, the host) and the host's moderation. */
import type { IncomingMessage } from 'node:http';
import type { ChatAuthor, ChatPost } from '../../src/protocol/chat.js';
import { pattern, routes } from '../../src/protocol/routes.js';
import { bearerToken, readJson } from '../http/request.js';
import type { RequestContext, Router } from '../http/router.js';
import { hostAuthor, shopperAuthor, verifiedAuthor } from '../services/chat-identity.js';
import { ProtocolError } from '../../src/protocol/parse.js';
import { pathId, requireHost, requireShopper, sameSecret } from './auth.js';
import { parseChatPost, parseChatSettingsPatch } from './request-bodies.js';
import type { Services } from './services.js';

/** The host token makes a host message; else a signed identity a verified one; else a shopper token with a chosen name. */
async function authorOf(req: IncomingMessage, post: ChatPost, services: Services): Promise<ChatAuthor> {
  const token = bearerToken(req);
  if (token && sameSecret(token, services.hostToken)) return hostAuthor(post.name);
  if (post.identity !== undefined) return verifiedAuthor(services.chatIdentitySecret, post.identity);
  const shopper = await requireShopper(req, services);
  if (post.name === undefined) throw new ProtocolError('body.name', 'a name of 1–40 characters (or an identity token)');
  return shopperAuthor(shopper, post.name);
}

export function addChatRoutes(router: Router, services: Services): void {
  const { chat } = services;
  router.add('GET', pattern(routes.chat, 'dropId'), async ({ params }) => ({
    status: 200,
    body: await chat.current(pathId(params, 'dropId')),
  }));

  router.add('POST', pattern(routes.chat, 'dropId'), async ({ req, params }) => {
    const dropId = pathId(params, 'dropId');
    const post = parseChatPost(await readJson(req));
    const author = await authorOf(req, post, services);
    if (author.mark !== 'host') await services.limits.take('chat', req, `${dropId}/${author.id}`);
    return { status: 201, body: await chat.post(dropId, author, post.text) };
  });

  const host = (
    method: string,
    path: string,
    handle: (ctx: RequestContext, dropId: string) => Promise<{ status: number; body?: unknown }>,
  ) =>
    router.add(method, path, async (ctx) => {
      requireHost(ctx.req, services);
      return handle(ctx, pathId(ctx.params, 'dropId'));
    });

  host('GET', pattern(routes.host.chat, 'dropId'), async (_, dropId) => ({ status: 200, body: await chat.moderation(dropId) }));
  host('PATCH', pattern(routes.host.chat, 'dropId'), async ({ req }, dropId) => ({
    status: 200,
    body: await chat.patch(dropId, parseChatSettingsPatch(await readJson(req))),
  }));
  host('DELETE', pattern(routes.host.chatMessage, 'dropId', 'messageId'), async ({ params }, dropId) => {
    await chat.remove(dropId, pathId(params, 'messageId'));
    return { status: 204 };
  });
  for (const [method, muted] of [
    ['PUT', true],
    ['DELETE', false],
  ] as const)
    host(method, pattern(routes.host.chatMute, 'dropId', 'authorId'), async ({ params }, dropId) => {
      await chat.mute(dropId, pathId(params, 'authorId'), muted);
      return { status: 204 };
    });
}
