/**
 * Wires the layers together: storage → services → routes → HTTP server.
 * `main.ts` adds the process around it (config, signals, logging).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { ServerConfig } from './config.js';
import { createRateLimits } from './http/rate-limits.js';
import { createRequestHandler } from './http/request-handler.js';
import { Router } from './http/router.js';
import { addEventStreamRoute } from './routes/event-stream-route.js';
import { addHostRoutes } from './routes/host-routes.js';
import { addMediaRoutes } from './routes/media-routes.js';
import { addPublicRoutes } from './routes/public-routes.js';
import { addReservationRoutes } from './routes/reservation-routes.js';
import type { Services } from './routes/services.js';
import { demoDrop, DEMO_DROP_ID } from './services/demo-drop.js';
import { createDropService } from './services/drop-service.js';
import { createEventBus } from './services/event-bus.js';
import { startHousekeeping } from './services/housekeeping.js';
import { createReactionFeed } from './services/reaction-feed.js';
import { createReservationService } from './services/reservation-service.js';
import { createSalesService } from './services/sales-service.js';
import { createStatusScheduler, type StatusScheduler } from './services/status-scheduler.js';
import { createStockFeed } from './services/stock-feed.js';
import { createViewerPresence } from './services/viewer-presence.js';
import { openDatabase } from './storage/open-database.js';
import { createHlsStream } from './stream/hls-stream.js';

export interface App {
  server: Server;
  /** Stops accepting, ends open event streams, stops timers, closes the database. */
  close(): Promise<void>;
}

export async function startApp(config: ServerConfig): Promise<App> {
  const db = await openDatabase(config);
  const nodeId = randomBytes(6).toString('hex');
  const stream = createHlsStream();
  const bus = await createEventBus(db, { capacity: config.eventBuffer });
  const stock = createStockFeed(bus);
  let scheduler: StatusScheduler | null = null;
  const drops = createDropService({
    db,
    bus,
    stock,
    stream,
    defaultHoldMs: config.holdSeconds * 1000,
    onScheduleChanged: () => scheduler?.poke(),
  });
  const reservations = createReservationService(db, stock, {
    maxHoldsPerIp: config.maxHoldsPerIp,
    shopperTtlMs: config.shopperTtlSeconds * 1000,
  });
  const services: Services = {
    drops,
    reservations,
    sales: createSalesService(db, drops),
    reactions: createReactionFeed(bus),
    bus,
    viewers: createViewerPresence(db, bus, nodeId),
    hostToken: config.hostToken,
    confirmKey: config.confirmKey,
    limits: createRateLimits(config.rateLimits, config.trustProxy),
  };

  if (config.seedDemo || !(await drops.exists(DEMO_DROP_ID))) {
    const demo = demoDrop({
      startsAt: Date.now() + config.demoStartInSeconds * 1000,
      holdMs: config.holdSeconds * 1000,
      hls: stream.livePath(),
      poster: stream.posterPath(),
    });
    // Nodes starting together may race to create it; one winning is enough.
    await drops.replace(demo).catch(async (error) => {
      if (config.seedDemo || !(await drops.exists(DEMO_DROP_ID))) throw error;
    });
  }
  scheduler = createStatusScheduler(db, drops);
  const housekeeping = startHousekeeping(db, reservations);

  const router = new Router();
  const openStreams = new Set<() => void>();
  addPublicRoutes(router, services);
  addEventStreamRoute(router, services, openStreams, { heartbeatMs: config.heartbeatSeconds * 1000 });
  addReservationRoutes(router, services);
  addHostRoutes(router, services);
  addMediaRoutes(router);

  const server = createServer({ requestTimeout: 30_000, headersTimeout: 15_000, keepAliveTimeout: 5_000 }, createRequestHandler({ router, allowedOrigins: config.allowedOrigins, stream }));
  // Event streams live for hours: the request timeout must not cut them.
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });

  return {
    server,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const close of [...openStreams]) close();
      server.closeIdleConnections();
      // Requests under way get a moment to finish; then every socket goes.
      const grace = setTimeout(() => server.closeAllConnections(), 1000);
      closed.then(() => clearTimeout(grace));
      scheduler?.close();
      housekeeping.stop();
      services.reactions.close();
      await stock.close();
      await services.viewers.close().catch(() => {});
      await closed;
      await db.close();
    },
  };
}
