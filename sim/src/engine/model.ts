// The engine's in-memory shapes. A meeting's data and occurrences are shared by every mailbox
// copy; a copy only adds what differs per mailbox (its own ids, response and organizer flag).
import type {
  EventType,
  GraphCalendar,
  GraphEvent,
  GraphUser,
  MailboxSettings,
  ResponseStatus,
} from '../graph-types.js';
import type { Zone } from './time.js';

/** Graph event fields the engine keeps that graph-types.ts does not type. */
export type EventFields = GraphEvent & { importance?: 'low' | 'normal' | 'high' };

/** Fields an organizer may change on one occurrence (an exception). */
export type OccurrencePatch = Partial<EventFields>;

export interface Meeting {
  /** Unique in the tenant: the tenant file's event id, or one made for a created event. */
  readonly uid: string;
  readonly iCalUId: string;
  /** Current definition of the single event or the series (master) as the organizer sees it. */
  data: EventFields;
  startZone: Zone;
  /** Zone the series expands in (recurrenceTimeZone, else the start's zone). */
  seriesZone: Zone;
  startMs: number;
  endMs: number;
  /** Internal organizer (with or without mailbox), or null when the organizer is external. */
  organizerUserId: string | null;
  /** The user whose calendar the meeting was filed under (or created in) and that calendar. */
  holderUserId: string;
  holderCalendarId: string;
  cancelled: boolean;
  /** Original start dates ("YYYY-MM-DD" in the series zone) the organizer cancelled. */
  cancelledKeys: Set<string>;
  exceptions: Map<string, { patch: OccurrencePatch; lastModifiedMs: number }>;
  /** By occurrence key: "" for a single instance, the original start date for a series. */
  occurrences: Map<string, Occurrence>;
  copies: Map<string, Copy>;
  createdMs: number;
  lastModifiedMs: number;
  /** Where it came from, for error messages ("events["u1"][3]"). */
  readonly source: string;
}

export interface Occurrence {
  readonly meeting: Meeting;
  readonly key: string;
  startMs: number;
  endMs: number;
  type: EventType;
  cancelled: boolean;
  /** Exception fields over the meeting's data, or null. */
  patch: OccurrencePatch | null;
  lastModifiedMs: number;
}

export interface Copy {
  readonly meeting: Meeting;
  readonly mailbox: Mailbox;
  readonly calendar: CalendarIndex;
  readonly isOrganizer: boolean;
  readonly isResource: boolean;
  response: ResponseStatus;
  /** Responses to single occurrences, by occurrence key. */
  occurrenceResponses: Map<string, ResponseStatus> | null;
  /** The mailbox owner deleted the whole item. */
  removedByOwner: boolean;
  /** Occurrences the mailbox owner deleted, by key. */
  deletedKeys: Set<string> | null;
  hasMaster: boolean;
}

/** One instance in one mailbox calendar; `occurrence` null is a tombstone (deleted). */
export interface Entry {
  readonly id: string;
  readonly copy: Copy;
  occurrence: Occurrence | null;
  /** Change sequence of the last change; 0 for what the tenant file loaded. */
  seq: number;
}

export interface CalendarIndex {
  readonly userId: string;
  readonly calendarId: string;
  /** Sorted by id (code-unit order), tombstones included. */
  entries: Entry[];
  seq: number;
}

export interface Mailbox {
  readonly user: GraphUser;
  readonly settings: MailboxSettings;
  readonly isResource: boolean;
  readonly calendars: GraphCalendar[];
  readonly primaryCalendarId: string;
  readonly indexes: Map<string, CalendarIndex>;
  /** Series masters by id. */
  readonly masters: Map<string, Copy>;
}
