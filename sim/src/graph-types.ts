// Microsoft Graph v1.0 resource shapes the simulator serves and the tenant file holds.
// Field names follow Graph exactly; only the fields WarmPath or the simulator use are typed.

export interface DateTimeTimeZone {
  /** Local wall-clock time, e.g. "2026-03-09T09:00:00.0000000". */
  dateTime: string;
  /** Windows ("Pacific Standard Time") or IANA ("America/Los_Angeles") zone name, or "UTC". */
  timeZone: string;
}

export interface EmailAddress {
  name?: string;
  address: string;
}

export interface Recipient {
  emailAddress: EmailAddress;
}

export type ResponseType =
  'none' | 'organizer' | 'tentativelyAccepted' | 'accepted' | 'declined' | 'notResponded';

export interface ResponseStatus {
  response: ResponseType;
  /** ISO instant; "0001-01-01T00:00:00Z" when never answered. */
  time: string;
}

export interface Attendee {
  type: 'required' | 'optional' | 'resource';
  status: ResponseStatus;
  emailAddress: EmailAddress;
}

export type DayOfWeek =
  'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday';

export interface RecurrencePattern {
  type:
    | 'daily'
    | 'weekly'
    | 'absoluteMonthly'
    | 'relativeMonthly'
    | 'absoluteYearly'
    | 'relativeYearly';
  interval: number;
  month?: number;
  dayOfMonth?: number;
  daysOfWeek?: DayOfWeek[];
  firstDayOfWeek?: DayOfWeek;
  index?: 'first' | 'second' | 'third' | 'fourth' | 'last';
}

export interface RecurrenceRange {
  type: 'endDate' | 'noEnd' | 'numbered';
  /** "YYYY-MM-DD" in recurrenceTimeZone. */
  startDate: string;
  endDate?: string;
  numberOfOccurrences?: number;
  recurrenceTimeZone?: string;
}

export interface PatternedRecurrence {
  pattern: RecurrencePattern;
  range: RecurrenceRange;
}

export type EventType = 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';

export interface GraphEvent {
  '@odata.type'?: '#microsoft.graph.event';
  '@odata.etag'?: string;
  id: string;
  createdDateTime?: string;
  lastModifiedDateTime?: string;
  changeKey?: string;
  iCalUId?: string;
  seriesMasterId?: string | null;
  type?: EventType;
  subject?: string;
  bodyPreview?: string;
  body?: { contentType: 'html' | 'text'; content: string };
  start: DateTimeTimeZone;
  end: DateTimeTimeZone;
  originalStartTimeZone?: string;
  originalEndTimeZone?: string;
  isAllDay?: boolean;
  isCancelled?: boolean;
  isOrganizer?: boolean;
  isDraft?: boolean;
  isOnlineMeeting?: boolean;
  onlineMeetingProvider?: 'unknown' | 'teamsForBusiness' | 'skypeForBusiness' | 'skypeForConsumer';
  onlineMeeting?: { joinUrl?: string } | null;
  sensitivity?: 'normal' | 'personal' | 'private' | 'confidential';
  showAs?: 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere' | 'unknown';
  responseRequested?: boolean;
  responseStatus?: ResponseStatus;
  location?: {
    displayName: string;
    locationType?: string;
    uniqueId?: string;
    uniqueIdType?: string;
  };
  locations?: Array<{ displayName: string; locationType?: string }>;
  attendees?: Attendee[];
  organizer?: Recipient;
  recurrence?: PatternedRecurrence | null;
  categories?: string[];
  webLink?: string;
  /**
   * Tenant-file only (Graph has cancelledOccurrences as opaque ids): original start dates
   * ("YYYY-MM-DD", in the series' time zone) of occurrences the organizer cancelled.
   */
  cancelledOccurrences?: string[];
  /**
   * Tenant-file only: occurrences the organizer changed, keyed by their original start date.
   * Each holds the changed fields (start, end, attendees, isOnlineMeeting, …).
   */
  exceptionOccurrences?: Array<Partial<GraphEvent> & { originalStartDate: string }>;
}

export interface RemovedItem {
  '@odata.type': '#microsoft.graph.event';
  id: string;
  '@removed': { reason: 'deleted' | 'changed' };
}

export interface GraphUser {
  id: string;
  displayName: string;
  givenName?: string | null;
  surname?: string | null;
  mail: string | null;
  userPrincipalName: string;
  jobTitle?: string | null;
  department?: string | null;
  companyName?: string | null;
  officeLocation?: string | null;
  accountEnabled?: boolean;
  businessPhones?: string[];
  mobilePhone?: string | null;
  preferredLanguage?: string | null;
  usageLocation?: string | null;
  userType?: 'Member' | 'Guest';
}

export interface GraphGroup {
  id: string;
  displayName: string;
  description?: string | null;
  mail: string | null;
  mailNickname?: string;
  mailEnabled: boolean;
  securityEnabled: boolean;
  groupTypes: string[];
  visibility?: string | null;
}

export interface TenantFileGroup extends GraphGroup {
  /** Ids of member users and groups (nested groups allowed). */
  members: string[];
}

export interface MailboxSettings {
  timeZone?: string;
  language?: { locale: string; displayName: string };
  workingHours?: {
    daysOfWeek: DayOfWeek[];
    startTime: string;
    endTime: string;
    timeZone: { name: string };
  };
  userPurpose?: {
    value: 'user' | 'linked' | 'shared' | 'room' | 'equipment' | 'others' | 'unknownFutureValue';
  };
  dateFormat?: string;
  timeFormat?: string;
}

export interface GraphCalendar {
  id: string;
  name: string;
  color?: string;
  hexColor?: string;
  isDefaultCalendar?: boolean;
  changeKey?: string;
  canShare?: boolean;
  canViewPrivateItems?: boolean;
  canEdit?: boolean;
  isRemovable?: boolean;
  isTallyingResponses?: boolean;
  allowedOnlineMeetingProviders?: string[];
  defaultOnlineMeetingProvider?: string;
  owner?: EmailAddress;
}

export interface GraphRoom {
  id: string;
  emailAddress: string;
  displayName: string;
  capacity?: number | string | null;
  building?: string | null;
  floorNumber?: number | null;
  bookingType?: 'standard' | 'reserved' | 'unknown';
  isWheelchairAccessible?: boolean;
  nickname?: string | null;
  label?: string | null;
  tags?: string[];
  address?: Record<string, string | null>;
  phone?: string | null;
}

export interface VerifiedDomain {
  name: string;
  isDefault: boolean;
  isInitial: boolean;
  type: 'Managed' | 'Federated';
  capabilities: string;
}

export interface GraphOrganization {
  id: string;
  displayName: string;
  verifiedDomains: VerifiedDomain[];
}

/**
 * A whole tenant as the simulator loads it (contracts.md, "Tenant file"): Graph resources as Graph
 * returns them. Each meeting appears once under `events[userId]` (any internal participant); the
 * simulator copies it into the calendar of the organizer and every internal attendee, each copy
 * with its own id and that attendee's own `responseStatus`.
 */
export interface TenantFile {
  organization: GraphOrganization;
  users: GraphUser[];
  groups: TenantFileGroup[];
  /** By user id. A user without `mail` has no mailbox; one with `mail` but no entry gets defaults. */
  mailboxSettings?: Record<string, MailboxSettings>;
  /** By user id; a mailbox without an entry has one primary calendar named "Calendar". */
  calendars?: Record<string, GraphCalendar[]>;
  /**
   * By user id, or by "userId/calendarId" to place the meeting in that user's other calendar.
   */
  events: Record<string, GraphEvent[]>;
  rooms?: GraphRoom[];
}
