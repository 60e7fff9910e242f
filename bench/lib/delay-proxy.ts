/**
 * A TCP proxy that holds every chunk for `delayMs` in each direction: network
 * latency that is the same both ways, as a long route is. (Chromium's own
 * latency emulation delays only the answer, which a clock sync cannot tell
 * from a server clock that is late.) Like test/support/fault-proxy.ts it is
 * transparent about where a client comes from: a client on a loopback address
 * reaches the server from that same address, so per-address limits see the clients.
 */
import { createServer, connect, type Socket } from 'node:net';

export interface DelayProxy {
  url: string;
  close(): Promise<void>;
}

export async function startDelayProxy(target: string, delayMs: number): Promise<DelayProxy> {
  const t = new URL(target);
  const sockets = new Set<Socket>();
  const relay = (from: Socket, to: Socket) => {
    from.on('data', (chunk) => setTimeout(() => to.writable && to.write(chunk), delayMs));
    from.on('end', () => setTimeout(() => to.end(), delayMs));
    from.on('error', () => to.destroy());
    from.on('close', () => setTimeout(() => to.destroy(), delayMs));
  };
  const server = createServer((client) => {
    const from = client.remoteAddress?.replace(/^::ffff:/, '');
    const upstream = connect({ port: Number(t.port), host: t.hostname, localAddress: from?.startsWith('127.') ? from : undefined });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    }
    relay(client, upstream);
    relay(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${t.pathname.replace(/\/$/, '')}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
