// The relationship scores (issue 4) on a tenant of issue size: 10,000 employees, 200,000 external
// contacts at 20,000 companies, 5,000,000 attendance rows (bench/scoring-tenant.ts, written straight
// into the store). On SQLite in a temp dir, and on PostgreSQL when BENCH_DATABASE_URL or
// TEST_DATABASE_URL is set: a full rebuild of the ties, incremental updates through the score
// queue, and the latency of the questions the front ends ask ("who knows <domain>", the 2-hop
// path query, company name lookup).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { bulkInsert, openStore, queueEventsForScoring, type Store } from '@warmpath/shared/store';
import {
  applyScoreQueue,
  findIntroPaths,
  rebuildTies,
  repairTieSpans,
  resolveTarget,
} from '@warmpath/shared/scoring';
import { describeLoad, median, type BenchResult } from './results.js';
import {
  ATTENDANCE_COLUMNS,
  generateScoringTenant,
  Rng,
  scoringTenantSpec,
  writeScoringTenant,
  type LoadedTenant,
  type SyntheticTenant,
} from './scoring-tenant.js';

const REBUILD_ROUNDS = 3;
const UPDATE_ROUNDS = 3;
const MEETINGS_CHANGED = 20_000;
const WARM_UP_QUERIES = 50;
const TIMED_QUERIES = 500;
const MB = 2 ** 20;

const log = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (value: number) => `${value.toFixed(1)} s`;
const ms = (value: number) => Math.round(value * 100) / 100;
const thousands = (value: number) => Math.round(value).toLocaleString('en');

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** The process's resident set, sampled every 100 ms while `work` runs. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; peakRss: number }> {
  let peakRss = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }, 100);
  try {
    const value = await work();
    return { value, peakRss: Math.max(peakRss, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

interface TieTotals {
  ties: number;
  meetings: number;
  oneOnOnes: number;
  reciprocated: number;
  g365: number;
}

async function tieTotals(store: Store, tenantId: string): Promise<TieTotals> {
  const row = await store.db
    .selectFrom('ties')
    .select((eb) => [
      eb.fn.countAll<number>().as('ties'),
      eb.fn.sum<number>('meetings').as('meetings'),
      eb.fn.sum<number>('one_on_ones').as('one_on_ones'),
      eb.fn.sum<number>('reciprocated').as('reciprocated'),
      eb.fn.sum<number>('g365').as('g365'),
    ])
    .where('tenant_id', '=', tenantId)
    .executeTakeFirstOrThrow();
  return {
    ties: Number(row.ties),
    meetings: Number(row.meetings),
    oneOnOnes: Number(row.one_on_ones),
    reciprocated: Number(row.reciprocated),
    g365: Number(row.g365),
  };
}

function sameTotals(a: TieTotals, b: TieTotals): string | undefined {
  const differences: string[] = [];
  for (const key of ['ties', 'meetings', 'oneOnOnes', 'reciprocated'] as const) {
    if (a[key] !== b[key]) differences.push(`${key} ${a[key]} vs ${b[key]}`);
  }
  if (Math.abs(a.g365 - b.g365) > 1e-9 * Math.max(1, Math.abs(b.g365))) {
    differences.push(`Σg365 ${a.g365} vs ${b.g365}`);
  }
  return differences.length === 0 ? undefined : differences.join(', ');
}

interface ChangeSummary {
  meetings: number;
  flipped: number;
  added: number;
  removed: number;
  cancelled: number;
}

/**
 * Changes the attendance of these meetings directly in the store, as a sync page would (responses
 * flipped to declined or back to accepted, an attendee added or removed, a few cancelled), and
 * queues them for scoring in the same transaction.
 */
export async function changeMeetings(
  store: Store,
  tenant: SyntheticTenant,
  loaded: LoadedTenant,
  rng: Rng,
  eventIds: readonly number[],
): Promise<ChangeSummary> {
  const { tenantId, personIdBase } = loaded;
  const attendance = new Map<
    number,
    Array<{ person: number; role: string; response: string | null }>
  >();
  const cancelledNow = new Set<number>();
  for (let i = 0; i < eventIds.length; i += 2_000) {
    const slice = eventIds.slice(i, i + 2_000);
    const rows = await store.db
      .selectFrom('attendance')
      .select(['event_id', 'person_id', 'role', 'response'])
      .where('tenant_id', '=', tenantId)
      .where('event_id', 'in', slice)
      .execute();
    for (const row of rows) {
      let list = attendance.get(row.event_id);
      if (list === undefined) attendance.set(row.event_id, (list = []));
      list.push({ person: row.person_id, role: row.role, response: row.response });
    }
    const cancelled = await store.db
      .selectFrom('events')
      .select('event_id')
      .where('tenant_id', '=', tenantId)
      .where('event_id', 'in', slice)
      .where('is_cancelled', '=', 1)
      .execute();
    for (const row of cancelled) cancelledNow.add(row.event_id);
  }

  const flips = new Map<string, Array<[number, number]>>();
  const adds: unknown[][] = [];
  const removes: Array<[number, number]> = [];
  const counts = new Map<number, number[]>();
  const cancel: number[] = [];
  const uncancel: number[] = [];
  const summary: ChangeSummary = {
    meetings: eventIds.length,
    flipped: 0,
    added: 0,
    removed: 0,
    cancelled: 0,
  };
  const flip = (eventId: number, row: { person: number; response: string | null }) => {
    const response = row.response === 'declined' ? 'accepted' : 'declined';
    let list = flips.get(response);
    if (list === undefined) flips.set(response, (list = []));
    list.push([eventId, row.person]);
    summary.flipped++;
  };
  for (const eventId of eventIds) {
    const rows = attendance.get(eventId) ?? [];
    const others = rows.filter((row) => row.role !== 'organizer');
    const roll = rng.next();
    if (roll < 0.03) {
      (cancelledNow.has(eventId) ? uncancel : cancel).push(eventId);
      summary.cancelled++;
    } else if (roll < 0.28) {
      // someone else from a company already on the meeting, or a colleague of an employee on it
      const present = new Set(rows.map((row) => row.person - personIdBase));
      const external = [...present].find((index) => tenant.companyOf[index]! >= 0);
      let candidate: number | undefined;
      for (let tries = 0; tries < 10 && candidate === undefined; tries++) {
        let index: number;
        if (external !== undefined) {
          index = rng.pick(tenant.companies[tenant.companyOf[external]!]!.contacts);
        } else {
          const employee = [...present].find((i) => i < tenant.spec.employees) ?? 0;
          const team = tenant.teams[tenant.teamOf[employee]!]!;
          index = team.first + rng.int(team.size);
        }
        if (!present.has(index)) candidate = index;
      }
      if (candidate === undefined) {
        if (others[0] !== undefined) flip(eventId, others[0]);
        continue;
      }
      adds.push([eventId, personIdBase + candidate, 'required', rng.pick(['accepted', 'none'])]);
      let list = counts.get(rows.length + 1);
      if (list === undefined) counts.set(rows.length + 1, (list = []));
      list.push(eventId);
      summary.added++;
    } else if (roll < 0.55 && rows.length >= 3 && others.length > 0) {
      removes.push([eventId, rng.pick(others).person]);
      let list = counts.get(rows.length - 1);
      if (list === undefined) counts.set(rows.length - 1, (list = []));
      list.push(eventId);
      summary.removed++;
    } else if (others.length > 0) {
      flip(eventId, rng.pick(others));
      if (others.length > 1 && rng.chance(0.3)) flip(eventId, rng.pick(others));
    }
  }

  const pairs = 1_000;
  await store.db.transaction().execute(async (trx) => {
    for (const [response, list] of flips) {
      for (let i = 0; i < list.length; i += pairs) {
        await trx
          .updateTable('attendance')
          .set({ response: response as 'accepted' | 'declined' })
          .where('tenant_id', '=', tenantId)
          .where((eb) =>
            eb(
              eb.refTuple('event_id', 'person_id'),
              'in',
              list.slice(i, i + pairs).map(([e, p]) => eb.tuple(e, p)),
            ),
          )
          .execute();
      }
    }
    for (let i = 0; i < removes.length; i += pairs) {
      await trx
        .deleteFrom('attendance')
        .where('tenant_id', '=', tenantId)
        .where((eb) =>
          eb(
            eb.refTuple('event_id', 'person_id'),
            'in',
            removes.slice(i, i + pairs).map(([e, p]) => eb.tuple(e, p)),
          ),
        )
        .execute();
    }
    await bulkInsert(trx, store.dialect, 'attendance', tenantId, ATTENDANCE_COLUMNS, adds);
    const now = tenant.spec.now;
    for (const [count, ids] of counts) {
      for (let i = 0; i < ids.length; i += pairs) {
        await trx
          .updateTable('events')
          .set({ participant_count: count, updated_at: now })
          .where('tenant_id', '=', tenantId)
          .where('event_id', 'in', ids.slice(i, i + pairs))
          .execute();
      }
    }
    for (const [flag, ids] of [
      [1, cancel],
      [0, uncancel],
    ] as const) {
      for (let i = 0; i < ids.length; i += pairs) {
        await trx
          .updateTable('events')
          .set({ is_cancelled: flag, updated_at: now })
          .where('tenant_id', '=', tenantId)
          .where('event_id', 'in', ids.slice(i, i + pairs))
          .execute();
      }
    }
    await queueEventsForScoring(trx, tenantId, eventIds, now);
  });
  return summary;
}

/** A domain to ask about: half the time any loaded company, half the time by how many employees know it. */
function domainPicker(tenant: SyntheticTenant, rng: Rng): () => number {
  const cdf = new Float64Array(tenant.companies.length);
  let sum = 0;
  for (const [c, company] of tenant.companies.entries()) cdf[c] = sum += company.knownBy;
  return () => (rng.chance(0.5) ? rng.int(tenant.companies.length) : rng.cdfPick(cdf));
}

/** The company's name as someone might type it: as written, in lowercase, or with two letters swapped. */
function typedName(name: string, rng: Rng): string {
  const roll = rng.next();
  if (roll < 0.5) return name;
  if (roll < 0.75) return name.toLowerCase();
  const words = name.split(' ');
  const longest = words.reduce(
    (best, word, i) => (word.length > words[best]!.length ? i : best),
    0,
  );
  const word = words[longest]!;
  if (word.length >= 5) {
    const at = 1 + rng.int(word.length - 3);
    words[longest] = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  }
  return words.join(' ');
}

async function timeQueries(count: number, query: (i: number) => Promise<void>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const began = performance.now();
    await query(i);
    times.push(performance.now() - began);
  }
  return times;
}

const latency = (times: number[]) =>
  `p50 ${ms(percentile(times, 50))} ms, p90 ${ms(percentile(times, 90))} ms, ` +
  `p99 ${ms(percentile(times, 99))} ms, max ${ms(Math.max(...times))} ms`;

interface Engine {
  label: 'SQLite' | 'PostgreSQL';
  url: string;
  schema?: string;
  where: string;
}

async function databaseMb(store: Store, engine: Engine): Promise<number> {
  if (engine.label === 'SQLite') {
    const file = engine.url.slice('sqlite:'.length);
    const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);
    return Math.round((size(file) + size(`${file}-wal`)) / MB);
  }
  const { rows } = await sql<{ bytes: string }>`
    select coalesce(sum(pg_total_relation_size(c.oid)), 0) as bytes
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${engine.schema} and c.relkind = 'r'`.execute(store.db);
  return Math.round(Number(rows[0]?.bytes ?? 0) / MB);
}

async function benchEngine(
  engine: Engine,
  tenant: SyntheticTenant,
  baseline: BenchResult[] | undefined,
): Promise<BenchResult[]> {
  const { spec } = tenant;
  const now = spec.now;
  const suffix = `, ${engine.label}`;
  const store = await openStore(
    engine.url,
    engine.schema === undefined ? {} : { schema: engine.schema },
  );
  const results: BenchResult[] = [];
  const push = (result: BenchResult) => {
    const base = baseline?.find((b) => b.name === result.name.replace(suffix, ', SQLite'));
    results.push(
      base === undefined
        ? result
        : { ...result, baseline: { name: base.name, value: base.value, unit: base.unit } },
    );
  };
  try {
    await store.migrate();
    log(`  ${engine.label}: loading the tenant…`);
    const loaded = await writeScoringTenant(store, tenant, log);
    const { tenantId } = loaded;
    const size = await databaseMb(store, engine);
    push({
      name: `scoring tenant load${suffix}`,
      value: Math.round(loaded.seconds * 10) / 10,
      unit: 's',
      detail:
        `${thousands(loaded.people)} people, ${thousands(loaded.events)} meetings and ` +
        `${thousands(loaded.attendanceRows)} attendance rows written straight into the store ` +
        `(${thousands(loaded.attendanceRows / loaded.seconds)} attendance rows/s with their meetings; ` +
        `${size} MB on disk); not a target. ${engine.where}`,
    });

    // full rebuilds; the incremental rounds run between the second and the third, which then
    // checks that the queue left the same ties a rebuild computes
    const rebuilds: Array<{
      seconds: number;
      peakRss: number;
      events: number;
      rows: number;
      ties: number;
    }> = [];
    const vacuumSeconds: number[] = [];
    const rebuild = async () => {
      const began = performance.now();
      const { value, peakRss } = await withPeakRss(() => rebuildTies(store, tenantId, { now }));
      const elapsed = (performance.now() - began) / 1000;
      rebuilds.push({
        seconds: elapsed,
        peakRss,
        events: value.events,
        rows: value.attendanceRows,
        ties: value.ties,
      });
      if (engine.label === 'PostgreSQL') {
        // what autovacuum does after a rebuild turned over every tie (this machine's server runs
        // with it off): without it each rebuild and question steps over every earlier rebuild's
        // dead rows; not in the figure, as autovacuum runs apart from the rebuild
        const vacuumBegan = performance.now();
        await sql`vacuum analyze ties, tie_degrees, scored_events`.execute(store.db);
        vacuumSeconds.push((performance.now() - vacuumBegan) / 1000);
      }
      log(
        `  ${engine.label}: rebuild ${rebuilds.length}/${REBUILD_ROUNDS}: ${seconds(elapsed)} ` +
          `(${thousands(value.events)} meetings, ${thousands(value.attendanceRows)} attendance rows, ` +
          `${thousands(value.ties)} ties; peak ${Math.round(peakRss / MB)} MB RSS)`,
      );
    };
    for (let round = 0; round < REBUILD_ROUNDS - 1; round++) await rebuild();

    const rng = new Rng(spec.seed, `updates-${engine.label}`);
    const past: number[] = [];
    for (let e = 0; e < tenant.events.count; e++) {
      if (tenant.events.startAt[e]! <= now) past.push(loaded.eventIdBase + e);
    }
    for (let i = past.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [past[i], past[j]] = [past[j]!, past[i]!];
    }
    const updates: Array<{
      repaired: number;
      repairSeconds: number;
      seconds: number;
      cpuSeconds: number;
      events: number;
      rows: number;
      ties: number;
      change: ChangeSummary;
    }> = [];
    for (let round = 0; round < UPDATE_ROUNDS; round++) {
      const ids = past.slice(round * MEETINGS_CHANGED, (round + 1) * MEETINGS_CHANGED);
      const change = await changeMeetings(store, tenant, loaded, rng, ids);
      const began = performance.now();
      const cpuBefore = process.cpuUsage();
      const result = await applyScoreQueue(store, tenantId);
      const elapsed = (performance.now() - began) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      // what refreshTies does next, apart from the update: spans it left unknown made known again
      const repairBegan = performance.now();
      let repaired = 0;
      for (let batch; (batch = await repairTieSpans(store, tenantId)) > 0;) repaired += batch;
      const repairSeconds = (performance.now() - repairBegan) / 1000;
      updates.push({
        repaired,
        repairSeconds,
        seconds: elapsed,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        events: result.events,
        rows: result.attendanceRows,
        ties: result.ties,
        change,
      });
      log(
        `  ${engine.label}: update ${round + 1}/${UPDATE_ROUNDS}: ${thousands(result.events)} meetings, ` +
          `${thousands(result.attendanceRows)} attendance rows in ${seconds(elapsed)} ` +
          `(${thousands(result.attendanceRows / elapsed)}/s; ${thousands(result.ties)} tie rows written; ` +
          `${seconds((cpu.user + cpu.system) / 1e6)} CPU); then ${thousands(repaired)} unknown spans repaired in ` +
          `${seconds(repairSeconds)}`,
      );
    }
    const incremental = await tieTotals(store, tenantId);
    await rebuild();
    const rebuilt = await tieTotals(store, tenantId);
    const mismatch = sameTotals(incremental, rebuilt);
    if (mismatch !== undefined) {
      log(`  ${engine.label}: WARNING the queue's ties differ from a rebuild's: ${mismatch}`);
    }

    const last = rebuilds[rebuilds.length - 1]!;
    const rebuildTimes = rebuilds.map((r) => r.seconds);
    push({
      name: `scoring full rebuild${suffix}`,
      value: Math.round(median(rebuildTimes) * 10) / 10,
      unit: 's',
      target: '<= 60',
      detail:
        `rebuildTies(store, tenantId, { now }) wall time, median of ${REBUILD_ROUNDS} rebuilds ` +
        `(${rebuildTimes.map(seconds).join(', ')}): ${thousands(last.events)} meetings, ` +
        `${thousands(last.rows)} attendance rows, ${thousands(last.ties)} ties ` +
        `(${thousands(last.ties / spec.employees)} per employee); peak ` +
        `${Math.round(Math.max(...rebuilds.map((r) => r.peakRss)) / MB)} MB RSS of the whole bench ` +
        `process (the generated tenant, ~${Math.round(process.memoryUsage().heapUsed / MB)} MB of heap now, included). ` +
        (vacuumSeconds.length === 0
          ? ''
          : `After each rebuild, not timed, VACUUM ANALYZE of ties, tie_degrees and scored_events as autovacuum would ` +
            `(${vacuumSeconds.map(seconds).join(', ')}). `) +
        engine.where,
    });
    const rates = updates.map((u) => u.rows / u.seconds);
    const totals = updates.reduce(
      (sum, u) => ({
        flipped: sum.flipped + u.change.flipped,
        added: sum.added + u.change.added,
        removed: sum.removed + u.change.removed,
        cancelled: sum.cancelled + u.change.cancelled,
      }),
      { flipped: 0, added: 0, removed: 0, cancelled: 0 },
    );
    push({
      name: `scoring incremental updates${suffix}`,
      value: Math.round(median(rates)),
      unit: 'attendance changes/s',
      target: '>= 50000',
      detail:
        `applyScoreQueue(store, tenantId) after ${thousands(MEETINGS_CHANGED)} past meetings were changed in the store ` +
        `and queued with queueEventsForScoring; attendance rows it reports (old snapshot undone + ` +
        `new attendance read) ÷ its wall time, median of ${UPDATE_ROUNDS} rounds of different meetings ` +
        `(${updates.map((u) => `${thousands(u.rows)} rows in ${seconds(u.seconds)}, ${seconds(u.cpuSeconds)} CPU`).join('; ')}; ` +
        `CPU is the whole process's, user and system, SQLite's checkpoint thread included). ` +
        `Where a meeting that may have set a contact's first or last met went away, the update marks the span unknown; ` +
        `refreshTies then makes such spans known again (repairTieSpans, not in the rate, as answers read unknown spans ` +
        `themselves): ${updates.map((u) => `${thousands(u.repaired)} in ${seconds(u.repairSeconds)}`).join('; ')}. ` +
        `Changes over the rounds: ${totals.flipped} responses flipped to declined or back to accepted, ` +
        `${totals.added} attendees added, ${totals.removed} removed, ${totals.cancelled} meetings cancelled or restored. ` +
        (mismatch === undefined
          ? 'The ties it left match a rebuild of the same data (count, Σmeetings, Σone-on-ones, Σreciprocated, Σg365). '
          : `The ties it left DIFFER from a rebuild of the same data: ${mismatch}. `) +
        engine.where,
    });

    // questions: a warm-up builds the name index and fills caches, then TIMED_QUERIES each, one at a time
    const pickDomain = domainPicker(tenant, new Rng(spec.seed, 'queries'));
    const nameRng = new Rng(spec.seed, 'names');
    const indexBegan = performance.now();
    await resolveTarget(store, tenantId, tenant.companies[0]!.name);
    const indexSeconds = (performance.now() - indexBegan) / 1000;
    const lookup = async () => {
      const company = tenant.companies[pickDomain()]!;
      const text = typedName(company.name, nameRng);
      const answer = await resolveTarget(store, tenantId, text);
      return { company, answer };
    };
    for (let i = 0; i < WARM_UP_QUERIES; i++) await lookup();
    const outcomes = { company: 0, right: 0, ambiguous: 0, person: 0, none: 0 };
    const lookupTimes = await timeQueries(TIMED_QUERIES, async () => {
      const { company, answer } = await lookup();
      outcomes[answer.kind]++;
      if (answer.kind === 'company' && answer.domain === company.domain) outcomes.right++;
      if (
        answer.kind === 'ambiguous' &&
        answer.candidates.some((candidate) => candidate.domain === company.domain)
      ) {
        outcomes.right++;
      }
    });
    log(`  ${engine.label}: company name lookup: ${latency(lookupTimes)}`);
    push({
      name: `company name lookup p99${suffix}`,
      value: ms(percentile(lookupTimes, 99)),
      unit: 'ms',
      target: '<= 10',
      detail:
        `resolveTarget(store, tenantId, text), ${TIMED_QUERIES} lookups one at a time after ${WARM_UP_QUERIES} ` +
        `warm-up ones: ${latency(lookupTimes)}. Text: a loaded company's name (half any company, half ` +
        `weighted by employees who know it) as written, lowercased or with two letters swapped. ` +
        `Answers: ${outcomes.company} company, ${outcomes.ambiguous} ambiguous, ${outcomes.person} person, ` +
        `${outcomes.none} none; the intended company was the answer or among the candidates ${outcomes.right} times. ` +
        `The first lookup built the tenant's name index in ${seconds(indexSeconds)} (not in the figures). ` +
        engine.where,
    });

    const callerRng = new Rng(spec.seed, 'callers');
    const ask = async (caller: boolean) => {
      const company = tenant.companies[pickDomain()]!;
      const answer = await findIntroPaths(store, {
        tenantId,
        target: company.domain,
        now,
        ...(caller ? { callerPersonId: loaded.personIdBase + callerRng.int(spec.employees) } : {}),
      });
      return { company, answer };
    };
    for (let i = 0; i < WARM_UP_QUERIES; i++) await ask(i % 2 === 0);
    const stats = (label: string) => ({
      label,
      paths: 0,
      answered: 0,
      twoHop: 0,
      wrongTarget: 0,
    });
    const askTimed = async (caller: boolean, into: ReturnType<typeof stats>) =>
      timeQueries(TIMED_QUERIES, async () => {
        const { company, answer } = await ask(caller);
        into.paths += answer.paths.length;
        if (answer.paths.length > 0) into.answered++;
        into.twoHop += answer.paths.filter((path) => path.hops === 2).length;
        if (answer.target?.kind !== 'company' || answer.target.domain !== company.domain)
          into.wrongTarget++;
      });
    const whoStats = stats('who knows');
    const whoTimes = await askTimed(false, whoStats);
    log(`  ${engine.label}: who knows <domain>: ${latency(whoTimes)}`);
    const hopStats = stats('2-hop');
    const hopTimes = await askTimed(true, hopStats);
    log(`  ${engine.label}: 2-hop path query: ${latency(hopTimes)}`);
    const describe = (s: ReturnType<typeof stats>) =>
      `${s.answered} of ${TIMED_QUERIES} answers had paths (${(s.paths / TIMED_QUERIES).toFixed(1)} on average, ` +
      `${s.twoHop} 2-hop paths in all); ${s.wrongTarget} did not resolve to the asked domain`;
    const whoDetail =
      `findIntroPaths(store, { tenantId, target: <domain>, now }) without a caller, ${TIMED_QUERIES} queries one ` +
      `at a time after ${WARM_UP_QUERIES} warm-up ones; domains: half any loaded company, half weighted by ` +
      `employees who know it: ${latency(whoTimes)}; ${describe(whoStats)}. ${engine.where}`;
    push({
      name: `who knows <domain> p50${suffix}`,
      value: ms(percentile(whoTimes, 50)),
      unit: 'ms',
      target: '<= 5',
      detail: whoDetail,
    });
    push({
      name: `who knows <domain> p99${suffix}`,
      value: ms(percentile(whoTimes, 99)),
      unit: 'ms',
      target: '<= 25',
      detail: whoDetail,
    });
    push({
      name: `2-hop path query p99${suffix}`,
      value: ms(percentile(hopTimes, 99)),
      unit: 'ms',
      target: '<= 50',
      detail:
        `findIntroPaths(store, { tenantId, target: <domain>, callerPersonId: <random employee>, now }), ` +
        `${TIMED_QUERIES} queries after the who-knows ones, same domain mix: ${latency(hopTimes)}; ` +
        `${describe(hopStats)}. ${engine.where}`,
    });
    return results;
  } finally {
    await store.close();
  }
}

/** A fresh PostgreSQL schema for openStore(url, { schema }), dropped by `drop`. */
async function freshPostgresSchema(
  url: string,
): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `wp_bench_scoring_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  return {
    schema,
    async drop() {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    },
  };
}

export async function benchScoringThroughput(): Promise<BenchResult[]> {
  const scale = Number(process.env.BENCH_SCORING_SCALE ?? '1');
  const spec = scoringTenantSpec(Number.isFinite(scale) && scale > 0 ? scale : 1);
  log(
    `  generating the tenant (seed ${spec.seed}: ${thousands(spec.employees)} employees, ` +
      `${thousands(spec.contacts)} contacts, ${thousands(spec.companies)} companies, ` +
      `${thousands(spec.attendanceRows)} attendance rows)…`,
  );
  const tenant = generateScoringTenant(spec);
  log(
    `  generated ${thousands(tenant.events.count)} meetings in ${seconds(tenant.generatedSeconds)}; ` +
      `each employee has a median ${tenant.portfolioCompaniesMedian} companies and ` +
      `${tenant.portfolioContactsMedian} contacts to meet`,
  );
  const shape =
    `Tenant: seed ${spec.seed}, ${thousands(spec.employees)} employees with synced mailboxes, ` +
    `${thousands(spec.contacts)} contacts at ${thousands(spec.companies)} companies and personal mail domains, ` +
    `${thousands(tenant.events.count)} meetings as of ${new Date(spec.now).toISOString().slice(0, 10)}`;
  // BENCH_SCORING_ENGINES=postgres (or sqlite) runs one engine of the two
  const engines = (process.env.BENCH_SCORING_ENGINES ?? 'sqlite,postgres').toLowerCase();
  const dir = mkdtempSync(join(tmpdir(), 'warmpath-bench-scoring-'));
  let onSqlite: BenchResult[] = [];
  try {
    if (engines.includes('sqlite'))
      onSqlite = await benchEngine(
        {
          label: 'SQLite',
          url: `sqlite:${join(dir, 'scoring.db')}`,
          where: `${shape}. SQLite (WAL) in a temp dir, in the bench process; ${describeLoad()}.`,
        },
        tenant,
        undefined,
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const results = [...onSqlite];
  const postgresUrl = (process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL)?.trim();
  if (postgresUrl && engines.includes('postgres')) {
    const fresh = await freshPostgresSchema(postgresUrl);
    try {
      results.push(
        ...(await benchEngine(
          {
            label: 'PostgreSQL',
            url: postgresUrl,
            schema: fresh.schema,
            where: `${shape}. PostgreSQL, a fresh schema of that database (dropped afterwards), pool of 10; ${describeLoad()}.`,
          },
          tenant,
          onSqlite,
        )),
      );
    } finally {
      await fresh.drop();
    }
  } else {
    log('  (PostgreSQL skipped: set BENCH_DATABASE_URL=postgres://… to add it)');
  }
  return results;
}
