/**
 * The address a request comes from, as the per-client limits count it. Behind
 * `trustProxy` proxies it is read from X-Forwarded-For: each proxy appends
 * the address it saw, so the entry `trustProxy` places from the right is the
 * one our own front proxy vouches for; anything left of it is what the client
 * claimed and is ignored. IPv6 clients are counted by their /64, the block a
 * single subscriber is usually given.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

export function clientIp(req: IncomingMessage, trustProxy: number): string {
  const socket = normalise(req.socket.remoteAddress ?? '');
  if (trustProxy === 0) return socket ?? 'unknown';
  const forwarded = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const vouched = forwarded[forwarded.length - trustProxy];
  return (vouched !== undefined && normalise(vouched)) || socket || 'unknown';
}

/** A canonical key for an address, or null when it is not one. */
function normalise(raw: string): string | null {
  const address = raw.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  const family = isIP(address);
  if (family === 4) return address;
  if (family !== 6) return null;
  return `${expand(address).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, without leading zeros. */
function expand(address: string): string[] {
  const [head, tail] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => (g.includes('.') ? g : g.replace(/^0+(?=.)/, '')));
}
