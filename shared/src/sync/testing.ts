// Test helpers for the sync: a simulator with an in-process engine, the source's truth computed
// from that engine, and the store's content read back in the same shape, so a test compares the
// two with one toEqual.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createTenantEngine,
  generateTenant,
  startSimServer,
  type GraphEvent,
  type SimServer,
  type TenantEngine,
  type TenantFile,
} from '@warmpath/sim';
import { pino } from 'pino';
import { loadConfig, type MicrosoftTenantConfig } from '../config/index.js';
import { createGraphClient, type GraphClient, type GraphClientOptions } from '../graph/index.js';
import { compareText, listCalendars, type Store } from '../store/index.js';

export const FIXTURE_PATH = fileURLToPath(
  new URL('../../../sim/fixtures/small-tenant.json', import.meta.url),
);

export function fixtureTenant(): TenantFile {
  return JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as TenantFile;
}

/**
 * A small generated organisation: recurring series, groups, rooms, external companies. Its history
 * follows the current month, so it always sits inside the sync's look-back window.
 */
export function smallGeneratedTenant(): TenantFile {
  const anchor = `${new Date().toISOString().slice(0, 7)}-01`;
  return generateTenant({ seed: 5, users: 25, companies: 8, months: 6, anchor }).tenant;
}

/** A tenant id no other test in the same database uses. */
export function uniqueTenantId(label: string): string {
  return `${label}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

export interface SyncSimulator {
  server: SimServer;
  engine: TenantEngine;
  tenant: MicrosoftTenantConfig;
  /** a Graph client with short back-off, closed with the simulator */
  graph(options?: Partial<GraphClientOptions>): GraphClient;
  /** POST /_sim/faults (an empty object clears them) */
  faults(settings: Record<string, unknown>): Promise<void>;
  /** any /_sim/ control call (group membership, event mutations); the parsed answer */
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  /** GET /_sim/stats over a window */
  stats(window: { start: number; end: number }): Promise<SimStatsBody>;
  close(): Promise<void>;
}

export interface SimStatsBody {
  requests: { byStatus: Record<string, number> };
  tenants: {
    tenantId: string;
    mailboxes: {
      userId: string;
      userPrincipalName: string;
      events: number;
      occurrences: number;
      cancelled: number;
      peakConcurrency: number;
    }[];
  }[];
}

export async function startSyncSimulator(file: TenantFile): Promise<SyncSimulator> {
  const engine = createTenantEngine(file);
  const server = await startSimServer({ engines: [engine], port: 0 });
  const tenant = loadConfig(server.env()).microsoft;
  if (!tenant) throw new Error('the simulator environment configured no tenant');
  const clients: GraphClient[] = [];
  return {
    server,
    engine,
    tenant,
    graph(options = {}) {
      const client = createGraphClient({
        tenant,
        logger: pino({ level: 'silent' }),
        maxRetries: 12,
        initialBackoffMs: 20,
        maxBackoffMs: 200,
        ...options,
      });
      clients.push(client);
      return client;
    },
    async faults(settings) {
      const clear = Object.keys(settings).length === 0;
      const response = await fetch(`${server.url}/_sim/faults`, {
        method: clear ? 'DELETE' : 'POST',
        headers: { 'content-type': 'application/json' },
        body: clear ? undefined : JSON.stringify(settings),
      });
      if (!response.ok) throw new Error(`faults: ${response.status} ${await response.text()}`);
    },
    async control(method, path, body) {
      const response = await fetch(`${server.url}/_sim/${path.replace(/^\/+/, '')}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok)
        throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      const text = await response.text();
      return text === '' ? undefined : (JSON.parse(text) as unknown);
    },
    async stats(window) {
      const query = `start=${new Date(window.start).toISOString()}&end=${new Date(window.end).toISOString()}`;
      const response = await fetch(`${server.url}/_sim/stats?${query}`);
      if (!response.ok) throw new Error(`stats: ${response.status} ${await response.text()}`);
      return (await response.json()) as SimStatsBody;
    },
    async close() {
      await Promise.all(clients.map((client) => client.close()));
      await server.close();
    },
  };
}

/** A mailbox's copy of a meeting as the comparison sees it. */
export interface ComparableCopy {
  response: string | null;
  isOrganizer: boolean;
}

export interface ComparableEvent {
  isCancelled: boolean;
  isPrivate: boolean;
  isOnline: boolean;
  /** epoch ms; all-day events compare by their dates instead */
  startAt: number | null;
  startDate: string | null;
  /** "email role response", sorted */
  attendance: string[];
}

export interface ComparableState {
  /** by user id, then iCalUId */
  copies: Record<string, Record<string, ComparableCopy>>;
  /** by iCalUId */
  events: Record<string, ComparableEvent>;
}

const sortedRecord = <T>(entries: Iterable<[string, T]>): Record<string, T> =>
  Object.fromEntries([...entries].sort(([a], [b]) => compareText(a, b)));

/** What the store holds for these mailboxes, shaped for comparison. */
export async function readStoreState(
  store: Pick<Store, 'db'>,
  tenantId: string,
  userIds: readonly string[],
): Promise<ComparableState> {
  const db = store.db;
  const copyRows = await db
    .selectFrom('mailbox_events')
    .innerJoin('events', (join) =>
      join
        .onRef('events.tenant_id', '=', 'mailbox_events.tenant_id')
        .onRef('events.event_id', '=', 'mailbox_events.event_id'),
    )
    .select([
      'mailbox_events.user_id as userId',
      'events.ical_uid as icalUid',
      'mailbox_events.response as response',
      'mailbox_events.is_organizer as isOrganizer',
    ])
    .where('mailbox_events.tenant_id', '=', tenantId)
    .execute();
  const copies = new Map<string, Map<string, ComparableCopy>>(userIds.map((id) => [id, new Map()]));
  for (const row of copyRows) {
    let forUser = copies.get(row.userId);
    if (forUser === undefined) copies.set(row.userId, (forUser = new Map()));
    forUser.set(row.icalUid, { response: row.response, isOrganizer: row.isOrganizer === 1 });
  }
  const eventRows = await db
    .selectFrom('events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .execute();
  const attendanceRows = await db
    .selectFrom('attendance')
    .innerJoin('people', (join) =>
      join
        .onRef('people.tenant_id', '=', 'attendance.tenant_id')
        .onRef('people.person_id', '=', 'attendance.person_id'),
    )
    .select([
      'attendance.event_id as eventId',
      'people.email',
      'attendance.role',
      'attendance.response',
    ])
    .where('attendance.tenant_id', '=', tenantId)
    .execute();
  const attendanceByEvent = new Map<number, string[]>();
  for (const row of attendanceRows) {
    const list = attendanceByEvent.get(row.eventId) ?? [];
    list.push(`${row.email} ${row.role} ${row.response ?? 'null'}`);
    attendanceByEvent.set(row.eventId, list);
  }
  const events = eventRows.map((row): [string, ComparableEvent] => [
    row.ical_uid,
    {
      isCancelled: row.is_cancelled === 1,
      isPrivate: row.is_private === 1,
      isOnline: row.is_online === 1,
      startAt: row.is_all_day === 1 ? null : row.start_at,
      startDate: row.start_date,
      attendance: (attendanceByEvent.get(row.event_id) ?? []).sort(),
    },
  ]);
  return {
    copies: sortedRecord([...copies].map(([userId, byUid]) => [userId, sortedRecord(byUid)])),
    events: sortedRecord(events),
  };
}

export interface ExpectationOptions {
  /** read all calendars of each mailbox, not only the primary one */
  allCalendars?: boolean;
  includePrivate?: boolean;
  onlyOnline?: boolean;
}

/** Every instance of one mailbox calendar in [start, end), as calendarView serves it. */
export function calendarInstances(
  engine: TenantEngine,
  userId: string,
  calendarId: string | undefined,
  window: { start: number; end: number },
): GraphEvent[] {
  const events: GraphEvent[] = [];
  let afterId: string | undefined;
  do {
    const page = engine.calendarViewPage({
      userId,
      calendarId,
      start: new Date(window.start),
      end: new Date(window.end),
      afterId,
      limit: 1000,
    });
    events.push(...page.events);
    afterId = page.nextAfterId;
  } while (afterId !== undefined);
  return events;
}

const ROLE_RANK: Record<string, number> = { organizer: 3, required: 2, optional: 1 };

/** Addresses that are never people in this tenant: rooms, group mail, non-person mailboxes. */
export function resourceAddresses(engine: TenantEngine): Set<string> {
  const addresses = new Set<string>();
  for (const room of engine.listRooms()) addresses.add(room.emailAddress.toLowerCase());
  for (const group of engine.listGroups()) if (group.mail) addresses.add(group.mail.toLowerCase());
  for (const user of engine.listUsers()) {
    const purpose = engine.mailboxSettings(user.id)?.userPurpose?.value;
    if (user.mail && purpose && ['room', 'equipment', 'shared'].includes(purpose)) {
      addresses.add(user.mail.toLowerCase());
    }
  }
  return addresses;
}

/**
 * What the store should hold for these mailboxes, straight from the engine: each mailbox's
 * instances in its stored window, each meeting's people with their role and response (rooms and
 * groups left out), private or offline meetings left out when the settings say so.
 */
export async function expectedState(
  engine: TenantEngine,
  store: Pick<Store, 'db'>,
  tenantId: string,
  userIds: readonly string[],
  options: ExpectationOptions = {},
): Promise<ComparableState> {
  const resources = resourceAddresses(engine);
  const copies = new Map<string, Map<string, ComparableCopy>>();
  const events = new Map<string, ComparableEvent>();
  for (const userId of userIds) {
    const forUser = new Map<string, ComparableCopy>();
    copies.set(userId, forUser);
    const calendars = await listCalendars(store.db, tenantId, userId);
    for (const calendar of engine.listCalendars(userId)) {
      if (!options.allCalendars && !calendar.isDefaultCalendar) continue;
      const stored = calendars.find((c) => c.calendarId === calendar.id);
      if (stored?.windowStart == null || stored.windowEnd == null) {
        throw new Error(`calendar ${calendar.id} of ${userId} has no stored window`);
      }
      const window = { start: stored.windowStart, end: stored.windowEnd };
      const calendarId = calendar.isDefaultCalendar ? undefined : calendar.id;
      for (const event of calendarInstances(engine, userId, calendarId, window)) {
        const isPrivate = event.sensitivity === 'private' || event.sensitivity === 'confidential';
        if (isPrivate && !options.includePrivate) continue;
        if (options.onlyOnline && event.isOnlineMeeting !== true) continue;
        const uid = event.iCalUId as string;
        forUser.set(uid, {
          response: event.responseStatus?.response ?? null,
          isOrganizer: event.isOrganizer === true,
        });
        const people = new Map<string, { role: string; response: string | null }>();
        const add = (address: string, role: string, response: string | null) => {
          const email = address.trim().toLowerCase();
          if (resources.has(email)) return;
          const seen = people.get(email);
          if (seen === undefined || (ROLE_RANK[role] ?? 0) > (ROLE_RANK[seen.role] ?? 0)) {
            people.set(email, { role, response: role === 'organizer' ? 'organizer' : response });
          }
        };
        if (event.organizer) add(event.organizer.emailAddress.address, 'organizer', 'organizer');
        for (const attendee of event.attendees ?? []) {
          if (attendee.type === 'resource') continue;
          add(
            attendee.emailAddress.address,
            attendee.type === 'optional' ? 'optional' : 'required',
            attendee.status.response,
          );
        }
        events.set(uid, {
          isCancelled: event.isCancelled === true,
          isPrivate,
          isOnline: event.isOnlineMeeting === true,
          startAt: event.isAllDay ? null : Date.parse(`${event.start.dateTime.slice(0, 23)}Z`),
          startDate: event.isAllDay ? event.start.dateTime.slice(0, 10) : null,
          attendance: [...people]
            .map(([email, { role, response }]) => `${email} ${role} ${response ?? 'null'}`)
            .sort(),
        });
      }
    }
  }
  return {
    copies: sortedRecord([...copies].map(([userId, byUid]) => [userId, sortedRecord(byUid)])),
    events: sortedRecord(events),
  };
}

/** Every value of every text column of every table, for the metadata-only check. */
async function allStoredText(store: Pick<Store, 'db'>): Promise<string[]> {
  const values: string[] = [];
  for (const table of await store.db.introspection.getTables()) {
    const columns = table.columns
      .filter((column) => /char|text|clob|json/i.test(column.dataType))
      .map((column) => column.name);
    if (columns.length === 0) continue;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- every table, untyped on purpose
    const rows = await (store.db as any).selectFrom(table.name).select(columns).execute();
    for (const row of rows as Record<string, unknown>[]) {
      for (const value of Object.values(row)) if (typeof value === 'string') values.push(value);
    }
  }
  return values;
}

/** Subject, preview, body and location texts of these events. */
function meetingTexts(events: readonly GraphEvent[]): Set<string> {
  const texts = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.trim() !== '') texts.add(value.trim());
  };
  for (const event of events) {
    const record = event as unknown as Record<string, unknown>;
    add(record.subject);
    add(record.bodyPreview);
    const body = record.body as { content?: unknown } | undefined;
    add(body?.content);
    const location = record.location as { displayName?: unknown } | undefined;
    add(location?.displayName);
    for (const place of (record.locations as { displayName?: unknown }[] | undefined) ?? []) {
      add(place.displayName);
    }
  }
  return texts;
}

/**
 * Subject, preview, body and location texts of these mailboxes' meetings that appear in any text
 * column of the store. Names the directory gives (a room's name is also its meetings' location)
 * are not meeting text; short texts ("PTO") count only as whole values.
 */
export async function meetingTextInStore(
  engine: TenantEngine,
  store: Pick<Store, 'db'>,
  userIds: readonly string[],
): Promise<{ checked: number; leaks: string[] }> {
  const window = { start: Date.parse('2000-01-01'), end: Date.parse('2100-01-01') };
  const texts = new Set<string>();
  for (const userId of userIds) {
    for (const calendar of engine.listCalendars(userId)) {
      const id = calendar.isDefaultCalendar ? undefined : calendar.id;
      for (const text of meetingTexts(calendarInstances(engine, userId, id, window)))
        texts.add(text);
    }
  }
  const directoryNames = new Set(
    [
      ...engine.listUsers().map((u) => u.displayName),
      ...engine.listRooms().map((r) => r.displayName),
      ...engine.listGroups().map((g) => g.displayName),
      engine.organization.displayName,
    ].map((name) => name.trim()),
  );
  const forbidden = [...texts].filter((text) => !directoryNames.has(text));
  const stored = await allStoredText(store);
  const leaks = forbidden.filter((text) =>
    stored.some((value) => value === text || (text.length >= 12 && value.includes(text))),
  );
  return { checked: forbidden.length, leaks };
}
