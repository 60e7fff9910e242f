/**
 * The HTTP surface of protocol v1, relative to the backend URL (which may
 * carry a path prefix, e.g. `https://shop.example/api/drops`). Client and
 * server both build paths from here. Ids are percent-encoded.
 *
 * Public (CORS for configured origins):
 *   GET    /v1/time                                  → ServerTime
 *   GET    /v1/drops/:dropId                         → Drop
 *   GET    /v1/drops/:dropId/events                  → text/event-stream (DropEventMap); honours Last-Event-ID header or ?lastEventId=
 *   POST   /v1/drops/:dropId/reactions               { kind: ReactionKind } → 202
 *   POST   /v1/shoppers                              → 201 ShopperSession
 *   GET    /v1/drops/:dropId/chat                    → ChatState (the newest 50 messages and the settings)
 *   POST   /v1/drops/:dropId/chat                    ChatPost → 201 ChatMessage (shopper, identity or host token; see chat.ts)
 *   GET    /v1/drops/:dropId/line/places             → LineRecord (the public record of the draw)
 * Shopper (Authorization: Bearer <shopperToken>; reserve takes Idempotency-Key):
 *   POST   /v1/drops/:dropId/reservations            ReserveRequest → 201 Reservation
 *   GET    /v1/reservations/:id                      → Reservation
 *   DELETE /v1/reservations/:id                      → Reservation (status released)
 *   POST   /v1/drops/:dropId/line                    → 201 LinePlace (joined; 200 when already in)
 *   GET    /v1/drops/:dropId/line                    → LinePlace
 *   DELETE /v1/drops/:dropId/line                    → 204 (left: the pass, if any, ends)
 * Site (Authorization: Bearer <hostToken or confirm key>; takes Idempotency-Key; a shopper token gets 403):
 *   POST   /v1/reservations/:id/confirm              → 201 Order
 * Host (Authorization: Bearer <hostToken>):
 *   POST   /v1/host/drops                            DropInput → 201 Drop
 *   PATCH  /v1/host/drops/:dropId                    Partial<DropInput> (no products) → Drop
 *   PUT    /v1/host/drops/:dropId/products/:productId ProductInput → Product
 *   PUT    /v1/host/drops/:dropId/products/:productId/variants/:variantId/stock  { available } → Variant
 *   POST   /v1/host/drops/:dropId/start              → Drop (status live; startsAt = now if it was later)
 *   POST   /v1/host/drops/:dropId/end                → Drop (status ended; endsAt = now)
 *   POST   /v1/host/drops/:dropId/feature            { productId: string | null } → FeaturedProduct | null
 *   GET    /v1/host/drops/:dropId/sales              → SalesReport
 *   GET    /v1/host/drops/:dropId/reservations       → Reservation[] (newest first, at most 200)
 *   GET    /v1/host/drops/:dropId/chat               → ChatModeration
 *   PATCH  /v1/host/drops/:dropId/chat               ChatSettingsPatch → ChatModeration
 *   DELETE /v1/host/drops/:dropId/chat/messages/:messageId → 204
 *   PUT    /v1/host/drops/:dropId/chat/mutes/:authorId → 204 (mute)
 *   DELETE /v1/host/drops/:dropId/chat/mutes/:authorId → 204 (unmute)
 *   POST   /v1/host/drops/:dropId/line/pause         → DropQueue (admission paused)
 *   POST   /v1/host/drops/:dropId/line/resume        → DropQueue
 */
const e = encodeURIComponent;

/** The routes the browser calls (the script-tag bundle carries only these). */
export const clientRoutes = {
  time: () => '/v1/time',
  drop: (dropId: string) => `/v1/drops/${e(dropId)}`,
  events: (dropId: string) => `/v1/drops/${e(dropId)}/events`,
  reactions: (dropId: string) => `/v1/drops/${e(dropId)}/reactions`,
  shoppers: () => '/v1/shoppers',
  reservations: (dropId: string) => `/v1/drops/${e(dropId)}/reservations`,
  reservation: (id: string) => `/v1/reservations/${e(id)}`,
} as const;

/** The chat's route, for `<drop-chat>`'s lazy chunk (not in the script-tag module). */
export const chatRoutes = {
  chat: (dropId: string) => `/v1/drops/${e(dropId)}/chat`,
} as const;

/**
 * Every route: the client's, and `host` for the host API (the server's tests, admin tools and benches).
 * Built in a pure-marked call: a bare object with spreads stays in a bundle that never reads it (a spread may run
 * getters), and the script-tag module does not.
 */
export const routes = /* @__PURE__ */ (() =>
  ({
    ...clientRoutes,
    ...chatRoutes,
    /** Only the site's server calls it (host token or confirm key): never in the browser bundle. */
    confirm: (id: string) => `/v1/reservations/${e(id)}/confirm`,
    /** A shopper's place in the line (in the line's lazy chunk, not the script-tag module). */
    line: (dropId: string) => `/v1/drops/${e(dropId)}/line`,
    /** The public record of a line's draw (verify-draw reads it). */
    linePlaces: (dropId: string) => `/v1/drops/${e(dropId)}/line/places`,
    host: {
      drops: () => '/v1/host/drops',
      drop: (dropId: string) => `/v1/host/drops/${e(dropId)}`,
      product: (dropId: string, productId: string) => `/v1/host/drops/${e(dropId)}/products/${e(productId)}`,
      stock: (dropId: string, productId: string, variantId: string) =>
        `/v1/host/drops/${e(dropId)}/products/${e(productId)}/variants/${e(variantId)}/stock`,
      start: (dropId: string) => `/v1/host/drops/${e(dropId)}/start`,
      end: (dropId: string) => `/v1/host/drops/${e(dropId)}/end`,
      feature: (dropId: string) => `/v1/host/drops/${e(dropId)}/feature`,
      sales: (dropId: string) => `/v1/host/drops/${e(dropId)}/sales`,
      reservations: (dropId: string) => `/v1/host/drops/${e(dropId)}/reservations`,
      chat: (dropId: string) => `/v1/host/drops/${e(dropId)}/chat`,
      chatMessage: (dropId: string, messageId: string) => `/v1/host/drops/${e(dropId)}/chat/messages/${e(messageId)}`,
      chatMute: (dropId: string, authorId: string) => `/v1/host/drops/${e(dropId)}/chat/mutes/${e(authorId)}`,
      linePause: (dropId: string) => `/v1/host/drops/${e(dropId)}/line/pause`,
      lineResume: (dropId: string) => `/v1/host/drops/${e(dropId)}/line/resume`,
    },
  }) as const)();

/**
 * A route as the server's router matches it, built by the same function the
 * client calls, with `:name` for each id: `pattern(routes.drop, 'dropId')` is
 * `/v1/drops/:dropId`. So a route changes in one place, for both sides.
 */
export function pattern<Ids extends string[]>(route: (...ids: Ids) => string, ...names: Ids): string {
  return route(...(names.map((name) => `:${name}`) as Ids)).replaceAll('%3A', ':');
}

/** Joins a backend URL (with or without trailing slash or path prefix) and a route path. */
export function joinUrl(backend: string, path: string): string {
  return backend.replace(/\/+$/, '') + path;
}

/** Response header carrying the server's clock on every answer (ms since epoch). */
export const SERVER_TIME_HEADER = 'X-Server-Time';
