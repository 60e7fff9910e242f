/**
 * A TCP proxy in front of the reference server that can break the network on
 * demand: `cut()` drops every open connection (an SSE stream, a segment
 * download) and `refuse(ms)` resets new connections for a while, as a server
 * restart, a flaky mobile link or a load balancer failover would; and
 * `failAnswers()` lets matching HTTP requests reach the server but hands the
 * client a gateway error instead of the server's answer, as a load balancer
 * timing out on a request the server did carry out. Used by the player's
 * recovery test and the fault tests; browser tests drive it through the
 * commands in fault-proxy-plugin.ts.
 * It is transparent about where a client comes from: a client on a loopback
 * address (test/support/loopback.ts) reaches the server from that same
 * address, so the server's per-address limits see the clients, not the proxy.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: use it as the backend URL. */
  url: string;
  /** Drops every open connection now. */
  cut(): void;
  /** Drops each open connection with probability `share` (0–1), now; returns how many it dropped. */
  cutSome(share: number): number;
  /** Resets new connections for `ms` (until `restore()` when absent); drops open ones too. */
  refuse(ms?: number): void;
  /**
   * From now on, a request whose first line has `method` and a target matching
   * `path` is forwarded, and once the server starts answering, the client gets
   * `status` (e.g. 502) instead and the connection closes. Until `restore()`.
   */
  failAnswers(rule: AnswerFault): void;
  /**
   * From now on, the answer to a request whose target matches `path` reaches
   * the client `ms` late, byte for byte in order (a slow link or a buffering
   * middlebox on, say, the event stream). Until `restore()`.
   */
  delayAnswers(rule: AnswerDelay): void;
  /** Accepts connections again and passes every answer through in time. */
  restore(): void;
  /** Connections accepted and forwarded so far. */
  readonly forwarded: number;
  close(): Promise<void>;
}

export interface AnswerFault {
  method: string;
  /** A regular expression (source) for the request target, e.g. `/reservations$`. */
  path: string;
  status: number;
}

export interface AnswerDelay {
  /** A regular expression (source) for the request target, e.g. `/events`. */
  path: string;
  ms: number;
}

/** What a gateway answers in place of the server: CORS-readable, so a browser sees the status rather than a network error. */
function gatewayAnswer(status: number): string {
  const body = `gateway error ${status}`;
  return `HTTP/1.1 ${status} Gateway Error\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n${body}`;
}

/** `target`: the server, or several (each new connection goes to the next, as a round-robin load balancer would). */

/**
 * `target`: the server, or several (each new connection goes to the next, as a
 * round-robin load balancer would). `from`: the source address of every
 * upstream connection (default: the client's own, when it is a loopback one).
 */
export async function startFaultProxy(target: string | string[], { from: fixedFrom }: { from?: string } = {}): Promise<FaultProxy> {
  const targets = [target].flat().map((t) => new URL(t));
  let nextTarget = 0;
  const open = new Set<Socket>();
  const clients = new Set<Socket>();
  let refusing = false;
  let refuseTimer: ReturnType<typeof setTimeout> | undefined;
  let forwarded = 0;
  let answerFault: AnswerFault | null = null;
  let answerDelay: AnswerDelay | null = null;

  const server: Server = createServer((client) => {
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    forwarded++;
    clients.add(client);
    client.on('close', () => clients.delete(client));
    const { hostname, port } = targets[nextTarget++ % targets.length];
    const from = fixedFrom ?? client.remoteAddress?.replace(/^::ffff:/, '');
    const upstream = connect({ port: Number(port), host: hostname, localAddress: from?.startsWith('127.') ? from : undefined });
    for (const [a, b] of [
      [client, upstream],
      [upstream, client],
    ]) {
      open.add(a);
      a.on('error', () => b.destroy());
      a.on('close', () => {
        open.delete(a);
        b.destroy();
      });
      a.pipe(b);
    }
    // Requests on a kept-alive connection start at the beginning of a chunk as browsers and Node send them.
    let delayed = false;
    client.on('data', (chunk: Buffer) => {
      const rule = answerFault;
      const [method, target] = chunk.toString('latin1', 0, 2048).split(' ', 2);
      const late = answerDelay;
      if (late && !delayed && new RegExp(late.path).test(target ?? '')) {
        delayed = true;
        upstream.unpipe(client);
        upstream.on('data', (bytes: Buffer) => setTimeout(() => client.writable && client.write(bytes), late.ms));
        upstream.resume(); // unpipe paused it
      }
      if (!rule || method !== rule.method || !new RegExp(rule.path).test(target ?? '')) return;
      upstream.unpipe(client);
      upstream.once('data', () => {
        // Not upstream.destroy(): closing it would destroy the client before the answer is out.
        upstream.unpipe(client);
        client.end(gatewayAnswer(rule.status));
      });
      upstream.resume(); // unpipe paused it
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };

  const cut = () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };
  const restore = () => {
    clearTimeout(refuseTimer);
    refusing = false;
    answerFault = null;
    answerDelay = null;
  };

  return {
    url: `http://127.0.0.1:${address.port}`,
    cut,
    cutSome(share) {
      let dropped = 0;
      for (const client of clients) {
        if (Math.random() >= share) continue;
        client.destroy();
        dropped++;
      }
      return dropped;
    },
    refuse(ms) {
      refusing = true;
      cut();
      clearTimeout(refuseTimer);
      if (ms !== undefined) refuseTimer = setTimeout(restore, ms);
    },
    failAnswers(rule) {
      answerFault = rule;
    },
    delayAnswers(rule) {
      answerDelay = rule;
    },
    restore,
    get forwarded() {
      return forwarded;
    },
    close() {
      restore();
      cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
