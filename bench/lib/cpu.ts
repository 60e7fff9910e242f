/** CPU time from /proc (Linux): a process's own, and the whole machine's, to say what a figure was limited by. */
import { readFileSync } from 'node:fs';

const TICK_MS = 1000 / 100; // /proc counts in clock ticks, USER_HZ = 100 on Linux

/** CPU time (user + system) `pid` has used so far, in ms; NaN where /proc is missing. */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime, stime
  } catch {
    return Number.NaN;
  }
}

/** The machine's busy and total CPU time so far, in ms summed over its cores (NaN where /proc is missing). */
export function machineCpuMs(): { busy: number; total: number } {
  try {
    const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1, 9).map(Number);
    const [, , , idle, iowait] = ticks;
    const total = ticks.reduce((a, b) => a + b, 0);
    return { busy: (total - idle - iowait) * TICK_MS, total: total * TICK_MS };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

/** Shares of all the machine's cores over a span (1 = every core busy for the whole span). */
export interface CpuShares {
  /** Busy, whatever ran. */
  machine: number;
  /** Used by the processes asked about. */
  processes: number;
  /** Used by this process. */
  bench: number;
}

/**
 * Measures, over a span, how busy the machine's cores were and what share of them the given processes
 * (and this one) used: `const span = cpuSpan(pids); …; span.end()`.
 */
export function cpuSpan(pids: number[]) {
  const machine = machineCpuMs();
  const own = process.cpuUsage();
  const procs = pids.map(processCpuMs);
  return {
    end(): CpuShares {
      const after = machineCpuMs();
      const total = after.total - machine.total;
      const used = process.cpuUsage(own);
      return {
        machine: (after.busy - machine.busy) / total,
        processes: pids.reduce((sum, pid, i) => sum + processCpuMs(pid) - procs[i], 0) / total,
        bench: (used.user + used.system) / 1000 / total,
      };
    },
  };
}
