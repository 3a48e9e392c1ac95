// The calendar sync end to end (issue 3): a full round of a seeded 500-mailbox tenant with over
// 500,000 events, `npm run sync` and the simulator each in its own process, into SQLite in a temp
// dir (and PostgreSQL when BENCH_DATABASE_URL or TEST_DATABASE_URL is set). Events stored per second, the sync
// process's peak memory (and a 100-mailbox tenant's, to show it does not grow with the tenant),
// Graph requests per 1,000 events, and the same round with 50 ms of latency on every request.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openStore } from '@warmpath/shared/store';
import { startChildSimulator, type ChildSimulator } from './child-simulator.js';
import { createJsonClient } from './https-json.js';
import { describeLoad, type BenchResult } from './results.js';
import type { SyncChildReport } from './sync-child.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LATENCY_MS = 50;
/** Variables the bench's own environment must not hand to the sync (it sets them itself). */
const OWN_VARIABLES = new Set([
  'DATABASE_URL',
  'LOG_LEVEL',
  'TENANT_ID',
  'CLIENT_ID',
  'CLIENT_SECRET',
  'GRAPH_BASE_URL',
  'AUTHORITY_HOST',
  'NODE_EXTRA_CA_CERTS',
]);
const CHILD_TIMEOUT_MS = 15 * 60_000;
const MB = 2 ** 20;

const tenantArgs = (users: number) => [
  '--seed',
  '3',
  '--users',
  String(users),
  '--companies',
  '60',
  '--months',
  '24',
  '--density',
  '10',
];

interface SimCounters {
  graph: number;
  byStatus: Record<string, number>;
}

interface SyncRun {
  /** runSyncRound's own start to finish, as the command prints it */
  roundSeconds: number;
  wallSeconds: number;
  mailboxes: number;
  failed: number;
  /** mailbox copies stored (one per event in a mailbox's calendarView) */
  copies: number;
  /** distinct meetings (iCalUIds) */
  meetings: number;
  graphRequests: number;
  throttled: number;
  report: SyncChildReport;
  /** the simulator process's CPU time (user + system) during the run, ms; undefined off Linux */
  simulatorCpuMs: number | undefined;
}

interface Tenant {
  sim: ChildSimulator;
  client: ReturnType<typeof createJsonClient>;
  generatedSeconds: number;
}

async function startTenant(users: number): Promise<Tenant> {
  const began = performance.now();
  const sim = await startChildSimulator(tenantArgs(users));
  const generatedSeconds = (performance.now() - began) / 1000;
  return { sim, client: createJsonClient(sim.env.NODE_EXTRA_CA_CERTS!), generatedSeconds };
}

async function counters(tenant: Tenant): Promise<SimCounters> {
  // a one-day window in 2000: the counters without counting 900,000 events
  const url = `${tenant.sim.env.GRAPH_BASE_URL}/_sim/stats?start=2000-01-01T00:00:00Z&end=2000-01-02T00:00:00Z`;
  const response = await tenant.client.get(url);
  if (response.status !== 200) throw new Error(`/_sim/stats answered ${response.status}`);
  return (response.body as { requests: SimCounters }).requests;
}

/** A process's CPU time so far (user + system), ms, from /proc; undefined where there is none. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // fields after the parenthesised command: state is 3rd, utime 14th, stime 15th
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    // the kernel's USER_HZ is 100 on every Linux Node runs on
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

async function setLatency(tenant: Tenant, latencyMs: number): Promise<void> {
  const url = `${tenant.sim.env.GRAPH_BASE_URL}/_sim/faults`;
  const response = await tenant.client.postJson(url, { latencyMs });
  if (response.status !== 200) throw new Error(`/_sim/faults answered ${response.status}`);
}

/** The Node flags `npm run sync` gives (package.json), so the measured child runs with them too. */
function syncNodeFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return (scripts.sync ?? '')
    .split(/\s+/)
    .filter((word) => word.startsWith('--') && word !== '--conditions=source');
}

/** Runs `npm run sync -- <args>` in a child process measured by bench/sync-child.ts. */
async function runSync(
  tenant: Tenant,
  databaseUrl: string,
  args: string[],
  dir: string,
): Promise<SyncRun> {
  const reportFile = join(dir, `report-${Date.now()}.json`);
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !OWN_VARIABLES.has(name)),
  );
  const before = await counters(tenant);
  const simulatorCpuBefore = processCpuMs(tenant.sim.process.pid);
  const began = performance.now();
  const child = spawn(
    process.execPath,
    [...syncNodeFlags(), '--import', 'tsx', '--conditions=source', 'bench/sync-child.ts', ...args],
    {
      cwd: ROOT,
      env: {
        ...inherited,
        ...tenant.sim.env,
        DATABASE_URL: databaseUrl,
        WARMPATH_BENCH_REPORT: reportFile,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const wallSeconds = (performance.now() - began) / 1000;
  const after = await counters(tenant);
  const simulatorCpuAfter = processCpuMs(tenant.sim.process.pid);
  const summary = /Synced (\d+) of (\d+) mailbox\(es\) in ([\d.]+) s; (\d+) failed/.exec(stdout);
  if (code !== 0 || !summary) {
    throw new Error(
      `npm run sync ${args.join(' ')} exited ${code}:\n${stdout.slice(-2000)}\n${stderr}`,
    );
  }
  const store = await openStore(databaseUrl);
  try {
    const copies = await store.db
      .selectFrom('mailbox_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const meetings = await store.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return {
      roundSeconds: Number(summary[3]),
      wallSeconds,
      mailboxes: Number(summary[2]),
      failed: Number(summary[4]),
      copies: Number(copies.n),
      meetings: Number(meetings.n),
      graphRequests: after.graph - before.graph,
      throttled: (after.byStatus['429'] ?? 0) - (before.byStatus['429'] ?? 0),
      report: JSON.parse(readFileSync(reportFile, 'utf8')) as SyncChildReport,
      simulatorCpuMs:
        simulatorCpuBefore === undefined || simulatorCpuAfter === undefined
          ? undefined
          : simulatorCpuAfter - simulatorCpuBefore,
    };
  } finally {
    await store.close();
  }
}

/** A full round: a new store, every mailbox tracked (`--track all` tracks, then syncs). */
function fullRound(tenant: Tenant, databaseUrl: string, dir: string): Promise<SyncRun> {
  return runSync(tenant, databaseUrl, ['--track', 'all'], dir);
}

const perSecond = (run: SyncRun) => Math.round(run.copies / run.roundSeconds);
const peakMb = (run: SyncRun) => Math.round(run.report.maxRssBytes / MB);
const perThousand = (run: SyncRun) => Math.round((run.graphRequests / run.copies) * 10_000) / 10;
const seconds = (value: number) => `${value.toFixed(1)} s`;

/** CPU per event stored, µs. */
const microsPerEvent = (cpuMs: number, run: SyncRun) => Math.round((cpuMs * 1000) / run.copies);

function describeRun(run: SyncRun): string {
  const failed = run.failed > 0 ? ` (${run.failed} without a usable mailbox)` : '';
  const syncCpuMs = run.report.userCpuMs + run.report.systemCpuMs;
  const simulator =
    run.simulatorCpuMs === undefined
      ? ''
      : `; simulator CPU ${seconds(run.simulatorCpuMs / 1000)} (${microsPerEvent(run.simulatorCpuMs, run)} µs per event)`;
  return (
    `${run.copies} events (${run.meetings} meetings) of ${run.mailboxes} mailboxes${failed}; ` +
    `round ${seconds(run.roundSeconds)}, process ${seconds(run.wallSeconds)} ` +
    `(CPU ${seconds(run.report.userCpuMs / 1000)} user + ${seconds(run.report.systemCpuMs / 1000)} system, ` +
    `${microsPerEvent(syncCpuMs, run)} µs per event${simulator}); ` +
    `${run.graphRequests} Graph requests, ${run.throttled} throttled`
  );
}

/** A fresh PostgreSQL schema named in the connection string (search_path), dropped by `drop`. */
async function freshPostgresSchema(url: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `wp_bench_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  const separator = url.includes('?') ? '&' : '?';
  return {
    url: `${url}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    async drop() {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    },
  };
}

export async function benchSyncThroughput(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'warmpath-bench-sync-'));
  // both tenants generate at once, one per core; the small one then waits, idle
  const [large, small] = await Promise.all([startTenant(500), startTenant(100)]);
  try {
    const sqlite = (name: string) => `sqlite:${join(dir, `${name}.db`)}`;
    process.stdout.write('  500 mailboxes, no latency…\n');
    const fast = await fullRound(large, sqlite('fast'), dir);
    process.stdout.write('  delta round, nothing changed…\n');
    const delta = await runSync(large, sqlite('fast'), ['--once'], dir);
    process.stdout.write(`  500 mailboxes, ${LATENCY_MS} ms per request…\n`);
    await setLatency(large, LATENCY_MS);
    const slow = await fullRound(large, sqlite('slow'), dir);
    await setLatency(large, 0);
    process.stdout.write('  100 mailboxes, no latency…\n');
    const smaller = await fullRound(small, sqlite('small'), dir);

    const results: BenchResult[] = [
      {
        name: 'sync full round, 500 mailboxes',
        value: perSecond(fast),
        unit: 'events/s',
        target: '>= 10000',
        detail:
          `events stored per second of the round: ${describeRun(fast)}. ` +
          `SQLite (WAL) in a temp dir; \`npm run sync -- --track all\` and the simulator (generated in ${seconds(large.generatedSeconds)}) ` +
          `each in its own process; ${describeLoad()}`,
      },
      {
        name: 'sync peak memory, 500 mailboxes',
        value: peakMb(fast),
        unit: 'MB RSS',
        target: '< 500',
        detail:
          `maxRSS of the sync process (getrusage) over the full round; sampled peaks: heap used ` +
          `${Math.round(fast.report.sampledPeakHeapUsedBytes / MB)} MB, external and buffers ` +
          `${Math.round(fast.report.sampledPeakExternalBytes / MB)} MB; includes tsx's loader`,
      },
      {
        name: 'sync peak memory, 100 mailboxes',
        value: peakMb(smaller),
        unit: 'MB RSS',
        target: 'about the 500-mailbox figure (not growing with tenant size)',
        baseline: { name: 'sync peak memory, 500 mailboxes', value: peakMb(fast), unit: 'MB RSS' },
        detail: `the same round of a 100-mailbox tenant (same density and history): ${describeRun(smaller)}; ${perSecond(smaller)} events/s`,
      },
      {
        name: 'Graph requests per 1,000 events, full round',
        value: perThousand(fast),
        unit: 'requests',
        detail:
          `every Graph request the simulator served during the round (directory, calendars, ` +
          `calendarView/delta pages of 100), per 1,000 events stored`,
      },
      {
        name: `sync full round, 500 mailboxes, ${LATENCY_MS} ms per request`,
        value: perSecond(slow),
        unit: 'events/s',
        target: 'close to the no-latency figure (concurrency hides latency)',
        baseline: {
          name: 'sync full round, 500 mailboxes',
          value: perSecond(fast),
          unit: 'events/s',
        },
        detail:
          `${describeRun(slow)}; ${perThousand(slow)} requests per 1,000 events; ` +
          `the requests one after another would wait ${seconds((slow.graphRequests * LATENCY_MS) / 1000)} ` +
          `on latency alone; peak ${peakMb(slow)} MB RSS; ${describeLoad()}`,
      },
      {
        name: 'sync delta round, 500 mailboxes, nothing changed',
        value: delta.roundSeconds,
        unit: 's',
        detail: `\`npm run sync -- --once\` after the full round: ${delta.graphRequests} Graph requests, process ${seconds(delta.wallSeconds)}, peak ${peakMb(delta)} MB RSS`,
      },
    ];

    const postgresUrl = (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL)?.trim();
    if (postgresUrl) {
      process.stdout.write('  500 mailboxes, no latency, PostgreSQL…\n');
      const schema = await freshPostgresSchema(postgresUrl);
      try {
        const onPostgres = await fullRound(large, schema.url, dir);
        results.push({
          name: 'sync full round, 500 mailboxes, PostgreSQL',
          value: perSecond(onPostgres),
          unit: 'events/s',
          target: '>= 10000',
          baseline: {
            name: 'sync full round, 500 mailboxes',
            value: perSecond(fast),
            unit: 'events/s',
          },
          detail: `${describeRun(onPostgres)}; a fresh schema on that database, peak ${peakMb(onPostgres)} MB RSS; ${describeLoad()}`,
        });
      } finally {
        await schema.drop();
      }
    } else {
      process.stdout.write(
        '  (PostgreSQL skipped: set BENCH_DATABASE_URL=postgres://… to add it)\n',
      );
    }
    return results;
  } finally {
    for (const tenant of [large, small]) {
      tenant.client.close();
      await tenant.sim.stop();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
