/** GET /media/:file — the demo's product images, cached for a year (names change when files do). */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { HttpError } from '../http/problem.js';
import type { Router } from '../http/router.js';

const dir = fileURLToPath(new URL('../media/', import.meta.url));
const TYPES: Record<string, string> = { svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg', webp: 'image/webp' };

export function addMediaRoutes(router: Router): void {
  router.add('GET', '/media/:file', async ({ res, params }) => {
    const m = /^[a-z0-9][a-z0-9-]*\.(svg|png|jpg|webp)$/.exec(params.file);
    if (!m) throw new HttpError(404, 'not-found', `no media file "${params.file.slice(0, 80)}"`);
    let bytes: Buffer;
    try {
      bytes = await readFile(dir + params.file);
    } catch {
      throw new HttpError(404, 'not-found', `no media file "${params.file}"`);
    }
    res.writeHead(200, {
      'Content-Type': TYPES[m[1]],
      'Content-Length': String(bytes.length),
      'Cache-Control': 'public, max-age=31536000, immutable',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    res.end(res.req.method === 'HEAD' ? undefined : bytes);
    return null;
  });
}
