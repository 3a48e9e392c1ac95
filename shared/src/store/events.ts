import type { StoreDb } from './open-store.js';
import type { AttendeeRole, EventRow, EventType, ResponseStatus, Sensitivity } from './schema.js';

/** A stored meeting instance (never subject, body or location: the store has no such columns). */
export interface StoredEvent {
  eventId: number;
  icalUid: string;
  seriesKey: string | null;
  type: EventType;
  startAt: number;
  endAt: number;
  isAllDay: boolean;
  startDate: string | null;
  endDate: string | null;
  originalTimeZone: string | null;
  isCancelled: boolean;
  sensitivity: Sensitivity;
  isPrivate: boolean;
  isOnline: boolean;
  onlineProvider: string | null;
  organizerPersonId: number | null;
  participantCount: number;
  createdAt: number;
  updatedAt: number;
}

export interface StoredAttendance {
  personId: number;
  email: string;
  role: AttendeeRole;
  response: ResponseStatus | null;
}

export interface StoredMailboxCopy {
  graphEventId: string;
  calendarId: string;
  eventId: number;
  response: ResponseStatus | null;
  isOrganizer: boolean;
  changeKey: string | null;
  lastModifiedAt: number | null;
  syncedAt: number;
}

function toEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    icalUid: row.ical_uid,
    seriesKey: row.series_key,
    type: row.type,
    startAt: row.start_at,
    endAt: row.end_at,
    isAllDay: row.is_all_day === 1,
    startDate: row.start_date,
    endDate: row.end_date,
    originalTimeZone: row.original_time_zone,
    isCancelled: row.is_cancelled === 1,
    sensitivity: row.sensitivity,
    isPrivate: row.is_private === 1,
    isOnline: row.is_online === 1,
    onlineProvider: row.online_provider,
    organizerPersonId: row.organizer_person_id,
    participantCount: row.participant_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** How many meetings the tenant has stored (cancelled ones included unless asked otherwise). */
export async function countEvents(
  db: StoreDb,
  tenantId: string,
  filter: { excludeCancelled?: boolean } = {},
): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('tenant_id', '=', tenantId)
    .$if(filter.excludeCancelled === true, (qb) => qb.where('is_cancelled', '=', 0))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function getEventByIcalUid(
  db: StoreDb,
  tenantId: string,
  icalUid: string,
): Promise<StoredEvent | undefined> {
  const row = await db
    .selectFrom('events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('ical_uid', '=', icalUid)
    .executeTakeFirst();
  return row === undefined ? undefined : toEvent(row);
}

/** Meetings starting in [from, to), earliest first. */
export async function listEventsStartingBetween(
  db: StoreDb,
  tenantId: string,
  from: number,
  to: number,
): Promise<StoredEvent[]> {
  const rows = await db
    .selectFrom('events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('start_at', '>=', from)
    .where('start_at', '<', to)
    .orderBy('start_at')
    .orderBy('event_id')
    .execute();
  return rows.map(toEvent);
}

export async function listEventAttendance(
  db: StoreDb,
  tenantId: string,
  eventId: number,
): Promise<StoredAttendance[]> {
  return db
    .selectFrom('attendance')
    .innerJoin('people', (join) =>
      join
        .onRef('people.tenant_id', '=', 'attendance.tenant_id')
        .onRef('people.person_id', '=', 'attendance.person_id'),
    )
    .select([
      'attendance.person_id as personId',
      'people.email as email',
      'attendance.role as role',
      'attendance.response as response',
    ])
    .where('attendance.tenant_id', '=', tenantId)
    .where('attendance.event_id', '=', eventId)
    .orderBy('people.email')
    .execute();
}

/** A mailbox's copies, in Graph id order. */
export async function listMailboxCopies(
  db: StoreDb,
  tenantId: string,
  userId: string,
): Promise<StoredMailboxCopy[]> {
  const rows = await db
    .selectFrom('mailbox_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .orderBy('graph_event_id')
    .execute();
  return rows.map((row) => ({
    graphEventId: row.graph_event_id,
    calendarId: row.calendar_id,
    eventId: row.event_id,
    response: row.response,
    isOrganizer: row.is_organizer === 1,
    changeKey: row.change_key,
    lastModifiedAt: row.last_modified_at,
    syncedAt: row.synced_at,
  }));
}
