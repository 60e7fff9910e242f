/**
 * The size budget of the script-tag module (`dist/live-drop.js`, hls.js and the
 * player excluded): gzip at level 9, as `bench/bundle.ts` prints it and the
 * package test holds it.
 */
import { gzipSync } from 'node:zlib';

export const BUDGET_GZIP = 20 * 1024;

export const gzipSize = (code: Buffer | string) => gzipSync(code, { level: 9 }).length;
