/**
 * A crowd of event-stream viewers in a worker thread of their own: they hold
 * their connections and count the events they get, by type, without parsing
 * them. So a bench's own thread (where it times what it measures at a few
 * sampled viewers, and posts on schedule) is not held up by 10,000 sockets'
 * reads: what it measures is the server's delay, not the bench's.
 *
 *   const crowd = startCrowd(url);
 *   await crowd.connect(250, firstIndex);   // viewers firstIndex… (their loopback source addresses)
 *   crowd.counting(true); …; const counts = await crowd.counts();
 */
import { Agent } from 'node:http';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { loopbackAddress } from '../../test/support/loopback.js';
import { SseClient } from './sse-client.js';

/** Events the crowd got while counting: per type, the sum over its viewers and the most any one viewer got. */
export interface CrowdCounts {
  viewers: number;
  total: Record<string, { sum: number; max: number }>;
}

type Request = { connect: number; first: number } | { counting: boolean } | { counts: true } | { close: true };

export interface Crowd {
  /** Connects `n` more viewers (source addresses from viewer index `first` on) and waits for each one's snapshot. */
  connect(n: number, first: number): Promise<void>;
  counting(on: boolean): void;
  counts(): Promise<CrowdCounts>;
  close(): Promise<void>;
}

export function startCrowd(url: string): Crowd {
  // The worker runs this TypeScript file too, so it registers tsx's loader first, as the bench's own `--import tsx` did.
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); })`;
  const worker = new Worker(boot, { eval: true, workerData: { url } });
  let answer: { resolve(value: unknown): void; reject(error: Error): void } | null = null;
  let failed: Error | null = null;
  worker.on('message', (m) => {
    const waiting = answer;
    answer = null;
    waiting?.resolve(m);
  });
  // A crowd that died fails the bench (which then stops its server) instead of leaving it waiting forever.
  worker.on('error', (error) => {
    failed = new Error(`viewer crowd: ${error.message}`);
    answer?.reject(failed);
    answer = null;
  });
  const ask = <T>(request: Request) =>
    new Promise<T>((resolve, reject) => {
      if (failed) return reject(failed);
      answer = { resolve: resolve as (value: unknown) => void, reject };
      worker.postMessage(request);
    });
  return {
    connect: (n, first) => ask<void>({ connect: n, first }),
    counting: (on) => worker.postMessage({ counting: on } satisfies Request),
    counts: () => ask<CrowdCounts>({ counts: true }),
    async close() {
      if (!failed) await ask<void>({ close: true });
      await worker.terminate();
    },
  };
}

if (!isMainThread && parentPort && (workerData as { url?: string } | null)?.url) {
  const port = parentPort;
  const { url } = workerData as { url: string };
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const clients: SseClient[] = [];
  const perViewer = new Map<string, number[]>();
  let counting = false;
  port.on('message', async (m: Request) => {
    if ('connect' in m) {
      const ready: Promise<void>[] = [];
      for (let i = 0; i < m.connect; i++) {
        const index = clients.length;
        ready.push(
          new Promise<void>((resolve) => {
            const client = new SseClient({
              url,
              agent,
              localAddress: loopbackAddress(m.first + i),
              onEvent: ({ type }) => {
                if (type === 'snapshot') return resolve();
                if (!counting) return;
                let counts = perViewer.get(type);
                if (!counts) perViewer.set(type, (counts = []));
                counts[index] = (counts[index] ?? 0) + 1;
              },
            });
            clients.push(client);
            client.connect();
          }),
        );
      }
      await Promise.all(ready);
      port.postMessage(null);
    } else if ('counting' in m) {
      counting = m.counting;
    } else if ('counts' in m) {
      const total: CrowdCounts['total'] = {};
      for (const [type, counts] of perViewer) {
        let sum = 0;
        let max = 0;
        for (const n of counts) {
          sum += n ?? 0;
          max = Math.max(max, n ?? 0);
        }
        total[type] = { sum, max };
      }
      port.postMessage({ viewers: clients.length, total } satisfies CrowdCounts);
    } else {
      for (const client of clients) client.close();
      agent.destroy();
      port.postMessage(null);
    }
  });
}
