import { chunkRows, flag } from './batch.js';
import { StoreNotFoundError } from './errors.js';
import type { StoreDb } from './open-store.js';
import type { CalendarRow, CalendarsTable } from './schema.js';
import type { Updateable } from 'kysely';

/** Where a calendar's calendarView/delta sync stands. */
export interface CalendarCursor {
  /** @odata.deltaLink of the last completed round; null before the first one completes */
  deltaLink: string | null;
  /** @odata.nextLink of the round in progress; null between rounds */
  nextLink: string | null;
  windowStart: number | null;
  windowEnd: number | null;
  roundStartedAt: number | null;
  lastRoundAt: number | null;
}

export interface Calendar extends CalendarCursor {
  userId: string;
  calendarId: string;
  name: string;
  isDefault: boolean;
  selected: boolean;
  updatedAt: number;
}

export interface CalendarInput {
  calendarId: string;
  name: string;
  isDefault: boolean;
  /** whether sync reads it (default calendar plus up to calendars_per_mailbox − 1 others) */
  selected: boolean;
}

function toCalendar(row: CalendarRow): Calendar {
  return {
    userId: row.user_id,
    calendarId: row.calendar_id,
    name: row.name,
    isDefault: row.is_default === 1,
    selected: row.selected === 1,
    deltaLink: row.delta_link,
    nextLink: row.next_link,
    windowStart: row.window_start,
    windowEnd: row.window_end,
    roundStartedAt: row.round_started_at,
    lastRoundAt: row.last_round_at,
    updatedAt: row.updated_at,
  };
}

/** Records a mailbox's calendars; known ones keep their sync cursor. */
export async function upsertCalendars(
  db: StoreDb,
  tenantId: string,
  userId: string,
  calendars: readonly CalendarInput[],
): Promise<void> {
  const now = Date.now();
  const rows = calendars.map((calendar) => ({
    tenant_id: tenantId,
    user_id: userId,
    calendar_id: calendar.calendarId,
    name: calendar.name,
    is_default: flag(calendar.isDefault),
    selected: flag(calendar.selected),
    updated_at: now,
  }));
  for (const slice of chunkRows(rows)) {
    await db
      .insertInto('calendars')
      .values(slice)
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'user_id', 'calendar_id']).doUpdateSet((eb) => ({
          name: eb.ref('excluded.name'),
          is_default: eb.ref('excluded.is_default'),
          selected: eb.ref('excluded.selected'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

export async function listCalendars(
  db: StoreDb,
  tenantId: string,
  userId: string,
): Promise<Calendar[]> {
  const rows = await db
    .selectFrom('calendars')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .orderBy('is_default', 'desc')
    .orderBy('calendar_id')
    .execute();
  return rows.map(toCalendar);
}

export async function getCalendar(
  db: StoreDb,
  tenantId: string,
  userId: string,
  calendarId: string,
): Promise<Calendar | undefined> {
  const row = await db
    .selectFrom('calendars')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('calendar_id', '=', calendarId)
    .executeTakeFirst();
  return row === undefined ? undefined : toCalendar(row);
}

/** Clears the cursor so the calendar's next sync starts a full round. */
export async function resetCalendarCursor(
  db: StoreDb,
  tenantId: string,
  userId: string,
  calendarId: string,
): Promise<void> {
  await saveCalendarCursor(db, tenantId, userId, calendarId, {
    deltaLink: null,
    nextLink: null,
    windowStart: null,
    windowEnd: null,
    roundStartedAt: null,
    lastRoundAt: null,
  });
}

/** Writes the fields of the cursor that are given; call inside the transaction that stored the page. */
export async function saveCalendarCursor(
  db: StoreDb,
  tenantId: string,
  userId: string,
  calendarId: string,
  cursor: Partial<CalendarCursor>,
): Promise<void> {
  const set: Updateable<CalendarsTable> = { updated_at: Date.now() };
  if (cursor.deltaLink !== undefined) set.delta_link = cursor.deltaLink;
  if (cursor.nextLink !== undefined) set.next_link = cursor.nextLink;
  if (cursor.windowStart !== undefined) set.window_start = cursor.windowStart;
  if (cursor.windowEnd !== undefined) set.window_end = cursor.windowEnd;
  if (cursor.roundStartedAt !== undefined) set.round_started_at = cursor.roundStartedAt;
  if (cursor.lastRoundAt !== undefined) set.last_round_at = cursor.lastRoundAt;
  const result = await db
    .updateTable('calendars')
    .set(set)
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .where('calendar_id', '=', calendarId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    throw new StoreNotFoundError(
      'calendar',
      `No calendar ${calendarId} for mailbox ${userId} in tenant ${tenantId}: upsertCalendars first`,
    );
  }
}
