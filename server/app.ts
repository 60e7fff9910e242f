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
import { lifecycleLog, log } from './observability/logger.js';
import { enableMetrics } from './observability/metrics.js';
import { startMetricsServer } from './observability/metrics-server.js';
import { createDrain } from './ops/drain.js';
import { createHealth } from './ops/health.js';
import { addChatRoutes } from './routes/chat-routes.js';
import { addEventStreamRoute, type CloseStream } from './routes/event-stream-route.js';
import { addHostRoutes } from './routes/host-routes.js';
import { addLineRoutes } from './routes/line-routes.js';
import { addMediaRoutes } from './routes/media-routes.js';
import { addPublicRoutes } from './routes/public-routes.js';
import { addReservationRoutes } from './routes/reservation-routes.js';
import type { Services } from './routes/services.js';
import { demoDrop, DEMO_DROP_ID } from './services/demo-drop.js';
import { createChatService } from './services/chat-service.js';
import { createDropService } from './services/drop-service.js';
import { createEventBus } from './services/event-bus.js';
import { startHousekeeping } from './services/housekeeping.js';
import { createLineService } from './services/line-service.js';
import { createReactionFeed } from './services/reaction-feed.js';
import { createReservationService } from './services/reservation-service.js';
import { createSalesService } from './services/sales-service.js';
import { createStatusScheduler, type StatusScheduler } from './services/status-scheduler.js';
import { createStockFeed } from './services/stock-feed.js';
import { createViewerPresence } from './services/viewer-presence.js';
import { openDatabase } from './storage/open-database.js';
import { activeHolds } from './storage/ops-store.js';
import { createHlsStream } from './stream/hls-stream.js';

export interface App {
  server: Server;
  /** The Prometheus endpoint's server, when `metricsPort` is set. */
  metricsServer: Server | null;
  /** Stops accepting, ends open event streams, stops timers, closes the database. */
  close(): Promise<void>;
  /**
   * The graceful stop (SIGTERM): unready and refusing new requests at once,
   * event streams told to reconnect (elsewhere), requests under way finished
   * (waiting at most about `deadlineMs` minus a margin for closing), then `close()`.
   */
  drain(deadlineMs: number): Promise<void>;
}

export async function startApp(config: ServerConfig): Promise<App> {
  const db = await openDatabase(config);
  if (config.metricsPort !== null) enableMetrics({ activeHolds: () => activeHolds(db, Date.now()), pool: () => db.poolStats?.() ?? null });
  const nodeId = randomBytes(6).toString('hex');
  // Replays only of real shows: the stream asks the drops (made below) whether a window was one.
  const stream = createHlsStream({ isShow: (fromMs, toMs) => drops.isShowWindow(fromMs, toMs) });
  const bus = await createEventBus(db, { capacity: config.eventBuffer });
  const stock = createStockFeed(db, bus);
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
    batching: config.reservationBatching,
    maxHoldsPerIp: config.maxHoldsPerIp,
    shopperTtlMs: config.shopperTtlSeconds * 1000,
  });
  const services: Services = {
    drops,
    reservations,
    line: createLineService(db, bus, { shopperTtlMs: config.shopperTtlSeconds * 1000 }),
    sales: createSalesService(db, drops),
    reactions: createReactionFeed(bus),
    bus,
    viewers: createViewerPresence(db, bus, nodeId),
    hostToken: config.hostToken,
    confirmKey: config.confirmKey,
    limits: createRateLimits(config.rateLimits, config.trustProxy),
    chat: createChatService(db, bus, { drops }),
    chatIdentitySecret: config.chatIdentitySecret,
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
  const housekeeping = startHousekeeping(db, reservations, {
    chatRetentionMs: config.chatRetentionDays === null ? null : config.chatRetentionDays * 86_400_000,
  });

  const router = new Router();
  const openStreams = new Set<CloseStream>();
  addPublicRoutes(router, services);
  addEventStreamRoute(router, services, openStreams, { heartbeatMs: config.heartbeatSeconds * 1000 });
  addReservationRoutes(router, services);
  addLineRoutes(router, services);
  addHostRoutes(router, services);
  addChatRoutes(router, services);
  addMediaRoutes(router);

  const drain = createDrain();
  const health = createHealth(db, drain);
  // Node's requestTimeout covers receiving the request, headers and body, not sending the answer:
  // an event stream's GET is received once its headers are, so the stream lives on for hours,
  // while a body that never finishes is cut (408) instead of holding a socket forever.
  const requestTimeout = config.requestTimeoutSeconds * 1000;
  const server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(15_000, requestTimeout),
      keepAliveTimeout: 5_000,
      // How often Node looks for requests past their time: its default (30 s) unless the timeout is shorter (tests).
      ...(requestTimeout < 30_000 ? { connectionsCheckingInterval: Math.max(250, requestTimeout / 4) } : {}),
    },
    createRequestHandler({ router, allowedOrigins: config.allowedOrigins, stream, health, drain }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const metricsServer =
    config.metricsPort === null
      ? null
      : await startMetricsServer(config.metricsPort, config.metricsHost).catch(async (error) => {
          await new Promise((resolve) => server.close(resolve));
          throw error;
        });

  const app: App = {
    server,
    metricsServer,
    async drain(deadlineMs) {
      drain.start();
      const streams = openStreams.size;
      // Spread over a second, so that the viewers do not all land on the other nodes in the same instant.
      const moveStreams = () => [...openStreams].forEach((close) => close(500 + Math.random() * 1000));
      moveStreams();
      // Idle keep-alive connections stay open: a request that arrives on one now gets a clear 503 (with
      // Connection: close), where closing them could cut a request the server has not finished reading.
      const budget = Math.max(deadlineMs / 2, deadlineMs - 2000);
      lifecycleLog().info(
        { streams, inFlight: drain.inFlight, deadlineMs },
        'draining: unready, event streams told to reconnect, waiting for requests under way',
      );
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        drain.idle().then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), budget))),
      ]);
      clearTimeout(timer);
      if (!finished) log.warn({ inFlight: drain.inFlight }, 'draining: requests still under way at the deadline; closing them');
      // Streams whose set-up was under way when the drain began.
      moveStreams();
      await app.close();
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const close of [...openStreams]) close();
      server.closeIdleConnections();
      // Requests under way get a moment to finish; then every socket goes.
      const grace = setTimeout(() => server.closeAllConnections(), 1000);
      closed.then(() => clearTimeout(grace));
      scheduler?.close();
      housekeeping.stop();
      services.line.close();
      services.reactions.close();
      await services.chat.close();
      await stock.close();
      await services.viewers.close().catch(() => {});
      await closed;
      if (metricsServer) await new Promise((resolve) => metricsServer.close(resolve));
      await db.close();
    },
  };
  return app;
}
