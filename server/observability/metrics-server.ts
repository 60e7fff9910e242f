/**
 * The Prometheus endpoint on its own port: `GET /metrics` in the text
 * exposition format. Bound to 127.0.0.1 by default, so only the machine (a
 * Prometheus agent or sidecar beside the node) can read it; shoppers never
 * reach it through the API port and no token needs guarding.
 */
import { createServer, type Server } from 'node:http';
import { errorFields, log } from './logger.js';
import { metricsContentType, renderMetrics } from './metrics.js';

export async function startMetricsServer(port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('only GET /metrics here\n');
      return;
    }
    renderMetrics().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': metricsContentType, 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      (error) => {
        log.error(errorFields(error), 'metrics: rendering failed');
        res.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
