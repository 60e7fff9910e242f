import type { ServerResponse } from 'node:http';
import { SERVER_TIME_HEADER } from '../../src/protocol/routes.js';

/** Writes a JSON (or problem+json) answer, stamped with the server clock at the last moment. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.setHeader(SERVER_TIME_HEADER, String(Date.now()));
  res.writeHead(status, {
    ...(text ? { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(text)) } : {}),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}
