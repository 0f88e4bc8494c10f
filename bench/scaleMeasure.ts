// Process measurements for bench:scale (not a test): CPU time of this process and its waited-for children (ffmpeg,
// Olaf) from /proc/self/stat, and the peak resident set of this process (worker threads included), reset per phase.
import { readFileSync, writeFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds so far: this process (all threads) plus its children that have exited and been waited for. */
export function cpuSeconds(): { self: number; children: number } {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; utime..cstime are fields 14..17.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const n = (i: number): number => Number(f[i - 3]) / TICKS_PER_SECOND;
  return { self: n(14) + n(15), children: n(16) + n(17) };
}

/** Resets the peak resident set (VmHWM) of this process; false where the kernel does not allow it. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Peak resident set of this process since start or the last reset, in MB. */
export function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** This process's anonymous resident memory (heap, buffers: not mapped files such as LMDB's), in MB. */
export function rssAnonMb(): number {
  const m = /RssAnon:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export interface PhaseFigures {
  wallSeconds: number;
  cpuSeconds: number;
  /** CPU seconds of wall time per core: 1 = every core busy the whole time. */
  coreUtilisation: number;
  /** Peak resident set: it counts the pages of mapped files read (LMDB's), which the kernel can drop at will. */
  peakRssMb: number;
  /** Peak anonymous resident memory, sampled every 200 ms (what the process itself holds); absent for other processes. */
  peakAnonMb?: number;
}

/** Runs `work` and measures its wall time, CPU (children included) and the peak RSS of this process. */
export async function measure<T>(work: () => Promise<T>): Promise<{ result: T; figures: PhaseFigures }> {
  resetPeakRss();
  let peakAnonMb = rssAnonMb();
  const sampler = setInterval(() => (peakAnonMb = Math.max(peakAnonMb, rssAnonMb())), 200);
  const c0 = cpuSeconds();
  const t0 = performance.now();
  let result: T;
  try {
    result = await work();
  } finally {
    clearInterval(sampler);
  }
  peakAnonMb = Math.max(peakAnonMb, rssAnonMb());
  const wallSeconds = (performance.now() - t0) / 1000;
  const c1 = cpuSeconds();
  const cpu = c1.self - c0.self + (c1.children - c0.children);
  const cores = (await import('node:os')).availableParallelism();
  return { result, figures: { wallSeconds, cpuSeconds: cpu, coreUtilisation: cpu / wallSeconds / cores, peakRssMb: peakRssMb(), peakAnonMb } };
}

export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** p50 / p95 of repeated timings of `fn` in ms. */
export async function timeIt(rounds: number, fn: (i: number) => unknown): Promise<{ p50: number; p95: number; n: number }> {
  const ms: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    await fn(i);
    ms.push(performance.now() - t);
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), n: rounds };
}
