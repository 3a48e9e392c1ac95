import { hash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { chunked, flag, rowsPerStatement } from './batch.js';
import { BULK_ROWS_PER_STATEMENT, bulkInsert, type BulkColumnType } from './bulk-insert.js';
import { saveCalendarCursor, type CalendarCursor } from './calendars.js';
import type { StoreDialect } from './dialect.js';
import { StoreValidationError, translateDatabaseError } from './errors.js';
import { allocateIds, IdReservation } from './ids.js';
import { dialectOf, type Store, type StoreDb } from './open-store.js';
import {
  ensurePeople,
  lookupPeople,
  normaliseEmail,
  type KnownPerson,
  type PersonSighting,
} from './people.js';
import type {
  AttendeeRole,
  EventRow,
  EventType,
  NewEventRow,
  PersonKind,
  ResponseStatus,
  Sensitivity,
} from './schema.js';
import { queueEventsForScoring } from './score-queue.js';
import { retryOnConflict } from './transaction.js';

/** A person on a meeting, organizer included; rooms and other resources are left out by the caller. */
export interface AttendeeInput {
  email: string;
  kind: PersonKind;
  role: AttendeeRole;
  response: ResponseStatus | null;
  displayName?: string | null;
  /** registrable domain; defaults to the email's host */
  domain?: string;
  isPersonalDomain?: boolean;
}

/** One meeting instance, normalised from Graph; identical in every mailbox that holds a copy. */
export interface EventInput {
  /** Graph iCalUId: the de-duplication key across mailboxes */
  icalUid: string;
  /** iCalUId of the series master for occurrences and exceptions */
  seriesKey: string | null;
  type: EventType;
  startAt: number;
  endAt: number;
  isAllDay: boolean;
  /** 'YYYY-MM-DD' for all-day events */
  startDate: string | null;
  endDate: string | null;
  originalTimeZone: string | null;
  isCancelled: boolean;
  sensitivity: Sensitivity;
  isPrivate: boolean;
  isOnline: boolean;
  onlineProvider: string | null;
  /** everyone on the meeting with role 'organizer' for the organizer; replaces the stored attendance */
  attendees: readonly AttendeeInput[];
  /** people on the meeting; defaults to the number of distinct attendees */
  participantCount?: number;
}

/** One mailbox's copy of a meeting as a delta page delivers it. */
export interface MailboxCopyInput {
  /** immutable Graph item id in this mailbox */
  graphEventId: string;
  /** the mailbox owner's own response */
  response: ResponseStatus | null;
  isOrganizer: boolean;
  changeKey: string | null;
  lastModifiedAt: number | null;
  event: EventInput;
}

/** One calendarView/delta page of one calendar, stored with its cursor in a single transaction. */
export interface EventPage {
  /** Entra object id of the mailbox owner */
  userId: string;
  calendarId: string;
  /** items added or changed */
  upserts: readonly MailboxCopyInput[];
  /** Graph item ids reported with @removed; unknown ids are ignored */
  removedGraphEventIds: readonly string[];
  /** cursor fields to save (nextLink while the round goes on; deltaLink and lastRoundAt at its end) */
  cursor: Partial<CalendarCursor>;
  /** when the page was received; stamps the copies so a full round can sweep the ones it did not see */
  receivedAt: number;
}

export interface EventPageResult {
  eventsCreated: number;
  eventsUpdated: number;
  eventsUnchanged: number;
  /** meetings dropped because their last mailbox copy went */
  eventsRemoved: number;
  copiesStored: number;
  copiesRemoved: number;
  /** events whose row or attendance changed, for incremental scoring */
  changedEventIds: number[];
  removedEventIds: number[];
}

export interface CopyRemovalResult {
  copiesRemoved: number;
  eventsRemoved: number;
  removedEventIds: number[];
}

/** Code-unit order, identical in every worker regardless of locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const ROLE_RANK: Record<AttendeeRole, number> = { organizer: 3, required: 2, optional: 1 };

interface DesiredAttendee {
  role: AttendeeRole;
  response: ResponseStatus | null;
}

interface PreparedEvent {
  input: EventInput;
  /** by normalised email */
  attendees: Map<string, DesiredAttendee>;
  organizerEmail: string | null;
}

interface PreparedPage {
  copies: Map<string, MailboxCopyInput>;
  removed: string[];
  events: Map<string, PreparedEvent>;
  sightings: Map<string, PersonSighting>;
}

type ComparableEvent = Omit<
  NewEventRow,
  'tenant_id' | 'event_id' | 'ical_uid' | 'created_at' | 'updated_at'
>;

const COMPARED_COLUMNS = [
  'series_key',
  'type',
  'start_at',
  'end_at',
  'is_all_day',
  'start_date',
  'end_date',
  'original_time_zone',
  'is_cancelled',
  'sensitivity',
  'is_private',
  'is_online',
  'online_provider',
  'organizer_person_id',
  'participant_count',
] as const satisfies readonly (keyof ComparableEvent)[];

function prepareEvent(input: EventInput, sightings: Map<string, PersonSighting>): PreparedEvent {
  if (input.icalUid === '') {
    throw new StoreValidationError(
      'icalUid',
      'Every event needs its iCalUId; hydrate occurrences first',
    );
  }
  if (!Number.isSafeInteger(input.startAt) || !Number.isSafeInteger(input.endAt)) {
    throw new StoreValidationError(
      'startAt',
      `Event ${input.icalUid} needs startAt/endAt as integer epoch milliseconds`,
    );
  }
  const attendees = new Map<string, DesiredAttendee>();
  for (const attendee of input.attendees) {
    const email = normaliseEmail(attendee.email);
    const seen = attendees.get(email);
    // the same address listed twice (organizer also as attendee) keeps its strongest role
    if (seen === undefined || ROLE_RANK[attendee.role] > ROLE_RANK[seen.role]) {
      attendees.set(email, { role: attendee.role, response: attendee.response });
    }
    const known = sightings.get(email);
    if (known === undefined || (known.kind === 'external' && attendee.kind === 'internal')) {
      sightings.set(email, {
        email,
        kind: attendee.kind,
        displayName: attendee.displayName ?? known?.displayName ?? null,
        ...(attendee.domain === undefined ? {} : { domain: attendee.domain }),
        ...(attendee.isPersonalDomain === undefined
          ? {}
          : { isPersonalDomain: attendee.isPersonalDomain }),
      });
    } else if (!known.displayName && attendee.displayName) {
      known.displayName = attendee.displayName;
    }
  }
  const organizers: string[] = [];
  for (const [email, attendee] of attendees) {
    if (attendee.role === 'organizer') organizers.push(email);
  }
  if (organizers.length > 1) {
    throw new StoreValidationError(
      'attendees',
      `Event ${input.icalUid} lists ${organizers.length} organizers (${organizers.join(', ')}); keep one`,
    );
  }
  return { input, attendees, organizerEmail: organizers[0] ?? null };
}

/** Validates and de-duplicates a page: later items win, a removal beats an upsert of the same id. */
function preparePage(page: EventPage): PreparedPage {
  const removed = [...new Set(page.removedGraphEventIds)];
  const removedSet = new Set(removed);
  const copies = new Map<string, MailboxCopyInput>();
  for (const copy of page.upserts) {
    if (!removedSet.has(copy.graphEventId)) copies.set(copy.graphEventId, copy);
  }
  const sightings = new Map<string, PersonSighting>();
  const events = new Map<string, PreparedEvent>();
  for (const copy of copies.values()) {
    events.set(copy.event.icalUid, prepareEvent(copy.event, sightings));
  }
  return { copies, removed, events, sightings };
}

function comparableRow(prepared: PreparedEvent, personIds: Map<string, number>): ComparableEvent {
  const { input, organizerEmail, attendees } = prepared;
  return {
    series_key: input.seriesKey,
    type: input.type,
    start_at: input.startAt,
    end_at: input.endAt,
    is_all_day: flag(input.isAllDay),
    start_date: input.startDate,
    end_date: input.endDate,
    original_time_zone: input.originalTimeZone,
    is_cancelled: flag(input.isCancelled),
    sensitivity: input.sensitivity,
    is_private: flag(input.isPrivate),
    is_online: flag(input.isOnline),
    online_provider: input.onlineProvider,
    organizer_person_id: organizerEmail === null ? null : (personIds.get(organizerEmail) ?? null),
    participant_count: input.participantCount ?? attendees.size,
  };
}

/**
 * A digest of the attendance a page makes an event have (person, role, response), kept on the
 * event row: when the stored digest matches, the stored attendance does too and is not read.
 * Attendance is written only here, always with its digest; rows without one are compared in full.
 */
function attendanceKey(prepared: PreparedEvent, personIds: Map<string, number>): string {
  // the same digest as hashing the entries sorted and joined by newlines, without the copies and
  // hash objects that cost ~12 % of a round's allocations (a meeting has a handful of entries)
  const entries: string[] = [];
  for (const [email, attendee] of prepared.attendees) {
    const entry = `${personIds.get(email)}:${attendee.role}:${attendee.response ?? ''}`;
    let at = entries.length;
    for (; at > 0 && (entries[at - 1] as string) > entry; at--) entries[at] = entries[at - 1]!;
    entries[at] = entry;
  }
  let text = entries[0] ?? '';
  for (let i = 1; i < entries.length; i++) text += `\n${entries[i]}`;
  return hash('sha256', text, 'base64url').slice(0, 22);
}

function sameEvent(stored: StoredEvent, wanted: ComparableEvent): boolean {
  return COMPARED_COLUMNS.every((column) => stored[column] === wanted[column]);
}

/** Ids of the events among `icalUids` that exist for the tenant. */
export async function findEventIds(
  db: StoreDb,
  tenantId: string,
  icalUids: readonly string[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const slice of chunked(icalUids, rowsPerStatement(1))) {
    const rows = await db
      .selectFrom('events')
      .select(['ical_uid', 'event_id'])
      .where('tenant_id', '=', tenantId)
      .where('ical_uid', 'in', slice)
      .execute();
    for (const row of rows) ids.set(row.ical_uid, row.event_id);
  }
  return ids;
}

interface PageLookahead {
  people: IdReservation;
  events: IdReservation;
  /** existing people read before the transaction (PostgreSQL only) */
  knownPeople?: Map<string, KnownPerson>;
}

/**
 * On PostgreSQL, reads who already exists and reserves the ids a page will need in short
 * autocommit statements, so the page's transaction never holds the id_sequences row lock that
 * other workers wait on. (SQLite has one writer: it does all of this inside the transaction.)
 */
async function lookAhead(
  store: Pick<Store, 'db'>,
  tenantId: string,
  prepared: PreparedPage,
): Promise<PageLookahead> {
  const knownPeople = await lookupPeople(store.db, tenantId, [...prepared.sightings.keys()]);
  const knownEvents = await findEventIds(store.db, tenantId, [...prepared.events.keys()]);
  const reserve = async (name: 'people' | 'events', count: number) =>
    count > 0
      ? new IdReservation(tenantId, name, await allocateIds(store.db, tenantId, name, count), count)
      : new IdReservation(tenantId, name);
  return {
    people: await reserve('people', prepared.sightings.size - knownPeople.size),
    events: await reserve('events', prepared.events.size - knownEvents.size),
    knownPeople,
  };
}

/**
 * Reads the tenant's events with these ids and, on PostgreSQL, locks them (FOR UPDATE) in
 * event_id order, so that two transactions locking overlapping sets take the locks in the same
 * order. Ids of events that no longer exist (a concurrent transaction dropped them) are left out.
 */
async function lockEventsById(
  trx: StoreDb,
  dialect: StoreDialect,
  tenantId: string,
  eventIds: Iterable<number>,
): Promise<EventRow[]> {
  const sorted = [...new Set(eventIds)].sort((a, b) => a - b);
  const rows: EventRow[] = [];
  for (const slice of chunked(sorted, rowsPerStatement(1))) {
    rows.push(
      ...(await trx
        .selectFrom('events')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('event_id', 'in', slice)
        .orderBy('event_id')
        .$if(dialect === 'postgres', (qb) => qb.forUpdate())
        .execute()),
    );
  }
  return rows;
}

/**
 * Reads the page's stored meetings by iCalUId and, on PostgreSQL, locks them together with the
 * meetings its mailbox copies pointed at before (`eventIds`, which it may drop): one statement in
 * event_id order when the lists fit, else the ids are looked up first and locked in id order.
 * SQLite's write transactions run one at a time, so there it only reads the page's meetings.
 */
async function lockPageEvents(
  trx: StoreDb,
  dialect: StoreDialect,
  tenantId: string,
  icalUids: readonly string[],
  previousEventIds: readonly number[],
): Promise<EventRow[]> {
  const eventIds = dialect === 'postgres' ? previousEventIds : [];
  if (icalUids.length + eventIds.length > rowsPerStatement(1)) {
    const ids = await findEventIds(trx, tenantId, icalUids);
    return lockEventsById(trx, dialect, tenantId, [...eventIds, ...ids.values()]);
  }
  if (icalUids.length === 0) return lockEventsById(trx, dialect, tenantId, eventIds);
  return trx
    .selectFrom('events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where((eb) =>
      eventIds.length === 0
        ? eb('ical_uid', 'in', icalUids)
        : eb.or([eb('ical_uid', 'in', icalUids), eb('event_id', 'in', eventIds)]),
    )
    .orderBy('event_id')
    .$if(dialect === 'postgres', (qb) => qb.forUpdate())
    .execute();
}

/** Deletes events and their attendance; the caller has locked them and removed their copies. */
async function deleteEvents(trx: StoreDb, tenantId: string, eventIds: number[]): Promise<void> {
  for (const slice of chunked(eventIds, rowsPerStatement(1))) {
    await trx
      .deleteFrom('attendance')
      .where('tenant_id', '=', tenantId)
      .where('event_id', 'in', slice)
      .execute();
    await trx
      .deleteFrom('events')
      .where('tenant_id', '=', tenantId)
      .where('event_id', 'in', slice)
      .execute();
  }
}

/**
 * Deletes the events among `candidates` that no mailbox copy references any more, attendance
 * first. Call it after deleting the copies. On PostgreSQL each event is locked before its copies
 * are counted (`locked` names those the transaction holds already), so two transactions
 * removing the last two copies of one meeting count one after the other, the second seeing the
 * first's removal, and a page attaching a copy (which holds the same lock) is either counted or
 * finds the meeting gone and creates it again.
 */
async function dropOrphanEvents(
  trx: StoreDb,
  dialect: StoreDialect,
  tenantId: string,
  candidates: Iterable<number>,
  locked: ReadonlySet<number> = new Set(),
): Promise<number[]> {
  const unique = [...new Set(candidates)];
  if (unique.length === 0) return [];
  let existing = unique;
  if (dialect === 'postgres') {
    existing = unique.filter((id) => locked.has(id));
    const relocked = await lockEventsById(
      trx,
      dialect,
      tenantId,
      unique.filter((id) => !locked.has(id)),
    );
    existing.push(...relocked.map((row) => row.event_id));
  }
  const referenced = new Set<number>();
  for (const slice of chunked(existing, rowsPerStatement(1))) {
    const rows = await trx
      .selectFrom('mailbox_events')
      .select('event_id')
      .distinct()
      .where('tenant_id', '=', tenantId)
      .where('event_id', 'in', slice)
      .execute();
    for (const row of rows) referenced.add(row.event_id);
  }
  const orphans = existing.filter((id) => !referenced.has(id)).sort((a, b) => a - b);
  await deleteEvents(trx, tenantId, orphans);
  return orphans;
}

async function recountMailboxEvents(trx: StoreDb, tenantId: string, userId: string): Promise<void> {
  await trx
    .updateTable('mailboxes')
    .set({
      events_stored: sql<number>`(select count(*) from mailbox_events where tenant_id = ${tenantId} and user_id = ${userId})`,
    })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .execute();
}

/** How a page's rows are written: the engine, and on SQLite the connection for per-row writes. */
interface PageWriter {
  dialect: StoreDialect;
  sqlite?: BetterSqlite3.Database | undefined;
}

/** The events columns a page writes (tenant_id aside), with their PostgreSQL types. */
export const EVENT_COLUMNS = [
  ['event_id', 'integer'],
  ['ical_uid', 'text'],
  ['series_key', 'text'],
  ['type', 'text'],
  ['start_at', 'bigint'],
  ['end_at', 'bigint'],
  ['is_all_day', 'integer'],
  ['start_date', 'text'],
  ['end_date', 'text'],
  ['original_time_zone', 'text'],
  ['is_cancelled', 'integer'],
  ['sensitivity', 'text'],
  ['is_private', 'integer'],
  ['is_online', 'integer'],
  ['online_provider', 'text'],
  ['organizer_person_id', 'integer'],
  ['participant_count', 'integer'],
  ['attendance_key', 'text'],
  ['created_at', 'bigint'],
  ['updated_at', 'bigint'],
] as const satisfies ReadonlyArray<readonly [keyof NewEventRow, BulkColumnType]>;

/** Every written column but the key and created_at takes the page's value. */
const EVENT_UPSERT = sql`on conflict (tenant_id, ical_uid) do update set ${sql.join(
  EVENT_COLUMNS.filter(([column]) => !['event_id', 'ical_uid', 'created_at'].includes(column)).map(
    ([column]) => sql`${sql.ref(column)} = ${sql.ref(`excluded.${column}`)}`,
  ),
)}`;

const ATTENDANCE_COLUMNS = [
  ['event_id', 'integer'],
  ['person_id', 'integer'],
  ['role', 'text'],
  ['response', 'text'],
] as const satisfies ReadonlyArray<readonly [string, BulkColumnType]>;

const ATTENDANCE_UPSERT = sql`on conflict (tenant_id, event_id, person_id) do update set role = excluded.role, response = excluded.response`;

const COPY_COLUMNS = [
  ['user_id', 'text'],
  ['graph_event_id', 'text'],
  ['calendar_id', 'text'],
  ['event_id', 'integer'],
  ['response', 'text'],
  ['is_organizer', 'integer'],
  ['change_key', 'text'],
  ['last_modified_at', 'bigint'],
  ['synced_at', 'bigint'],
] as const satisfies ReadonlyArray<readonly [string, BulkColumnType]>;

const COPY_UPSERT = sql`on conflict (tenant_id, user_id, graph_event_id) do update set ${sql.join(
  COPY_COLUMNS.filter(([column]) => column !== 'user_id' && column !== 'graph_event_id').map(
    ([column]) => sql`${sql.ref(column)} = ${sql.ref(`excluded.${column}`)}`,
  ),
)}`;

interface WrittenEvents {
  /** every page event's id, by iCalUId */
  ids: Map<string, number>;
  created: Set<number>;
  /** events whose row changed (not only its attendance digest) */
  updated: Set<number>;
  unchanged: number;
  /** stored events whose attendance digest shows the page's attendance is already stored */
  attendanceUnchanged: Set<number>;
}

/**
 * Upserts events by iCalUId; returns each iCalUId's event id and what changed. `stored` holds the
 * page's existing events, already locked; the rest are inserted, and one that a concurrent page
 * created meanwhile turns the insert into an update (which locks it too).
 */
async function writeEvents(
  trx: StoreDb,
  writer: PageWriter,
  tenantId: string,
  prepared: PreparedPage,
  stored: ReadonlyMap<string, StoredEvent>,
  personIds: Map<string, number>,
  reservation: IdReservation,
  now: number,
): Promise<WrittenEvents> {
  const ids = new Map<string, number>();
  const attendanceUnchanged = new Set<number>();
  const toWrite: { row: NewEventRow; isNew: boolean; rowChanged: boolean }[] = [];
  const newUids = [...prepared.events.keys()].filter((uid) => !stored.has(uid));
  const freshIds = await reservation.take(trx, newUids.length);
  const freshByUid = new Map(newUids.map((uid, index) => [uid, freshIds[index] as number]));
  let unchanged = 0;
  for (const [uid, event] of prepared.events) {
    const wanted = comparableRow(event, personIds);
    const key = attendanceKey(event, personIds);
    const existing = stored.get(uid);
    const sameRow = existing !== undefined && sameEvent(existing, wanted);
    if (sameRow) unchanged++;
    if (sameRow && existing.attendance_key === key) {
      ids.set(uid, existing.event_id);
      attendanceUnchanged.add(existing.event_id);
      continue;
    }
    // a row whose attendance alone changed is written for its new digest, not counted as updated
    const eventId = existing?.event_id ?? (freshByUid.get(uid) as number);
    toWrite.push({
      row: {
        tenant_id: tenantId,
        event_id: eventId,
        ical_uid: uid,
        ...wanted,
        attendance_key: key,
        created_at: now,
        updated_at: now,
      },
      isNew: existing === undefined,
      rowChanged: !sameRow,
    });
  }
  // a fixed row order makes concurrent workers take row locks in the same order: no deadlocks
  toWrite.sort((a, b) => compareText(a.row.ical_uid, b.row.ical_uid));
  const created = new Set<number>();
  const updated = new Set<number>();
  const newUidSet = new Set(toWrite.filter((w) => w.isNew).map((w) => w.row.ical_uid));
  const keyOnlyUids = new Set(toWrite.filter((w) => !w.rowChanged).map((w) => w.row.ical_uid));
  for (const slice of chunked(toWrite, BULK_ROWS_PER_STATEMENT[writer.dialect])) {
    const returned = await bulkInsert<{ ical_uid: string; event_id: number }>(
      trx,
      writer.dialect,
      'events',
      tenantId,
      EVENT_COLUMNS,
      slice.map(({ row }) => EVENT_COLUMNS.map(([column]) => row[column as keyof NewEventRow])),
      { onConflict: EVENT_UPSERT, returning: ['ical_uid', 'event_id'], sqlite: writer.sqlite },
    );
    for (const row of returned) {
      ids.set(row.ical_uid, row.event_id);
      // an id other than ours means another worker created it first: for us it is an update
      const ours = freshByUid.get(row.ical_uid);
      if (newUidSet.has(row.ical_uid) && ours === row.event_id) created.add(row.event_id);
      else if (!keyOnlyUids.has(row.ical_uid)) updated.add(row.event_id);
    }
  }
  return { ids, created, updated, unchanged, attendanceUnchanged };
}

/** Makes each page event's attendance exactly its attendee list, writing only the differences. */
async function replaceAttendance(
  trx: StoreDb,
  writer: PageWriter,
  tenantId: string,
  prepared: PreparedPage,
  events: WrittenEvents,
  personIds: Map<string, number>,
): Promise<Set<number>> {
  const eventIds = events.ids;
  const stored = new Map<number, Map<number, DesiredAttendee>>();
  // events this transaction created have no attendance yet; a matching digest needs no reading
  const existingIds = [...new Set(eventIds.values())].filter(
    (id) => !events.created.has(id) && !events.attendanceUnchanged.has(id),
  );
  for (const slice of chunked(existingIds, rowsPerStatement(1))) {
    const rows = await trx
      .selectFrom('attendance')
      .select(['event_id', 'person_id', 'role', 'response'])
      .where('tenant_id', '=', tenantId)
      .where('event_id', 'in', slice)
      .execute();
    for (const row of rows) {
      let forEvent = stored.get(row.event_id);
      if (forEvent === undefined) stored.set(row.event_id, (forEvent = new Map()));
      forEvent.set(row.person_id, { role: row.role, response: row.response });
    }
  }
  const upserts: {
    event_id: number;
    person_id: number;
    role: AttendeeRole;
    response: ResponseStatus | null;
  }[] = [];
  const deletes: [number, number][] = [];
  const changed = new Set<number>();
  for (const [uid, event] of prepared.events) {
    const eventId = eventIds.get(uid) as number;
    if (events.attendanceUnchanged.has(eventId)) continue;
    const before = stored.get(eventId) ?? new Map<number, DesiredAttendee>();
    const wanted = new Set<number>();
    for (const [email, attendee] of event.attendees) {
      const personId = personIds.get(email) as number;
      wanted.add(personId);
      const old = before.get(personId);
      if (old === undefined || old.role !== attendee.role || old.response !== attendee.response) {
        upserts.push({ event_id: eventId, person_id: personId, ...attendee });
        changed.add(eventId);
      }
    }
    for (const personId of before.keys()) {
      if (!wanted.has(personId)) {
        deletes.push([eventId, personId]);
        changed.add(eventId);
      }
    }
  }
  upserts.sort((a, b) => a.event_id - b.event_id || a.person_id - b.person_id);
  deletes.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  for (const slice of chunked(deletes, rowsPerStatement(2))) {
    await trx
      .deleteFrom('attendance')
      .where('tenant_id', '=', tenantId)
      .where((eb) =>
        eb(
          eb.refTuple('event_id', 'person_id'),
          'in',
          slice.map(([eventId, personId]) => eb.tuple(eventId, personId)),
        ),
      )
      .execute();
  }
  for (const slice of chunked(upserts, BULK_ROWS_PER_STATEMENT[writer.dialect])) {
    await bulkInsert(
      trx,
      writer.dialect,
      'attendance',
      tenantId,
      ATTENDANCE_COLUMNS,
      slice.map((row) => [row.event_id, row.person_id, row.role, row.response]),
      { onConflict: ATTENDANCE_UPSERT, sqlite: writer.sqlite },
    );
  }
  return changed;
}

/** The meeting each of these items of one mailbox's points at now, for the items it has. */
async function findCopies(
  trx: StoreDb,
  tenantId: string,
  userId: string,
  graphEventIds: readonly string[],
): Promise<Map<string, number>> {
  const eventOfCopy = new Map<string, number>();
  for (const slice of chunked(graphEventIds, rowsPerStatement(1))) {
    const rows = await trx
      .selectFrom('mailbox_events')
      .select(['graph_event_id', 'event_id'])
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', userId)
      .where('graph_event_id', 'in', slice)
      .execute();
    for (const row of rows) eventOfCopy.set(row.graph_event_id, row.event_id);
  }
  return eventOfCopy;
}

// SQLite, inside a page's transaction on the store's own connection: one prepared look-up per
// key costs less than building, preparing and running an IN list of a different length each time
// only what writeEvents reads of a stored meeting: two long strings and two stamps fewer per row
const EVENT_BY_UID_SQL = `select "event_id", "attendance_key", ${COMPARED_COLUMNS.map((column) => `"${column}"`).join(', ')} from "events" where "tenant_id" = ? and "ical_uid" = ?`;

/**
 * A row of EVENT_BY_UID_SQL read as an array: better-sqlite3 builds a 17-member object from C++
 * at ~2.4 µs more per look-up than an array (11.4 vs 9.0 µs measured on a synced store), and a
 * full round looks up one meeting per mailbox event.
 */
function storedEventOf(icalUid: string, values: readonly unknown[]): StoredEvent {
  // positions: event_id, attendance_key, then COMPARED_COLUMNS in order (checked below)
  return {
    event_id: values[0],
    attendance_key: values[1],
    ical_uid: icalUid,
    series_key: values[2],
    type: values[3],
    start_at: values[4],
    end_at: values[5],
    is_all_day: values[6],
    start_date: values[7],
    end_date: values[8],
    original_time_zone: values[9],
    is_cancelled: values[10],
    sensitivity: values[11],
    is_private: values[12],
    is_online: values[13],
    online_provider: values[14],
    organizer_person_id: values[15],
    participant_count: values[16],
  } as StoredEvent;
}

// a column added to COMPARED_COLUMNS or moved must move here too: fail at load, not silently
{
  const names = ['event_id', 'attendance_key', ...COMPARED_COLUMNS];
  const probe = storedEventOf('ical_uid', names) as unknown as Record<string, unknown>;
  if (Object.keys(probe).length !== names.length + 1 || names.some((n) => probe[n] !== n)) {
    throw new Error('storedEventOf no longer matches EVENT_BY_UID_SQL');
  }
}
const COPY_SQL =
  'select "event_id" from "mailbox_events" where "tenant_id" = ? and "user_id" = ? and "graph_event_id" = ?';

/** SQLite: findCopies by one prepared look-up per item. */
function findCopiesOneByOne(
  sqlite: BetterSqlite3.Database,
  tenantId: string,
  userId: string,
  graphEventIds: readonly string[],
): Map<string, number> {
  const eventOfCopy = new Map<string, number>();
  try {
    const statement = sqlite.prepare(COPY_SQL);
    for (const graphEventId of graphEventIds) {
      const row = statement.get(tenantId, userId, graphEventId) as { event_id: number } | undefined;
      if (row !== undefined) eventOfCopy.set(graphEventId, row.event_id);
    }
  } catch (error) {
    throw translateDatabaseError(error);
  }
  return eventOfCopy;
}

/** What writePage reads of a stored meeting. */
type StoredEvent = Pick<
  EventRow,
  'event_id' | 'ical_uid' | 'attendance_key' | (typeof COMPARED_COLUMNS)[number]
>;

/**
 * SQLite: the page's stored meetings by one prepared look-up per iCalUId (no lock needed), with
 * the columns writeEvents compares.
 */
function readEventsOneByOne(
  sqlite: BetterSqlite3.Database,
  tenantId: string,
  icalUids: Iterable<string>,
): StoredEvent[] {
  const rows: StoredEvent[] = [];
  try {
    // the store's statement cache shares statements by text: arrays only while this one runs
    const statement = sqlite.prepare(EVENT_BY_UID_SQL).raw(true);
    try {
      for (const uid of icalUids) {
        const values = statement.get(tenantId, uid) as unknown[] | undefined;
        if (values !== undefined) rows.push(storedEventOf(uid, values));
      }
    } finally {
      statement.raw(false);
    }
  } catch (error) {
    throw translateDatabaseError(error);
  }
  return rows;
}

/**
 * The sync hot path. In ONE transaction: saves the calendar cursor, resolves participants to
 * people, upserts events by iCalUId, makes attendance match, upserts this mailbox's copies,
 * deletes removed copies and drops every meeting whose last copy went. Replaying a page
 * leaves the store as it was after the first time.
 *
 * Concurrent pages (other workers, other processes) are safe on PostgreSQL under READ COMMITTED:
 * before reading or writing anything about its meetings, a page locks every existing meeting it
 * touches (those it carries and those its copies pointed at) in one event_id-ordered statement,
 * and holds the locks to commit. A page that loses a deadlock or serialization conflict anyway is
 * rolled back and applied again, a few times at most.
 */
export async function applyEventPage(
  store: Pick<Store, 'db' | 'dialect' | 'sqlite'>,
  tenantId: string,
  page: EventPage,
): Promise<EventPageResult> {
  const prepared = preparePage(page);
  if (store.dialect === 'sqlite') {
    return queueSqlitePage(store.db, { tenantId, page, prepared, sqlite: store.sqlite });
  }
  return retryOnConflict(async () => {
    const ahead = await lookAhead(store, tenantId, prepared);
    return store.db
      .transaction()
      .execute((trx) =>
        writePage(trx, { dialect: store.dialect }, tenantId, page, prepared, ahead),
      );
  });
}

/**
 * Items of queued pages that one SQLite transaction takes at most, so that it holds the write
 * lock for a fraction of a second.
 */
export const SQLITE_ITEMS_PER_COMMIT = 5_000;

interface QueuedPage {
  tenantId: string;
  page: EventPage;
  prepared: PreparedPage;
  /** the store's own connection (store.sqlite), for prepared per-row writes */
  sqlite: BetterSqlite3.Database | undefined;
}

interface SqlitePageQueue {
  waiting: { item: QueuedPage; settle: (outcome: PromiseSettledResult<EventPageResult>) => void }[];
  writing: boolean;
}

const sqliteQueues = new WeakMap<StoreDb, SqlitePageQueue>();

/**
 * SQLite runs one write transaction at a time, so pages that arrive while one is being written
 * wait for it anyway; they are then written together, each exactly as alone, in one transaction:
 * a commit writes every B-tree page it touched once however many pages touched it, which is
 * most of a page's cost. A group that fails is written again page by page, so a page's failure
 * stays its own.
 */
function queueSqlitePage(db: StoreDb, item: QueuedPage): Promise<EventPageResult> {
  let queue = sqliteQueues.get(db);
  if (queue === undefined) sqliteQueues.set(db, (queue = { waiting: [], writing: false }));
  const settled = new Promise<PromiseSettledResult<EventPageResult>>((settle) =>
    queue.waiting.push({ item, settle }),
  );
  if (!queue.writing) void drainSqliteQueue(db, queue);
  return settled.then((outcome) => {
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  });
}

async function drainSqliteQueue(db: StoreDb, queue: SqlitePageQueue): Promise<void> {
  queue.writing = true;
  try {
    while (queue.waiting.length > 0) {
      let items = 0;
      let count = 0;
      while (count < queue.waiting.length && (count === 0 || items < SQLITE_ITEMS_PER_COMMIT)) {
        const { page } = (queue.waiting[count] as SqlitePageQueue['waiting'][number]).item;
        items += page.upserts.length + page.removedGraphEventIds.length;
        count++;
      }
      const group = queue.waiting.splice(0, count);
      const outcomes = await writeSqliteGroup(
        db,
        group.map((entry) => entry.item),
      );
      group.forEach((entry, index) =>
        entry.settle(outcomes[index] as PromiseSettledResult<EventPageResult>),
      );
    }
  } finally {
    queue.writing = false;
  }
}

const writeSqlitePage = (trx: StoreDb, { tenantId, page, prepared, sqlite }: QueuedPage) =>
  writePage(trx, { dialect: 'sqlite', sqlite }, tenantId, page, prepared, {
    people: new IdReservation(tenantId, 'people'),
    events: new IdReservation(tenantId, 'events'),
  });

async function writeSqliteGroup(
  db: StoreDb,
  group: readonly QueuedPage[],
): Promise<PromiseSettledResult<EventPageResult>[]> {
  if (group.length > 1) {
    try {
      const results = await db.transaction().execute(async (trx) => {
        const written: EventPageResult[] = [];
        for (const item of group) written.push(await writeSqlitePage(trx, item));
        return written;
      });
      return results.map((value) => ({ status: 'fulfilled', value }));
    } catch {
      // rolled back whole: each page again in its own transaction, to fail alone if it must
    }
  }
  const outcomes: PromiseSettledResult<EventPageResult>[] = [];
  for (const item of group) {
    try {
      const value = await db.transaction().execute((trx) => writeSqlitePage(trx, item));
      outcomes.push({ status: 'fulfilled', value });
    } catch (reason) {
      outcomes.push({ status: 'rejected', reason });
    }
  }
  return outcomes;
}

async function writePage(
  trx: StoreDb,
  writer: PageWriter,
  tenantId: string,
  page: EventPage,
  prepared: PreparedPage,
  ahead: PageLookahead,
): Promise<EventPageResult> {
  const { dialect } = writer;
  const now = Date.now();
  // first, so a page for an unknown calendar fails before any write; its row lock also makes
  // pages of one calendar wait for each other, so the copies read below stay as read
  await saveCalendarCursor(trx, tenantId, page.userId, page.calendarId, page.cursor);
  const personIds = await ensurePeople(
    trx,
    tenantId,
    prepared.sightings,
    ahead.people,
    ahead.knownPeople,
  );

  const copyIds = [...prepared.copies.keys(), ...prepared.removed];
  const previousEventOfCopy =
    writer.sqlite === undefined
      ? await findCopies(trx, tenantId, page.userId, copyIds)
      : findCopiesOneByOne(writer.sqlite, tenantId, page.userId, copyIds);
  const lockedRows =
    writer.sqlite === undefined
      ? await lockPageEvents(
          trx,
          dialect,
          tenantId,
          [...prepared.events.keys()],
          [...new Set(previousEventOfCopy.values())],
        )
      : readEventsOneByOne(writer.sqlite, tenantId, prepared.events.keys());
  const stored = new Map(lockedRows.map((row) => [row.ical_uid, row]));
  const events = await writeEvents(
    trx,
    writer,
    tenantId,
    prepared,
    stored,
    personIds,
    ahead.events,
    now,
  );
  const attendanceChanged = await replaceAttendance(
    trx,
    writer,
    tenantId,
    prepared,
    events,
    personIds,
  );

  const orphanCandidates: number[] = [];
  const copyRows = [...prepared.copies.values()].map((copy) => {
    const eventId = events.ids.get(copy.event.icalUid) as number;
    const previous = previousEventOfCopy.get(copy.graphEventId);
    if (previous !== undefined && previous !== eventId) orphanCandidates.push(previous);
    // in COPY_COLUMNS order
    return [
      page.userId,
      copy.graphEventId,
      page.calendarId,
      eventId,
      copy.response,
      flag(copy.isOrganizer),
      copy.changeKey,
      copy.lastModifiedAt,
      page.receivedAt,
    ];
  });
  for (const slice of chunked(copyRows, BULK_ROWS_PER_STATEMENT[writer.dialect])) {
    await bulkInsert(trx, writer.dialect, 'mailbox_events', tenantId, COPY_COLUMNS, slice, {
      onConflict: COPY_UPSERT,
      sqlite: writer.sqlite,
    });
  }

  let copiesRemoved = 0;
  const knownRemovals = prepared.removed.filter((id) => previousEventOfCopy.has(id));
  for (const slice of chunked(knownRemovals, rowsPerStatement(1))) {
    const deleted = await trx
      .deleteFrom('mailbox_events')
      .where('tenant_id', '=', tenantId)
      .where('user_id', '=', page.userId)
      .where('graph_event_id', 'in', slice)
      .returning('event_id')
      .execute();
    copiesRemoved += deleted.length;
    orphanCandidates.push(...deleted.map((row) => row.event_id));
  }
  const removedEventIds = await dropOrphanEvents(
    trx,
    dialect,
    tenantId,
    orphanCandidates,
    new Set(lockedRows.map((row) => row.event_id)),
  );
  if (copyRows.length > 0 || copiesRemoved > 0)
    await recountMailboxEvents(trx, tenantId, page.userId);

  const removedSet = new Set(removedEventIds);
  const changed = new Set([...events.created, ...events.updated, ...attendanceChanged]);
  // the relationship scores of these meetings are now out of date; same transaction, so none is missed
  await queueEventsForScoring(trx, tenantId, [...changed, ...removedEventIds], now);
  return {
    eventsCreated: events.created.size,
    eventsUpdated: [...events.updated].filter((id) => !events.created.has(id)).length,
    eventsUnchanged: events.unchanged,
    eventsRemoved: removedEventIds.length,
    copiesStored: copyRows.length,
    copiesRemoved,
    changedEventIds: [...changed].filter((id) => !removedSet.has(id)).sort((a, b) => a - b),
    removedEventIds,
  };
}

/**
 * Deletes a mailbox's copies (optionally one calendar's, optionally only those no page has
 * carried since `syncedBefore`) and drops meetings left with no copy. Used when a mailbox
 * leaves the tracked set and after a full resync round to sweep what the round did not see.
 */
export async function removeMailboxCopies(
  store: Pick<Store, 'db'>,
  tenantId: string,
  userId: string,
  scope: { calendarId?: string; syncedBefore?: number } = {},
): Promise<CopyRemovalResult> {
  const dialect = dialectOf(store.db);
  return retryOnConflict(() =>
    store.db.transaction().execute(async (trx) => {
      const deleted = await trx
        .deleteFrom('mailbox_events')
        .where('tenant_id', '=', tenantId)
        .where('user_id', '=', userId)
        .$if(scope.calendarId !== undefined, (qb) =>
          qb.where('calendar_id', '=', scope.calendarId as string),
        )
        .$if(scope.syncedBefore !== undefined, (qb) =>
          qb.where('synced_at', '<', scope.syncedBefore as number),
        )
        .returning('event_id')
        .execute();
      const removedEventIds = await dropOrphanEvents(
        trx,
        dialect,
        tenantId,
        deleted.map((row) => row.event_id),
      );
      if (deleted.length > 0) await recountMailboxEvents(trx, tenantId, userId);
      await queueEventsForScoring(trx, tenantId, removedEventIds);
      return {
        copiesRemoved: deleted.length,
        eventsRemoved: removedEventIds.length,
        removedEventIds,
      };
    }),
  );
}

/**
 * Deletes every private meeting of the tenant (`is_private`: sensitivity private or
 * confidential) with every mailbox's copy and all its attendance, in one transaction, and
 * recounts the mailboxes that lost copies. For when private appointments are turned off.
 */
export async function purgePrivateEvents(
  store: Pick<Store, 'db'>,
  tenantId: string,
): Promise<CopyRemovalResult> {
  const dialect = dialectOf(store.db);
  return retryOnConflict(() =>
    store.db.transaction().execute(async (trx) => {
      // the same lock, in the same order, as pages take: a page attaching a copy meanwhile waits
      const events = await trx
        .selectFrom('events')
        .select('event_id')
        .where('tenant_id', '=', tenantId)
        // a literal, so both engines can use the partial index events_private_idx
        .where('is_private', '=', sql.lit(1))
        .orderBy('event_id')
        .$if(dialect === 'postgres', (qb) => qb.forUpdate())
        .execute();
      const eventIds = events.map((row) => row.event_id);
      let copiesRemoved = 0;
      const owners = new Set<string>();
      for (const slice of chunked(eventIds, rowsPerStatement(1))) {
        const copies = await trx
          .deleteFrom('mailbox_events')
          .where('tenant_id', '=', tenantId)
          .where('event_id', 'in', slice)
          .returning('user_id')
          .execute();
        copiesRemoved += copies.length;
        for (const copy of copies) owners.add(copy.user_id);
      }
      await deleteEvents(trx, tenantId, eventIds);
      for (const userId of [...owners].sort(compareText)) {
        await recountMailboxEvents(trx, tenantId, userId);
      }
      await queueEventsForScoring(trx, tenantId, eventIds);
      return { copiesRemoved, eventsRemoved: eventIds.length, removedEventIds: eventIds };
    }),
  );
}
