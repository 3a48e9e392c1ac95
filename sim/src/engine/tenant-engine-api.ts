// The contract between the simulator's in-memory tenant (engine/) and its HTTP layer (server/).
// The engine knows Microsoft 365 semantics (mailbox copies, recurrence, change tracking); the
// server knows HTTP, tokens, paging, throttling and faults.
import type {
  GraphCalendar,
  GraphEvent,
  GraphGroup,
  GraphOrganization,
  GraphRoom,
  GraphUser,
  MailboxSettings,
  ResponseType,
} from '../graph-types.js';

/** One item of one mailbox calendar's change log. */
export interface CalendarChange {
  userId: string;
  calendarId: string;
  /** The instance id as that mailbox sees it (occurrence ids included). */
  eventId: string;
  changeType: 'created' | 'updated' | 'deleted';
  /** Monotonic per mailbox calendar; starts at 1. */
  seq: number;
}

/** A page of a calendar's instances ordered by id, for calendarView and its delta rounds. */
export interface InstancePage {
  /** Events in Graph's calendarView shape, times in UTC ("timeZone": "UTC"). */
  events: GraphEvent[];
  /** Ids that were visible at `sinceSeq` (or changed since) and are now deleted or out of the window. */
  removed: string[];
  /** Cursor for the next page (exclusive), or undefined when this was the last page. */
  nextAfterId?: string;
}

/** Which page of which calendar `calendarViewPage` reads. */
export interface CalendarViewQuery {
  userId: string;
  calendarId?: string;
  start: Date;
  end: Date;
  afterId?: string;
  limit: number;
  sinceSeq?: number;
  /** Ignore changes after this sequence (the snapshot a paged round started from). */
  untilSeq?: number;
}

export interface MailboxStats {
  userId: string;
  userPrincipalName: string;
  /** Instances in all calendars of the mailbox inside the window asked for, cancelled included. */
  events: number;
  /** Of those, expanded occurrences and exceptions of recurring series. */
  occurrences: number;
  cancelled: number;
}

export interface NewEventInput {
  /** Graph event fields as a client would POST them (subject, start, end, attendees, …). */
  event: Omit<GraphEvent, 'id'> & { id?: string };
  /** Calendar of the organizer's mailbox; default the primary. */
  calendarId?: string;
}

export interface TenantEngine {
  readonly tenantId: string;
  readonly organization: GraphOrganization;

  listUsers(): GraphUser[];
  /** By id or userPrincipalName (case-insensitive), as Graph's /users/{id | upn}. */
  findUser(idOrUpn: string): GraphUser | undefined;
  /** False for users that have no Exchange mailbox (Graph answers MailboxNotEnabledForRESTAPI). */
  hasMailbox(userId: string): boolean;
  mailboxSettings(userId: string): MailboxSettings | undefined;

  listGroups(): GraphGroup[];
  findGroup(id: string): GraphGroup | undefined;
  /** Users and groups under a group, nested groups expanded, each once, in a stable order. */
  transitiveMembers(groupId: string): Array<GraphUser | GraphGroup>;
  /** Direct members only. */
  members(groupId: string): Array<GraphUser | GraphGroup>;

  listCalendars(userId: string): GraphCalendar[];
  listRooms(): GraphRoom[];

  /**
   * The instances of one mailbox calendar whose time span overlaps [start, end), as Graph's
   * calendarView returns them: single instances, occurrences and exceptions; never series masters.
   * Sorted by id; `afterId` continues after that id; `limit` caps the page.
   * With `sinceSeq`, only instances changed after that change sequence, plus `removed` for ids
   * deleted or moved out of the window since then (delta rounds).
   */
  calendarViewPage(query: CalendarViewQuery): InstancePage;

  /** The current change sequence of a mailbox calendar (what a deltaLink remembers). */
  currentSeq(userId: string, calendarId?: string): number;

  /** Event by its id in that mailbox (instances and series masters). */
  getEvent(userId: string, eventId: string): GraphEvent | undefined;

  // Mutations (the /_sim/ API and tests). Each records changes and notifies listeners.
  createEvent(organizerUserId: string, input: NewEventInput): GraphEvent;
  /** Organizer-side change; propagated to every attendee copy. Works on a series or one instance. */
  updateEvent(organizerUserId: string, eventId: string, patch: Partial<GraphEvent>): GraphEvent;
  /** Organizer cancels: removed from the organizer's calendar, isCancelled on attendees' copies. */
  cancelEvent(organizerUserId: string, eventId: string): void;
  /** Deleted from that one mailbox only. */
  deleteEvent(userId: string, eventId: string): void;
  /** An attendee answers; their copy's responseStatus and the organizer's attendee status change. */
  respond(userId: string, eventId: string, response: ResponseType): void;
  addGroupMember(groupId: string, memberId: string): void;
  removeGroupMember(groupId: string, memberId: string): void;

  /** Called synchronously after every change to a mailbox calendar. Returns an unsubscribe. */
  onChange(listener: (change: CalendarChange) => void): () => void;

  /** Per-mailbox counts over a window, so tests can compare the store with the source. */
  stats(window: { start: Date; end: Date }): MailboxStats[];
}
