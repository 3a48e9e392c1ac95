// The REST API under load (issue 5): GET /api/intros with valid SSO tokens over keep-alive
// connections (autocannon) against the service in its own process on a synced simulator tenant,
// then a malformed-input fuzz of every documented route, which must get no 5xx and leave the
// process up.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openStore } from '@warmpath/shared/store';
import { malformedRequests, sendMalformedRequests } from '../bot/src/api/malformed-requests.js';
import { startChildSimulator } from './child-simulator.js';
import { createJsonClient } from './https-json.js';
import type { BenchResult } from './results.js';

const LOAD_SECONDS = 20;
const WARM_UP_SECONDS = 3;
const CEILING_SECONDS = 5;
const CONNECTIONS = 32;
const FUZZ_REQUESTS = 10_000;
const USERS_WITH_TOKENS = 8;
const TARGETS = 24;

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** CPU seconds (user + system) a process has used so far, from /proc; undefined off Linux. */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  try {
    // fields after the parenthesised command name: utime and stime are the 12th and 13th
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function startServiceChild(env: Record<string, string>): Promise<{
  url: string;
  tenantId: string;
  child: ChildProcess;
}> {
  // API_BENCH_CPU_PROF=<dir> writes the service's CPU profile there, to see where time goes
  const profile = process.env.API_BENCH_CPU_PROF;
  const child = spawn(
    process.execPath,
    [
      ...(profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : []),
      '--import',
      'tsx',
      '--conditions=source',
      'bench/api-service-child.ts',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } },
  );
  const found: Record<string, string> = {};
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the service exited early with code ${code}`)));
    lines.on('line', (line) => {
      const match = /^([A-Z_]+)=(.*)$/.exec(line);
      if (match) found[match[1]!] = match[2]!;
      if (found.SERVICE_URL && found.TENANT_ID) resolve();
    });
  });
  return { url: found.SERVICE_URL!, tenantId: found.TENANT_ID!, child };
}

export async function benchApiThroughput(): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'warmpath-api-bench-'));
  const databaseUrl = `sqlite:${join(dir, 'warmpath.db')}`;
  const sim = await startChildSimulator(['--seed', '1', '--users', '60', '--companies', '25']);
  let service: Awaited<ReturnType<typeof startServiceChild>> | undefined;
  try {
    const started = performance.now();
    // a real port, so PUBLIC_URL (and Graph's subscriptions) point at the service
    service = await startServiceChild({
      ...sim.env,
      DATABASE_URL: databaseUrl,
      PORT: String(await freePort()),
      LOG_LEVEL: 'warn',
    });
    const syncSeconds = (performance.now() - started) / 1000;

    // callers: tracked users; targets: the companies with the most ties
    const store = await openStore(databaseUrl);
    const mailboxes = await store.db
      .selectFrom('mailboxes')
      .select('user_principal_name')
      .where('tenant_id', '=', service.tenantId)
      .where('state', '=', 'synced')
      .orderBy('user_principal_name')
      .limit(USERS_WITH_TOKENS)
      .execute();
    const domains = await store.db
      .selectFrom('ties')
      .select((eb) => ['other_domain', eb.fn.countAll<number>().as('ties')])
      .where('tenant_id', '=', service.tenantId)
      .where('other_domain', 'is not', null)
      .groupBy('other_domain')
      .orderBy('ties', 'desc')
      .limit(TARGETS)
      .execute();
    await store.close();
    const tokens: string[] = [];
    const simulator = createJsonClient(sim.env.NODE_EXTRA_CA_CERTS!);
    for (const mailbox of mailboxes) {
      const answer = await simulator.postJson(`${sim.env.GRAPH_BASE_URL}/_sim/token/user`, {
        upn: mailbox.user_principal_name,
      });
      tokens.push((answer.body as { access_token: string }).access_token);
    }
    simulator.close();
    const requests = domains.map((d, i) => ({
      method: 'GET',
      path: `/api/intros?target=${encodeURIComponent(String(d.other_domain))}`,
      headers: { authorization: `Bearer ${tokens[i % tokens.length]}` },
    }));
    const load = (duration: number) =>
      autocannon({ url: service!.url, connections: CONNECTIONS, duration, requests });
    await load(WARM_UP_SECONDS);
    const cpuBefore = cpuSecondsOf(service.child.pid);
    const result = await load(LOAD_SECONDS);
    const cpuAfter = cpuSecondsOf(service.child.pid);
    // the service's own CPU per answer: what the load average cannot blur
    const cpuMsPerRequest =
      cpuBefore === undefined || cpuAfter === undefined || result.requests.total === 0
        ? undefined
        : ((cpuAfter - cpuBefore) * 1000) / result.requests.total;
    // the same machine's ceiling for a route that does nothing, to read the figure above against
    const ceiling = await autocannon({
      url: `${service.url}/healthz`,
      connections: CONNECTIONS,
      duration: CEILING_SECONDS,
    });

    const openApi = (await (await fetch(`${service.url}/api/openapi.json`)).json()) as Record<
      string,
      unknown
    >;
    const fuzzStarted = performance.now();
    const fuzz = await sendMalformedRequests(
      service.url,
      malformedRequests(openApi, tokens, FUZZ_REQUESTS, 2026),
      CONNECTIONS,
    );
    const fuzzSeconds = (performance.now() - fuzzStarted) / 1000;
    const health = await fetch(`${service.url}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    const alive = service.child.exitCode === null && health === 200;
    const fiveHundreds = Object.entries(fuzz.byStatus)
      .filter(([status]) => !/^\d+$/.test(status) || Number(status) >= 500)
      .reduce((sum, [, n]) => sum + n, 0);
    if (fuzz.failures.length > 0) {
      console.error('API fuzz failures (first ones):', JSON.stringify(fuzz.failures, null, 2));
    }
    const detail = `${domains.length} companies × ${tokens.length} callers, ${CONNECTIONS} keep-alive connections, ${LOAD_SECONDS} s; service synced ${mailboxes.length}+ mailboxes in ${syncSeconds.toFixed(0)} s`;
    return [
      {
        name: 'api: GET /api/intros throughput',
        value: Math.round(result.requests.average),
        unit: 'requests/s',
        target: '>= 1500',
        detail: `${detail}; ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
      },
      ...(cpuMsPerRequest === undefined
        ? []
        : [
            {
              name: 'api: service CPU per /api/intros request',
              value: Math.round(cpuMsPerRequest * 1000) / 1000,
              unit: 'ms',
              detail: `user + system time of the service process over the load run / requests answered; 1,500 requests/s on one core needs <= 0.67`,
            },
          ]),
      {
        name: 'api: GET /healthz throughput (HTTP ceiling)',
        value: Math.round(ceiling.requests.average),
        unit: 'requests/s',
        detail: `p99 ${ceiling.latency.p99} ms; no auth, no store: what restify and this machine allow`,
      },
      {
        name: 'api: GET /api/intros p99 latency',
        value: result.latency.p99,
        unit: 'ms',
        target: '<= 50',
        detail: `p50 ${result.latency.p50} ms under the same load`,
      },
      {
        name: 'api: malformed-input fuzz, 5xx or unanswered',
        value: fiveHundreds,
        unit: 'responses',
        target: '0',
        detail: `${fuzz.sent} requests over every documented route in ${fuzzSeconds.toFixed(1)} s; by status ${JSON.stringify(fuzz.byStatus)}`,
      },
      {
        name: 'api: service up after the fuzz',
        value: alive ? 1 : 0,
        unit: 'yes=1',
        target: '1',
      },
    ];
  } finally {
    if (service && service.child.exitCode === null) {
      service.child.kill('SIGTERM');
      await once(service.child, 'exit');
    }
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npx tsx --conditions=source bench/api-throughput.ts` runs it alone
if (process.argv[1]?.endsWith('api-throughput.ts')) {
  benchApiThroughput().then(
    (results) => console.table(results),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
