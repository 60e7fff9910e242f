/** Memory of a server process: resident (from /proc, Linux only) and, through the GC probe, live after a collection. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** VmRSS of `pid` in bytes, or NaN where /proc is not available. */
export function rssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * Memory of a server started with `gcProbe(file)`'s options, right after a
 * forced full collection: it is asked with SIGUSR2 and answers in `file`.
 */
export async function memoryAfterGc(pid: number, file: string, timeoutMs = 10_000): Promise<NodeJS.MemoryUsage> {
  const asked = Date.now();
  process.kill(pid, 'SIGUSR2');
  for (const deadline = asked + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
    try {
      const usage = JSON.parse(readFileSync(file, 'utf8')) as NodeJS.MemoryUsage & { at: number };
      if (usage.at >= asked) return usage;
    } catch {
      /* not written yet */
    }
  }
  throw new Error(`process ${pid} did not report its memory within ${timeoutMs} ms (started without the GC probe?)`);
}

/** Node flags and environment that make a server answer `memoryAfterGc` through `file`. */
export function gcProbe(file: string): { nodeArgs: string[]; env: Record<string, string> } {
  return {
    nodeArgs: ['--expose-gc', '--import', fileURLToPath(new URL('./gc-probe.ts', import.meta.url))],
    env: { LIVE_DROP_GC_PROBE: file },
  };
}
