/**
 * Preloaded into a server by bench/fanout.ts (`node --expose-gc --import …/gc-probe.ts`):
 * on SIGUSR2 the process collects its garbage and writes `process.memoryUsage()`
 * to the file named by LIVE_DROP_GC_PROBE, so the bench can read what live
 * objects cost rather than what the collector has not reclaimed yet.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.LIVE_DROP_GC_PROBE;
const gc = (globalThis as { gc?: () => void }).gc;
if (file && gc) {
  process.on('SIGUSR2', () => {
    gc();
    gc();
    writeFileSync(file, JSON.stringify({ ...process.memoryUsage(), at: Date.now() }));
  });
}
