import { cpus, loadavg, totalmem } from 'node:os';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** What the issue asks for, e.g. ">= 5000". */
  target?: string;
  /** The figure this one is compared with, where there is one. */
  baseline?: { name: string; value: number; unit: string };
  detail?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** What else the machine was doing: figures taken under load move by tens of percent. */
export function describeLoad(): string {
  const [oneMinute = 0] = loadavg();
  return `load average ${oneMinute.toFixed(1)} on ${cpus().length} cores when measured`;
}

export function describeMachine(): string {
  const cpu = cpus();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}
