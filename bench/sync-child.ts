// `npm run sync` (bot/src/sync-cli.ts) in this process, measured: its arguments are this
// script's, and on exit it writes its peak memory and CPU time as JSON to WARMPATH_BENCH_REPORT.
// The kernel's maxRSS is the figure; the sampled peaks say whether the heap or the rest grew.
import { writeFileSync } from 'node:fs';

export interface SyncChildReport {
  /** peak resident set size over the whole process (getrusage maxrss), bytes */
  maxRssBytes: number;
  /** the highest of process.memoryUsage() sampled every 100 ms, bytes */
  sampledPeakRssBytes: number;
  sampledPeakHeapUsedBytes: number;
  sampledPeakExternalBytes: number;
  userCpuMs: number;
  systemCpuMs: number;
  wallMs: number;
}

const reportFile = process.env.WARMPATH_BENCH_REPORT;
if (reportFile === undefined) throw new Error('bench/sync-child.ts needs WARMPATH_BENCH_REPORT');

const began = performance.now();
let peakRss = 0;
let peakHeap = 0;
let peakExternal = 0;
function sample(): void {
  const memory = process.memoryUsage();
  peakRss = Math.max(peakRss, memory.rss);
  peakHeap = Math.max(peakHeap, memory.heapUsed);
  peakExternal = Math.max(peakExternal, memory.external + memory.arrayBuffers);
}
setInterval(sample, 100).unref();

process.on('exit', () => {
  sample();
  const usage = process.resourceUsage();
  const report: SyncChildReport = {
    maxRssBytes: usage.maxRSS * 1024,
    sampledPeakRssBytes: peakRss,
    sampledPeakHeapUsedBytes: peakHeap,
    sampledPeakExternalBytes: peakExternal,
    userCpuMs: usage.userCPUTime / 1000,
    systemCpuMs: usage.systemCPUTime / 1000,
    wallMs: performance.now() - began,
  };
  writeFileSync(reportFile, JSON.stringify(report));
});

// the command itself: it reads process.argv and sets process.exitCode
await import('../bot/src/sync-cli.js');
