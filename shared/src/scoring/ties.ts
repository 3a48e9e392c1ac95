// Keeps the ties table true to the stored meetings. A meeting whose contribution is out of date
// sits in score_queue (the sync puts it there in the same transaction that changed it); applying
// the queue subtracts what the meeting added last time (its snapshot) and adds what it adds now,
// so every update costs a constant amount per attendance row. rebuildTies computes the same
// table from all attendance at once; a test holds the two to the same numbers.
import { sql, type Compilable, type RawBuilder, type SqlBool } from 'kysely';
import { chunked, chunkRows, rowsPerStatement } from '../store/batch.js';
import { translateDatabaseError } from '../store/errors.js';
import {
  bulkInsert,
  BULK_ROWS_PER_STATEMENT,
  getTenantSettings,
  postgresBulkInsert,
  queryPrepared,
  queueEventsForScoring,
  TIE_COLUMNS,
  RESPONSE_STATUSES,
  retryOnConflict,
  type BulkColumnType,
  type EventRow,
  type Store,
  type StoreDb,
  type StoreDialect,
} from '../store/index.js';
import {
  forEachTerm,
  meetingWeight,
  participantFrom,
  type CountingRules,
  type MeetingFacts,
  type Participant,
} from './model.js';
import { tiesChanged } from './connectors.js';
import { PARAMETERS_VERSION, SCORING_PARAMETERS } from './parameters.js';
import { TieDeltas, type TieDelta } from './tie-deltas.js';

/**
 * Meetings scored per transaction: a batch rewrites the B-tree pages of the ties it touches, and
 * at 3 million ties nearly every page holds one, so larger batches write each page once for more
 * changes (~2x the update rate of 5,000) for ~2–3 s of writer lock at 10,000 mailboxes.
 */
export const SCORE_BATCH_EVENTS = 20_000;

/** What one meeting's contribution was computed from; enough to compute it again exactly. */
interface Snapshot {
  startAt: number;
  weight: number;
  participantCount: number;
  participants: Participant[];
}

type SnapshotParticipant = [
  personId: number,
  internal: 0 | 1,
  organizer: 0 | 1,
  response: Participant['response'],
  companyDomain: string | null,
];

function encodeSnapshot(snapshot: Snapshot): string {
  const people: SnapshotParticipant[] = snapshot.participants.map((p) => [
    p.personId,
    p.internal ? 1 : 0,
    p.organizer ? 1 : 0,
    p.response,
    p.companyDomain,
  ]);
  // JSON numbers round-trip exactly, so the weight read back is the weight that was added
  return JSON.stringify([snapshot.startAt, snapshot.weight, snapshot.participantCount, people]);
}

function decodeSnapshot(text: string): Snapshot {
  const [startAt, weight, participantCount, people] = JSON.parse(text) as [
    number,
    number,
    number,
    SnapshotParticipant[],
  ];
  return {
    startAt,
    weight,
    participantCount,
    participants: people.map(([personId, internal, organizer, response, companyDomain]) => ({
      personId,
      internal: internal === 1,
      organizer: organizer === 1,
      response,
      companyDomain,
    })),
  };
}

function factsOf(row: MeetingRow): MeetingFacts {
  return {
    startAt: row.start_at,
    endAt: row.end_at,
    isAllDay: row.is_all_day === 1,
    isCancelled: row.is_cancelled === 1,
    isPrivate: row.is_private === 1,
    isOnline: row.is_online === 1,
    type: row.type,
    participantCount: row.participant_count,
  };
}

/** Adds (1) or takes away (-1) everything one meeting contributes. */
function addMeeting(deltas: TieDeltas, snapshot: Snapshot, sign: 1 | -1): void {
  forEachTerm(
    snapshot.startAt,
    snapshot.weight,
    snapshot.participantCount,
    snapshot.participants,
    (term) => deltas.add(term, sign),
  );
}

/** A delta that changes nothing: a meeting taken away and put back as it was. */
function changesNothing(d: TieDelta): boolean {
  return (
    d.meetings === 0 &&
    d.g30 === 0 &&
    d.g90 === 0 &&
    d.g365 === 0 &&
    d.oneOnOnes === 0 &&
    d.reciprocated === 0 &&
    d.firstAdded === d.firstRemoved &&
    d.lastAdded === d.lastRemoved
  );
}

// stand-ins for "no meeting added" that lose every min/max against a real instant
const NO_FIRST = Number.MAX_SAFE_INTEGER;
const NO_LAST = -1;
// first_met written when the tie's span is unknown now (writeTieDeltas's upsert)
const SPAN_UNKNOWN = -1;

/**
 * Whether a meeting that may have been the tie's first or last went away without one at the same
 * instant or beyond it taking its place: the stored span may be wrong now, and min and max cannot
 * be subtracted, so it becomes unknown until an answer shows it (readTieSpans) or a rebuild.
 */
function spanMayHaveGone(d: TieDelta): boolean {
  return d.firstRemoved < d.firstAdded || d.lastRemoved > d.lastAdded;
}

/** A delta as a row of TIE_COLUMNS (bulk writes). */
function tieValues(d: TieDelta): unknown[] {
  // colleagues' spans are never shown
  const first = spanMayHaveGone(d)
    ? SPAN_UNKNOWN
    : Number.isFinite(d.firstAdded)
      ? d.firstAdded
      : NO_FIRST;
  const last = Number.isFinite(d.lastAdded) ? d.lastAdded : NO_LAST;
  return [
    d.otherId,
    d.personId,
    d.otherInternal ? 1 : 0,
    d.otherDomain,
    d.g30,
    d.g90,
    d.g365,
    d.meetings,
    d.oneOnOnes,
    d.reciprocated,
    d.otherInternal ? null : first,
    d.otherInternal ? null : last,
  ];
}

/**
 * Whether writeTieDeltas must read the tie's meeting count back: only a count that moved can make
 * the tie new or empty. Most deltas of a changed meeting only move its sums.
 */
function needsStoredTie(d: TieDelta): boolean {
  return d.meetings !== 0;
}

/**
 * SQLite: one prepared upsert per tie on the store's connection, reading back (RETURNING, as
 * arrays) only the ties needsStoredTie names; RETURNING costs as much again as the write.
 */
function upsertTiesOnSqlite(
  trx: StoreDb,
  sqlite: NonNullable<Store['sqlite']>,
  tenantId: string,
  changed: readonly TieDelta[],
  upsert: RawBuilder<unknown>,
  stored: Map<TieDelta, number>,
): void {
  const columns = sql.join([sql.ref('tenant_id'), ...TIE_COLUMNS.map(([name]) => sql.ref(name))]);
  const placeholders = sql.join(TIE_COLUMNS.map(() => sql.raw('?')));
  const insert = sql`insert into ties (${columns}) values (?, ${placeholders}) ${upsert}`;
  const plain = insert.compile(trx);
  const reading = sql`${insert} returning meetings`.compile(trx);
  const write = sqlite.prepare(plain.sql);
  const writeAndRead = sqlite.prepare(reading.sql).raw(true);
  try {
    for (const d of changed) {
      const values = tieValues(d);
      if (!needsStoredTie(d)) {
        write.run(tenantId, ...values, ...plain.parameters);
        continue;
      }
      const row = writeAndRead.get(tenantId, ...values, ...reading.parameters) as
        [number] | undefined;
      if (row !== undefined) stored.set(d, Number(row[0]));
    }
  } catch (error) {
    throw translateDatabaseError(error);
  }
}

/**
 * Adds the deltas to the stored ties and deletes ties left with no meeting: a constant amount of
 * work per changed tie. First and last met move with the meetings added; where one may have gone
 * (spanMayHaveGone) the span becomes unknown, and an answer reads it (readTieSpans).
 */
async function writeTieDeltas(
  trx: StoreDb,
  dialect: StoreDialect,
  tenantId: string,
  deltas: TieDeltas,
  sqlite: Store['sqlite'],
): Promise<number> {
  const changed = deltas.sorted().filter((d) => !changesNothing(d));
  const [least, greatest] = dialect === 'sqlite' ? ['min', 'max'] : ['least', 'greatest'];
  const unknown = sql`excluded.other_internal = 1 or excluded.first_met < 0 or ties.first_met is null
    or ties.first_met < 0`;
  const upsert = sql`on conflict (tenant_id, other_id, person_id) do update set
    other_internal = excluded.other_internal,
    other_domain = excluded.other_domain,
    g30 = ties.g30 + excluded.g30,
    g90 = ties.g90 + excluded.g90,
    g365 = ties.g365 + excluded.g365,
    meetings = ties.meetings + excluded.meetings,
    one_on_ones = ties.one_on_ones + excluded.one_on_ones,
    reciprocated = ties.reciprocated + excluded.reciprocated,
    first_met = case when ${unknown} then null
      else ${sql.raw(least)}(ties.first_met, excluded.first_met) end,
    last_met = case when ${unknown} then null
      else ${sql.raw(greatest)}(ties.last_met, excluded.last_met) end`;
  // meeting counts after the write, of the ties that may have become new or empty
  const stored = new Map<TieDelta, number>();
  if (sqlite !== undefined) {
    upsertTiesOnSqlite(trx, sqlite, tenantId, changed, upsert, stored);
  } else if (dialect === 'postgres') {
    await upsertTiesOnPostgres(trx, tenantId, changed, upsert, stored);
  } else {
    for (const slice of chunked(changed, BULK_ROWS_PER_STATEMENT[dialect])) {
      const written = await bulkInsert<{ other_id: number; person_id: number; meetings: number }>(
        trx,
        dialect,
        'ties',
        tenantId,
        TIE_COLUMNS,
        slice.map(tieValues),
        { onConflict: upsert, returning: ['other_id', 'person_id', 'meetings'] },
      );
      collectStoredMeetings(slice, written, stored);
    }
  }

  // a tie whose last meeting went is deleted, not left at zero; a new or deleted external tie
  // moves its employee's degree by one (a stored tie always has meetings, so a tie whose count
  // now equals this batch's count is new)
  const emptied = changed.filter((d) => (stored.get(d) ?? 1) <= 0);
  await deleteTies(trx, dialect, tenantId, emptied, sqlite);
  const degreeChanges = new Map<number, number>();
  for (const d of changed) {
    const meetings = stored.get(d);
    if (d.otherInternal || meetings === undefined) continue;
    const change =
      meetings <= 0 ? (meetings - d.meetings > 0 ? -1 : 0) : meetings === d.meetings ? 1 : 0;
    if (change !== 0) degreeChanges.set(d.personId, (degreeChanges.get(d.personId) ?? 0) + change);
  }
  await addToDegrees(trx, tenantId, degreeChanges);
  return changed.length;
}

/** Records the meeting counts a write returned, by the delta of the same key. */
function collectStoredMeetings(
  slice: readonly TieDelta[],
  written: ReadonlyArray<{ other_id: number; person_id: number; meetings: number }>,
  stored: Map<TieDelta, number>,
): void {
  const byKey = new Map<string, number>();
  for (const row of written) {
    byKey.set(`${Number(row.other_id)}:${Number(row.person_id)}`, Number(row.meetings));
  }
  for (const delta of slice) {
    const meetings = byKey.get(`${delta.otherId}:${delta.personId}`);
    if (meetings !== undefined) stored.set(delta, meetings);
  }
}

/**
 * PostgreSQL: the upsert in slices, each slice's statement built while the previous one runs,
 * returning only ties it created or emptied (xmax = 0 marks a row this statement inserted):
 * the rest, most of a round, need not cross the wire and be parsed.
 */
async function upsertTiesOnPostgres(
  trx: StoreDb,
  tenantId: string,
  changed: readonly TieDelta[],
  upsert: RawBuilder<unknown>,
  stored: Map<TieDelta, number>,
): Promise<void> {
  type Written = { other_id: number; person_id: number; meetings: number };
  let writing: Promise<unknown> = Promise.resolve();
  for (const slice of chunked(changed, BULK_ROWS_PER_STATEMENT.postgres)) {
    const insert = postgresBulkInsert('ties', tenantId, TIE_COLUMNS, slice.map(tieValues), {
      onConflict: sql`${upsert} returning other_id, person_id, meetings, xmax = 0 as created`,
    });
    await writing;
    const statement = sql<Written>`with written as (${insert})
      select other_id, person_id, meetings from written where created or meetings <= 0`.execute(
      trx,
    );
    writing = statement.then(({ rows }) => collectStoredMeetings(slice, rows, stored));
    await started(writing);
  }
  await writing;
}

/** Deletes these ties of the tenant. */
async function deleteTies(
  trx: StoreDb,
  dialect: StoreDialect,
  tenantId: string,
  ties: readonly Pick<TieDelta, 'otherId' | 'personId'>[],
  sqlite: Store['sqlite'],
): Promise<void> {
  if (sqlite !== undefined) {
    // one prepared delete per tie: ~2 µs each, where a long row-value IN list cost ~25 µs a pair
    const remove = sqlite.prepare(
      'delete from ties where tenant_id = ? and other_id = ? and person_id = ?',
    );
    try {
      for (const d of ties) remove.run(tenantId, d.otherId, d.personId);
    } catch (error) {
      throw translateDatabaseError(error);
    }
    return;
  }
  if (dialect === 'postgres') {
    // the keys as two arrays joined to ties: a list of (other_id, person_id) tuples becomes an OR
    // of thousands of index probes that PostgreSQL rechecks against every row it fetches (~1 s);
    // 10,000 keys a statement stay well inside a plan of index probes rather than a scan
    for (const slice of chunked(ties, 10_000)) {
      await sql`delete from ties using unnest(${slice.map((d) => d.otherId)}::integer[],
          ${slice.map((d) => d.personId)}::integer[]) as w(other_id, person_id)
        where ties.tenant_id = ${tenantId}
          and ties.other_id = w.other_id and ties.person_id = w.person_id`.execute(trx);
    }
    return;
  }
  for (const slice of chunked(ties, rowsPerStatement(2))) {
    await trx
      .deleteFrom('ties')
      .where('tenant_id', '=', tenantId)
      .where((eb) =>
        eb(
          eb.refTuple('other_id', 'person_id'),
          'in',
          slice.map((d) => eb.tuple(d.otherId, d.personId)),
        ),
      )
      .execute();
  }
}

/** Adds to each employee's count of external contacts. */
async function addToDegrees(
  trx: StoreDb,
  tenantId: string,
  changes: ReadonlyMap<number, number>,
): Promise<void> {
  const rows = [...changes]
    .filter(([, change]) => change !== 0)
    .sort(([a], [b]) => a - b)
    .map(([personId, change]) => ({
      tenant_id: tenantId,
      person_id: personId,
      external_contacts: change,
    }));
  for (const slice of chunkRows(rows)) {
    await trx
      .insertInto('tie_degrees')
      .values(slice)
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'person_id']).doUpdateSet({
          external_contacts: sql<number>`tie_degrees.external_contacts + excluded.external_contacts`,
        }),
      )
      .execute();
  }
}

export interface ScoringState {
  scoredUntil: number;
  parametersVersion: string;
  rebuiltAt: number | null;
}

export async function getScoringState(
  db: StoreDb,
  tenantId: string,
): Promise<ScoringState | undefined> {
  const row = await db
    .selectFrom('scoring_state')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : {
        scoredUntil: Number(row.scored_until),
        parametersVersion: row.parameters_version,
        rebuiltAt: row.rebuilt_at === null ? null : Number(row.rebuilt_at),
      };
}

async function countingRules(db: StoreDb, tenantId: string): Promise<CountingRules> {
  const state = await getScoringState(db, tenantId);
  if (state === undefined) {
    throw new Error(`Tenant ${tenantId} has no scoring state yet: rebuild its ties first`);
  }
  const settings = await getTenantSettings(db, tenantId);
  return { scoredUntil: state.scoredUntil, allowPrivate: settings.syncPrivateAppointments };
}

/** When an employee first and last met someone, in epoch ms. */
export interface TieSpan {
  firstMet: number;
  lastMet: number;
}

// pairs per readTieSpans statement
const SPANS_PER_STATEMENT = 5_000;

type SpanRow = { person_id: number; other_id: number; first_met: number; last_met: number };

/**
 * First and last met of these ties from the meetings that count (model.ts meetingWeight and
 * responseWeight) up to the scoring clock, as a select of SpanRow. Its text does not depend on
 * the ties, so PostgreSQL can run it prepared.
 */
function spansOf(
  dialect: StoreDialect,
  tenantId: string,
  ties: ReadonlyArray<{ personId: number; otherId: number }>,
): RawBuilder<SpanRow> {
  const wanted =
    dialect === 'postgres'
      ? sql`select * from unnest(${ties.map((t) => t.personId)}::integer[],
          ${ties.map((t) => t.otherId)}::integer[]) as w(person_id, other_id)`
      : sql`select value ->> 0 as person_id, value ->> 1 as other_id from json_each(${JSON.stringify(
          ties.map((t) => [t.personId, t.otherId]),
        )})`;
  // the meetings that count, of one pair (them: the contact, me: the employee); "+ 0" keeps both
  // engines walking the contact's few meetings, not merging them with the employee's hundreds
  const joinAndCount = sql`
    join attendance me on me.tenant_id = them.tenant_id and me.event_id = them.event_id
      and me.person_id + 0 = w.person_id
    join events e on e.tenant_id = them.tenant_id and e.event_id = them.event_id
    where them.tenant_id = ${tenantId} and them.person_id = w.other_id
      and e.is_cancelled = 0
      and e.start_at <= (select scored_until from scoring_state where tenant_id = ${tenantId})
      and e.participant_count >= 2
      and e.participant_count <= ${SCORING_PARAMETERS.maxPeople}
      -- a meeting of no length weighs nothing unless it is all-day
      and (e.is_all_day = 1 or e.end_at > e.start_at)
      and (e.is_private = 0 or exists (select 1 from tenant_settings s
        where s.tenant_id = ${tenantId} and s.sync_private_appointments = 1))
      and (me.role = 'organizer' or coalesce(me.response, 'none') <> 'declined')
      and (them.role = 'organizer' or coalesce(them.response, 'none') <> 'declined')`;
  if (dialect === 'postgres') {
    // one walk of each contact's few meetings: as a join over thousands of pairs PostgreSQL
    // misjudged the events' filter and hashed all attendance instead (4 s for 2,000 pairs)
    return sql<SpanRow>`
      select w.person_id, w.other_id, s.first_met, s.last_met
      from (${wanted}) as w
      cross join lateral (
        select min(e.start_at) as first_met, max(e.start_at) as last_met
        from attendance them ${joinAndCount}
      ) as s
      where s.first_met is not null`;
  }
  return sql<SpanRow>`
    select w.person_id, w.other_id, min(e.start_at) as first_met, max(e.start_at) as last_met
    from (${wanted}) as w
    join attendance them on them.person_id = w.other_id ${joinAndCount}
    group by w.person_id, w.other_id`;
}

/**
 * First and last met of these ties, by `${personId}:${otherId}`, read from the meetings: for the
 * few ties an answer shows whose stored span is unknown.
 */
export async function readTieSpans(
  store: Pick<Store, 'db' | 'dialect'> & Partial<Pick<Store, 'postgres'>>,
  tenantId: string,
  ties: ReadonlyArray<{ personId: number; otherId: number }>,
): Promise<Map<string, TieSpan>> {
  const spans = new Map<string, TieSpan>();
  for (const slice of chunked(ties, SPANS_PER_STATEMENT)) {
    const query = spansOf(store.dialect, tenantId, slice);
    const rows =
      store.postgres === undefined
        ? (await query.execute(store.db)).rows
        : await queryPrepared<SpanRow>(store.postgres, query.compile(store.db));
    for (const row of rows) {
      spans.set(`${Number(row.person_id)}:${Number(row.other_id)}`, {
        firstMet: Number(row.first_met),
        lastMet: Number(row.last_met),
      });
    }
  }
  return spans;
}

/** Unknown spans made known per repairTieSpans call: a bounded amount of work after a score run. */
export const SPAN_REPAIRS_PER_RUN = 2_000;

/**
 * Makes up to `limit` unknown first-and-last-met spans of the tenant's contacts known again, from
 * their meetings (ties_unknown_span_idx finds them), so answers seldom read one. Alone with the
 * tenant's ties while it runs: no score batch moves a tie between its read and its write.
 */
export async function repairTieSpans(
  store: Pick<Store, 'db' | 'dialect'>,
  tenantId: string,
  limit = SPAN_REPAIRS_PER_RUN,
): Promise<number> {
  return store.db.transaction().execute(async (trx) => {
    await lockTenantTies(trx, store.dialect, tenantId, 'alone');
    const unknown = await trx
      .selectFrom('ties')
      .select(['person_id', 'other_id'])
      .where('tenant_id', '=', tenantId)
      .where('other_internal', '=', 0)
      .where((eb) => eb.or([eb('first_met', 'is', null), eb('first_met', '<', 0)]))
      .limit(limit)
      .execute();
    if (unknown.length === 0) return 0;
    const spans = spansOf(
      store.dialect,
      tenantId,
      unknown.map((t) => ({ personId: t.person_id, otherId: t.other_id })),
    );
    const result = await sql`update ties set first_met = spans.first_met, last_met = spans.last_met
      from (${spans}) as spans
      where ties.tenant_id = ${tenantId}
        and ties.other_id = spans.other_id and ties.person_id = spans.person_id`.execute(trx);
    return Number(result.numAffectedRows ?? 0);
  });
}

/**
 * On PostgreSQL, the tenant's ties for this transaction: score batches share them ('shared'), a
 * rebuild or a span repair has them 'alone'. SQLite's one writer already does this.
 */
async function lockTenantTies(
  trx: StoreDb,
  dialect: StoreDialect,
  tenantId: string,
  mode: 'shared' | 'alone',
): Promise<void> {
  if (dialect !== 'postgres') return;
  const key = `warmpath:ties:${tenantId}`;
  await (
    mode === 'alone'
      ? sql`select pg_advisory_xact_lock(hashtext(${key}))`
      : sql`select pg_advisory_xact_lock_shared(hashtext(${key}))`
  ).execute(trx);
}

interface LoadedMeeting {
  row: MeetingRow;
  participants: Participant[];
}

/** The event columns the model reads. */
const MEETING_COLUMNS = [
  'event_id',
  'start_at',
  'end_at',
  'is_all_day',
  'is_cancelled',
  'is_private',
  'is_online',
  'type',
  'participant_count',
] as const;

type MeetingRow = Pick<EventRow, (typeof MEETING_COLUMNS)[number]>;

/** What the model needs of every person in the tenant, for a rebuild that reads all meetings. */
async function peopleFacts(
  db: StoreDb,
  tenantId: string,
): Promise<Map<number, Pick<Participant, 'internal' | 'companyDomain'>>> {
  const rows = await db
    .selectFrom('people')
    .select(['person_id', 'kind', 'domain', 'is_personal_domain'])
    .where('tenant_id', '=', tenantId)
    .execute();
  return new Map(
    rows.map((row) => {
      const { internal, companyDomain } = participantFrom({
        personId: row.person_id,
        kind: row.kind,
        domain: row.domain,
        isPersonalDomain: row.is_personal_domain === 1,
        role: 'required',
        response: null,
      });
      return [row.person_id, { internal, companyDomain }];
    }),
  );
}

/**
 * Slices of event ids, each matched by one statement: on PostgreSQL as one array parameter (a list
 * of thousands of parameters was planned afresh each time, ~10x the cost), on SQLite as a bound
 * list, which its prepared statements read fastest.
 */
function eventIdSlices(dialect: StoreDialect, eventIds: readonly number[]): number[][] {
  return chunked(eventIds, dialect === 'postgres' ? EVENT_IDS_PER_ARRAY : rowsPerStatement(1));
}

/** `column` is one of the slice's event ids (eventIdSlices). */
function eventIdIn(
  dialect: StoreDialect,
  column: string,
  slice: readonly number[],
): RawBuilder<SqlBool> {
  return dialect === 'postgres'
    ? sql<SqlBool>`${sql.ref(column)} = any(${slice}::integer[])`
    : sql<SqlBool>`${sql.ref(column)} in (${sql.join(slice)})`;
}

// ids per PostgreSQL array parameter: a whole score batch in one statement
const EVENT_IDS_PER_ARRAY = 50_000;

/** The meetings with these ids that exist, with everyone on them as the model reads them. */
type ParticipantRow = Parameters<typeof participantFrom>[0];

async function loadMeetings(
  db: StoreDb,
  dialect: StoreDialect,
  tenantId: string,
  eventIds: readonly number[],
  sqlite: Store['sqlite'],
): Promise<Map<number, LoadedMeeting>> {
  const meetings = new Map<number, LoadedMeeting>();
  for (const slice of eventIdSlices(dialect, eventIds)) {
    const events = db
      .selectFrom('events')
      .select(MEETING_COLUMNS)
      .where('tenant_id', '=', tenantId)
      .where(eventIdIn(dialect, 'event_id', slice));
    for (const row of await selectRows(events, MEETING_COLUMNS, sqlite)) {
      const event = Object.fromEntries(
        MEETING_COLUMNS.map((column, i) => [column, row[i]]),
      ) as MeetingRow;
      meetings.set(event.event_id, { row: event, participants: [] });
    }
    const attendance = db
      .selectFrom('attendance as a')
      .innerJoin('people as p', (join) =>
        join.onRef('p.tenant_id', '=', 'a.tenant_id').onRef('p.person_id', '=', 'a.person_id'),
      )
      .select([
        'a.event_id',
        'a.person_id',
        'a.role',
        'a.response',
        'p.kind',
        'p.domain',
        'p.is_personal_domain',
      ])
      .where('a.tenant_id', '=', tenantId)
      .where(eventIdIn(dialect, 'a.event_id', slice));
    const columns = [
      'event_id',
      'person_id',
      'role',
      'response',
      'kind',
      'domain',
      'is_personal_domain',
    ] as const;
    for (const row of await selectRows(attendance, columns, sqlite)) {
      meetings.get(row[0] as number)?.participants.push(
        participantFrom({
          personId: row[1] as number,
          role: row[2] as ParticipantRow['role'],
          response: row[3] as ParticipantRow['response'],
          kind: row[4] as ParticipantRow['kind'],
          domain: row[5] as string,
          isPersonalDomain: row[6] === 1,
        }),
      );
    }
  }
  // in the order a rebuild reads them, so both add the same terms in the same order
  for (const meeting of meetings.values()) {
    meeting.participants.sort((a, b) => a.personId - b.personId);
  }
  return meetings;
}

/**
 * A select's rows as arrays in `columns` order. Inside a transaction on SQLite, better-sqlite3
 * hands back arrays (a score batch reads ~150,000 rows: an object per row cost ~2 µs more each);
 * elsewhere Kysely runs it and the values are lined up by name.
 */
async function selectRows(
  query: Compilable & { execute(): Promise<Record<string, unknown>[]> },
  columns: readonly string[],
  sqlite: Store['sqlite'],
): Promise<unknown[][]> {
  if (sqlite !== undefined) {
    const compiled = query.compile();
    return sqlite
      .prepare(compiled.sql)
      .raw(true)
      .all(...compiled.parameters) as unknown[][];
  }
  const rows = await query.execute();
  return rows.map((row) => columns.map((column) => row[column]));
}

function snapshotOf(meeting: LoadedMeeting, rules: CountingRules): Snapshot | undefined {
  const weight = meetingWeight(factsOf(meeting.row), rules);
  if (weight <= 0 || !meeting.participants.some((p) => p.internal)) return undefined;
  return {
    startAt: meeting.row.start_at,
    weight,
    participantCount: meeting.row.participant_count,
    participants: meeting.participants,
  };
}

export interface ScoreRunResult {
  /** meetings whose contribution was recomputed */
  events: number;
  /** attendance rows read and snapshot rows undone */
  attendanceRows: number;
  /** tie rows written */
  ties: number;
}

/** Recomputes one batch of queued meetings in one transaction; 0 events when the queue is empty. */
async function applyScoreBatch(
  store: Pick<Store, 'db' | 'dialect' | 'sqlite'>,
  tenantId: string,
  batchEvents: number,
): Promise<ScoreRunResult> {
  return retryOnConflict(() =>
    store.db.transaction().execute(async (trx) => {
      await lockTenantTies(trx, store.dialect, tenantId, 'shared');
      const claimed = await trx
        .selectFrom('score_queue')
        .select('event_id')
        .where('tenant_id', '=', tenantId)
        .orderBy('event_id')
        .limit(batchEvents)
        .$if(store.dialect === 'postgres', (qb) => qb.forUpdate().skipLocked())
        .execute();
      const eventIds = claimed.map((row) => row.event_id);
      if (eventIds.length === 0) return { events: 0, attendanceRows: 0, ties: 0 };
      const rules = await countingRules(trx, tenantId);
      const deltas = new TieDeltas();
      let attendanceRows = 0;

      const storedSnapshots: Array<{ event_id: number; snapshot: string }> = [];
      for (const slice of eventIdSlices(store.dialect, eventIds)) {
        const rows = await trx
          .selectFrom('scored_events')
          .select(['event_id', 'snapshot'])
          .where('tenant_id', '=', tenantId)
          .where(eventIdIn(store.dialect, 'event_id', slice))
          .execute();
        for (const row of rows) storedSnapshots.push(row);
      }
      // the database reads the meetings while their old contributions are taken away here
      const loading = loadMeetings(trx, store.dialect, tenantId, eventIds, store.sqlite);
      await started(loading);
      const previous = new Map<number, Snapshot>();
      for (const row of storedSnapshots) {
        const snapshot = decodeSnapshot(row.snapshot);
        previous.set(row.event_id, snapshot);
        attendanceRows += snapshot.participants.length;
        addMeeting(deltas, snapshot, -1);
      }
      const meetings = await loading;
      const snapshots: [eventId: number, snapshot: string][] = [];
      const gone: number[] = [];
      for (const eventId of eventIds) {
        const meeting = meetings.get(eventId);
        const snapshot = meeting === undefined ? undefined : snapshotOf(meeting, rules);
        attendanceRows += meeting?.participants.length ?? 0;
        if (snapshot === undefined) {
          if (previous.has(eventId)) gone.push(eventId);
          continue;
        }
        addMeeting(deltas, snapshot, 1);
        snapshots.push([eventId, encodeSnapshot(snapshot)]);
      }

      // the same bulk write as a rebuild's, replacing the snapshot a meeting had; on PostgreSQL
      // it runs while the ties' deltas are sorted and their statements built
      const writingSnapshots = (async () => {
        for (const slice of chunked(snapshots, BULK_ROWS_PER_STATEMENT[store.dialect])) {
          await bulkInsert(trx, store.dialect, 'scored_events', tenantId, SNAPSHOT_COLUMNS, slice, {
            onConflict: sql`on conflict (tenant_id, event_id) do update set snapshot = excluded.snapshot`,
            sqlite: store.sqlite,
          });
        }
      })();
      await started(writingSnapshots);
      const ties = await writeTieDeltas(trx, store.dialect, tenantId, deltas, store.sqlite);
      await writingSnapshots;
      for (const slice of eventIdSlices(store.dialect, gone)) {
        await trx
          .deleteFrom('scored_events')
          .where('tenant_id', '=', tenantId)
          .where(eventIdIn(store.dialect, 'event_id', slice))
          .execute();
      }
      for (const slice of eventIdSlices(store.dialect, eventIds)) {
        await trx
          .deleteFrom('score_queue')
          .where('tenant_id', '=', tenantId)
          .where(eventIdIn(store.dialect, 'event_id', slice))
          .execute();
      }
      return { events: eventIds.length, attendanceRows, ties };
    }),
  );
}

/** Applies the whole queue, a batch per transaction. */
export async function applyScoreQueue(
  store: Pick<Store, 'db' | 'dialect' | 'sqlite'>,
  tenantId: string,
  options: { batchEvents?: number; signal?: AbortSignal } = {},
): Promise<ScoreRunResult> {
  const total: ScoreRunResult = { events: 0, attendanceRows: 0, ties: 0 };
  for (;;) {
    options.signal?.throwIfAborted();
    const batch = await applyScoreBatch(store, tenantId, options.batchEvents ?? SCORE_BATCH_EVENTS);
    if (batch.events === 0) return total;
    tiesChanged(tenantId);
    total.events += batch.events;
    total.attendanceRows += batch.attendanceRows;
    total.ties += batch.ties;
  }
}

/**
 * Moves the scoring clock to `now`: meetings that started since it last moved now count, so they
 * are queued. Decay itself needs no job: sums read at any time decay by one shared factor.
 */
export async function advanceScoringClock(
  store: Pick<Store, 'db'>,
  tenantId: string,
  now: number,
): Promise<number> {
  return store.db.transaction().execute(async (trx) => {
    const state = await getScoringState(trx, tenantId);
    if (state === undefined || now <= state.scoredUntil) return 0;
    const started = await trx
      .selectFrom('events')
      .select('event_id')
      .where('tenant_id', '=', tenantId)
      .where('start_at', '>', state.scoredUntil)
      .where('start_at', '<=', now)
      .execute();
    await queueEventsForScoring(
      trx,
      tenantId,
      started.map((row) => row.event_id),
      now,
    );
    // never backwards, whichever of two workers commits last
    await trx
      .updateTable('scoring_state')
      .set({ scored_until: now, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('scored_until', '<', now)
      .execute();
    return started.length;
  });
}

export interface RebuildResult {
  events: number;
  attendanceRows: number;
  ties: number;
}

const SNAPSHOT_COLUMNS = [
  ['event_id', 'integer'],
  ['snapshot', 'text'],
] as const satisfies ReadonlyArray<readonly [string, BulkColumnType]>;

/** An attendance row's response as its index in RESPONSE_STATUSES (null stays null). */
const RESPONSE_CODE = sql<number | null>`case response ${sql.join(
  RESPONSE_STATUSES.map((status, code) => sql`when ${sql.lit(status)} then ${sql.lit(code)}`),
  sql` `,
)} end`;

/**
 * Lets a statement just started reach the server before synchronous work that would hold it back
 * (Kysely hands it to the driver a few promise steps later); its failure is still thrown where
 * it is awaited.
 */
async function started(running: Promise<unknown>): Promise<void> {
  running.catch(() => undefined);
  await new Promise((resolve) => setImmediate(resolve));
}

/** Meetings read per step of a rebuild. */
const REBUILD_CHUNK_EVENTS = 20_000;

/**
 * Recomputes every tie of the tenant from its attendance as of `now`, in one transaction, and
 * starts the scoring clock there. Ties are summed in memory, then written once.
 */
export async function rebuildTies(
  store: Pick<Store, 'db' | 'dialect' | 'sqlite'>,
  tenantId: string,
  options: { now?: number } = {},
): Promise<RebuildResult> {
  const now = options.now ?? Date.now();
  const rebuilt = await store.db.transaction().execute(async (trx) => {
    // one rebuild of a tenant at a time across workers, and no score batch meanwhile
    await lockTenantTies(trx, store.dialect, tenantId, 'alone');
    for (const table of ['ties', 'tie_degrees', 'scored_events', 'score_queue'] as const) {
      await trx.deleteFrom(table).where('tenant_id', '=', tenantId).execute();
    }
    await trx
      .insertInto('scoring_state')
      .values({
        tenant_id: tenantId,
        scored_until: now,
        parameters_version: PARAMETERS_VERSION,
        rebuilt_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('tenant_id').doUpdateSet({
          scored_until: now,
          parameters_version: PARAMETERS_VERSION,
          rebuilt_at: now,
          updated_at: now,
        }),
      )
      .execute();
    const rules = await countingRules(trx, tenantId);
    const people = await peopleFacts(trx, tenantId);
    const deltas = new TieDeltas();
    let events = 0;
    let attendanceRows = 0;
    let after = -1;
    // a chunk's snapshots are written while the next chunk is scored: on PostgreSQL the statement
    // runs on the server meanwhile (one statement in flight); on SQLite it runs at once
    const writeSnapshots = async (snapshots: [eventId: number, snapshot: string][]) => {
      for (const slice of chunked(snapshots, BULK_ROWS_PER_STATEMENT[store.dialect])) {
        if (store.dialect === 'postgres') {
          await postgresBulkInsert('scored_events', tenantId, SNAPSHOT_COLUMNS, slice).execute(trx);
        } else {
          await bulkInsert(trx, store.dialect, 'scored_events', tenantId, SNAPSHOT_COLUMNS, slice, {
            sqlite: store.sqlite,
          });
        }
      }
    };
    let snapshots: [eventId: number, snapshot: string][] = [];
    for (;;) {
      // a range of meetings and their attendance, both read along their primary keys
      const rows = await trx
        .selectFrom('events')
        .select(MEETING_COLUMNS)
        .where('tenant_id', '=', tenantId)
        .where('event_id', '>', after)
        .orderBy('event_id')
        .limit(REBUILD_CHUNK_EVENTS)
        .execute();
      if (rows.length === 0) break;
      const first = rows[0]!.event_id;
      after = rows[rows.length - 1]!.event_id;
      const attendance = await trx
        .selectFrom('attendance')
        .select([
          'event_id',
          'person_id',
          // numbers, not 10 million short strings for the collector
          sql<0 | 1>`case when role = 'organizer' then 1 else 0 end`.as('organizer'),
          RESPONSE_CODE.as('response'),
        ])
        .where('tenant_id', '=', tenantId)
        .where('event_id', '>=', first)
        .where('event_id', '<=', after)
        .orderBy('event_id')
        .orderBy('person_id')
        .execute();
      const writing = writeSnapshots(snapshots);
      await started(writing);
      snapshots = [];
      let next = 0;
      for (const row of rows) {
        const participants: Participant[] = [];
        while (next < attendance.length && attendance[next]!.event_id < row.event_id) next++;
        for (; next < attendance.length && attendance[next]!.event_id === row.event_id; next++) {
          const seat = attendance[next]!;
          const person = people.get(seat.person_id);
          if (person === undefined) continue;
          participants.push({
            personId: seat.person_id,
            internal: person.internal,
            companyDomain: person.companyDomain,
            organizer: seat.organizer === 1,
            response: seat.response === null ? null : RESPONSE_STATUSES[seat.response]!,
          });
        }
        events++;
        attendanceRows += participants.length;
        const snapshot = snapshotOf({ row, participants }, rules);
        if (snapshot === undefined) continue;
        addMeeting(deltas, snapshot, 1);
        snapshots.push([row.event_id, encodeSnapshot(snapshot)]);
      }
      await writing;
    }
    await writeSnapshots(snapshots);
    // written in key order, a slice of objects at a time; on PostgreSQL each slice's statement
    // is built while the previous one runs (one statement in flight on the connection)
    const order = deltas.sortedIndices();
    const perStatement = BULK_ROWS_PER_STATEMENT[store.dialect];
    const degrees = new Map<number, number>();
    let writing: Promise<unknown> = Promise.resolve();
    for (let from = 0; from < order.length; from += perStatement) {
      const slice = Array.from(order.subarray(from, from + perStatement), (i) => deltas.delta(i));
      for (const delta of slice) {
        if (!delta.otherInternal) {
          degrees.set(delta.personId, (degrees.get(delta.personId) ?? 0) + 1);
        }
      }
      if (store.dialect === 'postgres') {
        const statement = postgresBulkInsert('ties', tenantId, TIE_COLUMNS, slice.map(tieValues));
        await writing;
        writing = statement.execute(trx);
        await started(writing);
      } else {
        await bulkInsert(trx, store.dialect, 'ties', tenantId, TIE_COLUMNS, slice.map(tieValues), {
          sqlite: store.sqlite,
        });
      }
    }
    await writing;
    await addToDegrees(trx, tenantId, degrees);
    if (store.dialect === 'postgres') {
      // every row is new: without fresh statistics the planner takes 3 million ties for a few
      for (const table of ['ties', 'tie_degrees', 'scored_events'] as const) {
        await sql`analyze ${sql.table(table)}`.execute(trx);
      }
    }
    return { events, attendanceRows, ties: order.length };
  });
  tiesChanged(tenantId);
  return rebuilt;
}

/**
 * Brings a tenant's ties up to date as of `now`: a rebuild the first time or after the model's
 * parameters changed, else the clock moves, the queue is applied and up to SPAN_REPAIRS_PER_RUN
 * unknown spans are made known again.
 */
export async function refreshTies(
  store: Pick<Store, 'db' | 'dialect' | 'sqlite'>,
  tenantId: string,
  options: { now?: number; signal?: AbortSignal } = {},
): Promise<ScoreRunResult & { rebuilt: boolean; spansRepaired: number }> {
  const now = options.now ?? Date.now();
  const state = await getScoringState(store.db, tenantId);
  if (state === undefined || state.parametersVersion !== PARAMETERS_VERSION) {
    return { ...(await rebuildTies(store, tenantId, { now })), rebuilt: true, spansRepaired: 0 };
  }
  await advanceScoringClock(store, tenantId, now);
  const applied = await applyScoreQueue(store, tenantId, options);
  options.signal?.throwIfAborted();
  const spansRepaired = await repairTieSpans(store, tenantId);
  return { ...applied, rebuilt: false, spansRepaired };
}
