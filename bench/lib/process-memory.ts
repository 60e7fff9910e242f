/** Resident memory of a process, from /proc/<pid>/status (Linux only). */
import { readFileSync } from 'node:fs';

/** VmRSS of `pid` in bytes, or NaN where /proc is not available. */
export function rssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}
