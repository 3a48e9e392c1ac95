// Small builders for engine tests: a tenant with a few people, meetings, and a paging client.
import type {
  Attendee,
  DateTimeTimeZone,
  GraphEvent,
  GraphUser,
  ResponseType,
  TenantFile,
  TenantFileGroup,
} from '../graph-types.js';
import type { TenantEngine } from './tenant-engine-api.js';

export function person(local: string, extra: Partial<GraphUser> = {}): GraphUser {
  return {
    id: `id-${local}`,
    displayName: local[0]!.toUpperCase() + local.slice(1),
    mail: `${local}@contoso.com`,
    userPrincipalName: `${local}@contoso.com`,
    accountEnabled: true,
    ...extra,
  };
}

export function group(
  local: string,
  members: string[],
  extra: Partial<TenantFileGroup> = {},
): TenantFileGroup {
  return {
    id: `group-${local}`,
    displayName: local,
    mail: null,
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
    members,
    ...extra,
  };
}

export function tenant(parts: Partial<TenantFile> & Pick<TenantFile, 'users'>): TenantFile {
  return {
    organization: {
      id: '00000000-0000-4000-8000-000000000001',
      displayName: 'Contoso',
      verifiedDomains: [
        {
          name: 'contoso.com',
          isDefault: true,
          isInitial: false,
          type: 'Managed',
          capabilities: 'Email',
        },
      ],
    },
    groups: [],
    events: {},
    ...parts,
  };
}

export const pacific = (dateTime: string): DateTimeTimeZone => ({
  dateTime,
  timeZone: 'Pacific Standard Time',
});
export const utc = (dateTime: string): DateTimeTimeZone => ({ dateTime, timeZone: 'UTC' });

export function attendee(
  address: string,
  response: ResponseType = 'none',
  type: Attendee['type'] = 'required',
): Attendee {
  return {
    type,
    status: {
      response,
      time: response === 'none' ? '0001-01-01T00:00:00Z' : '2026-08-01T10:00:00Z',
    },
    emailAddress: { address },
  };
}

export function organizer(address: string): GraphEvent['organizer'] {
  return { emailAddress: { address } };
}

/** A one-hour meeting at `start` (UTC) organised by `by`. */
export function meeting(
  id: string,
  by: string,
  start: string,
  attendees: Attendee[] = [],
  extra: Partial<GraphEvent> = {},
): GraphEvent {
  const startMs = Date.parse(`${start}Z`);
  return {
    id,
    subject: `Subject of ${id}`,
    start: utc(start),
    end: utc(new Date(startMs + 3_600_000).toISOString().slice(0, 19)),
    organizer: organizer(by),
    attendees,
    ...extra,
  };
}

export const WIDE = {
  start: new Date('2026-01-01T00:00:00Z'),
  end: new Date('2028-01-01T00:00:00Z'),
};

/** Every event of one calendar in a window (all pages). */
export function listAll(
  engine: TenantEngine,
  userId: string,
  window: { start: Date; end: Date } = WIDE,
  calendarId?: string,
): GraphEvent[] {
  const events: GraphEvent[] = [];
  let afterId: string | undefined;
  do {
    const page = engine.calendarViewPage({ userId, calendarId, ...window, afterId, limit: 50 });
    events.push(...page.events);
    afterId = page.nextAfterId;
  } while (afterId !== undefined);
  return events;
}

export function subjects(events: GraphEvent[]): string[] {
  return events.map((event) => event.subject ?? '').sort();
}

export function startsUtc(events: GraphEvent[]): string[] {
  return events.map((event) => event.start.dateTime).sort();
}
