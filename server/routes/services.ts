import type { ChatService } from '../services/chat-service.js';
import type { DropService } from '../services/drop-service.js';
import type { EventBus } from '../services/event-bus.js';
import type { LineService } from '../services/line-service.js';
import type { ReactionFeed } from '../services/reaction-feed.js';
import type { ReservationService } from '../services/reservation-service.js';
import type { SalesService } from '../services/sales-service.js';
import type { RateLimits } from '../http/rate-limits.js';
import type { ViewerPresence } from '../services/viewer-presence.js';

/** What the routes may call: services only, never storage. */
export interface Services {
  drops: DropService;
  reservations: ReservationService;
  line: LineService;
  sales: SalesService;
  reactions: ReactionFeed;
  bus: EventBus;
  viewers: ViewerPresence;
  hostToken: string;
  /** The confirm-only key of the site's checkout server, when one is configured. */
  confirmKey: string | null;
  limits: RateLimits;
  chat: ChatService;
  /** Secret of the site's signed chat identities, when one is configured. */
  chatIdentitySecret: string | null;
}
