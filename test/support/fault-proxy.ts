/**
 * A TCP proxy in front of the reference server that can break the network on
 * demand: `cut()` drops every open connection (an SSE stream, a segment
 * download) and `refuse(ms)` resets new connections for a while, as a server
 * restart, a flaky mobile link or a load balancer failover would. Used by the
 * player's recovery test and the fault tests; browser tests drive it through
 * the commands in fault-proxy-plugin.ts.
 *
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
  /** Accepts connections again. */
  restore(): void;
  /** Connections accepted and forwarded so far. */
  readonly forwarded: number;
  close(): Promise<void>;
}

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
