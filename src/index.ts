/**
 * live-drop for applications: importing this module registers the countdown
 * and the card, loads `<live-drop-player>` lazily as the script-tag build does
 * (the first time the page contains one, see player-loader.ts), and exports the
 * public API. `live-drop/<tag>.js` registers one element instead. Site owners
 * use `dist/live-drop.js` through a script tag.
 */

export { DropCountdown, type CountdownState } from './elements/drop-countdown/drop-countdown.js';
export { DropProductCard, type CardState } from './elements/drop-product-card/drop-product-card.js';
export type { LiveDropPlayer, PlayerState } from './elements/live-drop-player/live-drop-player.js';
export { loadPlayer } from './player-loader.js';
export * from './protocol/types.js';
export { ProtocolError } from './protocol/parse.js';
export { configure, type LiveDropConfig } from './core/config.js';
export { ApiClient, ApiError, NetworkError, apiClient } from './core/api-client.js';
export { sendReaction } from './core/shopper-actions.js';
export { ServerClock, serverClock, serverNow } from './core/server-clock.js';
export { DropStore, dropStore, type ConnectionState } from './core/drop-store.js';
export { dropProduct, dropProducts, dropStatus, dropStock, featuredProduct, variantStock } from './core/drop-views.js';
export { ReservationStore, reservationStore, type Hold } from './core/reservation-store.js';
export type { DropEventDetails, DropEventName, LiveDropEvent } from './core/events.js';
export type { Strings } from './i18n/strings.js';
