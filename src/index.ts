/**
 * live-drop for applications: importing this module registers the elements
 * and exports the public API. Site owners use `dist/live-drop.js` through a
 * script tag instead.
 */
import './elements/drop-countdown/drop-countdown.js';
import './elements/drop-product-card/drop-product-card.js';
import './elements/live-drop-player/live-drop-player.js';

export { DropCountdown, type CountdownState } from './elements/drop-countdown/drop-countdown.js';
export { DropProductCard, type CardState } from './elements/drop-product-card/drop-product-card.js';
export { LiveDropPlayer, type PlayerState } from './elements/live-drop-player/live-drop-player.js';
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
