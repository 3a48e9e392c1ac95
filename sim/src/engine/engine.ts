// The in-memory tenant: directory, mailboxes, meeting copies, recurrence, change log, mutations.
import type {
  Attendee,
  GraphCalendar,
  GraphEvent,
  GraphGroup,
  GraphOrganization,
  GraphRoom,
  GraphUser,
  MailboxSettings,
  ResponseStatus,
  ResponseType,
  TenantFile,
} from '../graph-types.js';
import type {
  CalendarChange,
  CalendarViewQuery,
  InstancePage,
  MailboxStats,
  NewEventInput,
  TenantEngine,
} from './tenant-engine-api.js';
import { TenantEngineError, TenantFileError } from './errors.js';
import { changeKeyFor, graphId, instanceIdOf, masterIdOf, newICalUId } from './ids.js';
import type {
  CalendarIndex,
  Copy,
  Entry,
  EventFields,
  Mailbox,
  Meeting,
  Occurrence,
  OccurrencePatch,
} from './model.js';
import { expandRecurrence } from './recurrence.js';
import { NEVER_RESPONDED, renderInstance, renderMaster } from './render.js';
import {
  endAfter,
  formatDateOnly,
  formatInstant,
  instantOf,
  localToUtc,
  MS_PER_DAY,
  parseDateOnly,
  requireZone,
  utcToLocal,
} from './time.js';
import { eventInputIssues, eventPatchIssues, validateTenantFile } from './validate.js';

export interface TenantEngineOptions {
  /** The engine's clock (mutation timestamps, response times, the noEnd horizon). */
  now?: () => Date;
  /** How far past max(now, series start) a noEnd series is expanded; default 730 days. */
  noEndHorizonDays?: number;
}

/** Fields a tenant file or a client may set on an event (the rest are the server's). */
const EVENT_FIELDS = [
  'subject',
  'body',
  'bodyPreview',
  'start',
  'end',
  'originalStartTimeZone',
  'originalEndTimeZone',
  'isAllDay',
  'location',
  'locations',
  'attendees',
  'organizer',
  'recurrence',
  'categories',
  'sensitivity',
  'showAs',
  'importance',
  'isOnlineMeeting',
  'onlineMeetingProvider',
  'onlineMeeting',
  'responseRequested',
] as const satisfies ReadonlyArray<keyof EventFields>;

/** Changing any of these on a series re-lays its occurrences; Exchange then drops exceptions. */
const SCHEDULE_FIELDS = new Set(['start', 'end', 'isAllDay', 'recurrence']);

const ORGANIZER_STATUS: ResponseStatus = { response: 'organizer', time: NEVER_RESPONDED };
const ANSWERS: ReadonlySet<ResponseType> = new Set([
  'none',
  'accepted',
  'tentativelyAccepted',
  'declined',
  'notResponded',
]);

interface Role {
  isOrganizer: boolean;
  status: ResponseStatus;
}

interface PlannedOccurrence {
  key: string;
  startMs: number;
  endMs: number;
  type: Occurrence['type'];
  cancelled: boolean;
  patch: OccurrencePatch | null;
}

type Target =
  | { kind: 'instance'; entry: Entry; copy: Copy; occurrence: Occurrence }
  | { kind: 'master'; copy: Copy };

/**
 * The event fields of `source`. Client input is cloned; a tenant file's objects are shared, as
 * the engine owns the file once loaded (cloning a large file costs seconds).
 */
function pickEventFields(
  source: Partial<EventFields>,
  { clone }: { clone: boolean },
): Partial<EventFields> {
  const picked: Record<string, unknown> = {};
  for (const name of EVENT_FIELDS) {
    const value = source[name];
    if (value !== undefined) picked[name] = clone ? structuredClone(value) : value;
  }
  return picked as Partial<EventFields>;
}

function overlaps(occurrence: Occurrence, startMs: number, endMs: number): boolean {
  if (occurrence.startMs === occurrence.endMs) {
    return occurrence.startMs >= startMs && occurrence.startMs < endMs;
  }
  return occurrence.startMs < endMs && occurrence.endMs > startMs;
}

/** Index of the first entry whose id is not less than `id`. */
function lowerBound(entries: Entry[], id: string): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (entries[mid]!.id < id) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Index of the first entry whose id is greater than `id` (ids are unique). */
function upperBound(entries: Entry[], id: string): number {
  const at = lowerBound(entries, id);
  return entries[at]?.id === id ? at + 1 : at;
}

function byId(a: Entry, b: Entry): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function directoryCopy<T extends object>(item: T, odataType: string): T {
  return { '@odata.type': odataType, ...item };
}

class Engine implements TenantEngine {
  readonly tenantId: string;
  readonly organization: GraphOrganization;

  private readonly now: () => Date;
  private readonly noEndHorizonDays: number;
  private readonly users: GraphUser[];
  private readonly userByKey = new Map<string, GraphUser>();
  private readonly userByAddress = new Map<string, GraphUser>();
  private readonly groups = new Map<string, { group: GraphGroup; members: string[] }>();
  private readonly rooms: GraphRoom[];
  private readonly mailboxes = new Map<string, Mailbox>();
  private readonly meetingUids = new Set<string>();
  private readonly listeners = new Set<(change: CalendarChange) => void>();
  private loading = true;
  private createdCount = 0;
  private pendingChanges: CalendarChange[] = [];

  constructor(file: TenantFile, options: TenantEngineOptions) {
    this.now = options.now ?? (() => new Date());
    this.noEndHorizonDays = options.noEndHorizonDays ?? 730;
    this.organization = structuredClone(file.organization);
    this.tenantId = file.organization.id;
    this.users = file.users.map((user) => ({ ...user }));
    this.rooms = (file.rooms ?? []).map((room) => ({ ...room }));
    for (const user of this.users) {
      this.userByKey.set(user.id.toLowerCase(), user);
      this.userByKey.set(user.userPrincipalName.toLowerCase(), user);
      this.userByAddress.set(user.userPrincipalName.toLowerCase(), user);
      if (user.mail !== null) this.userByAddress.set(user.mail.toLowerCase(), user);
    }
    for (const { members, ...group } of file.groups) {
      this.groups.set(group.id, { group: { ...group }, members: [...members] });
    }
    const roomAddresses = new Set(this.rooms.map((room) => room.emailAddress.toLowerCase()));
    for (const user of this.users) {
      if (user.mail === null) continue;
      this.mailboxes.set(
        user.id,
        this.createMailbox(
          user,
          file.mailboxSettings?.[user.id],
          file.calendars?.[user.id],
          roomAddresses.has(user.mail.toLowerCase()),
        ),
      );
    }
    this.loadEvents(file);
    this.loading = false;
  }

  // ---- directory ----

  listUsers(): GraphUser[] {
    return this.users.map((user) => ({ ...user }));
  }

  findUser(idOrUpn: string): GraphUser | undefined {
    const user = this.userByKey.get(idOrUpn.toLowerCase());
    return user === undefined ? undefined : { ...user };
  }

  hasMailbox(userId: string): boolean {
    const user = this.userByKey.get(userId.toLowerCase());
    return user !== undefined && this.mailboxes.has(user.id);
  }

  mailboxSettings(userId: string): MailboxSettings | undefined {
    const user = this.userByKey.get(userId.toLowerCase());
    const mailbox = user === undefined ? undefined : this.mailboxes.get(user.id);
    return mailbox === undefined ? undefined : structuredClone(mailbox.settings);
  }

  listGroups(): GraphGroup[] {
    return [...this.groups.values()].map(({ group }) => ({ ...group }));
  }

  findGroup(id: string): GraphGroup | undefined {
    const found = this.groups.get(id);
    return found === undefined ? undefined : { ...found.group };
  }

  members(groupId: string): Array<GraphUser | GraphGroup> {
    return this.requireGroup(groupId).members.map((id) => this.directoryObject(id));
  }

  transitiveMembers(groupId: string): Array<GraphUser | GraphGroup> {
    this.requireGroup(groupId);
    const seen = new Set<string>([groupId]);
    const result: Array<GraphUser | GraphGroup> = [];
    const visit = (id: string): void => {
      for (const memberId of this.groups.get(id)?.members ?? []) {
        if (seen.has(memberId)) continue;
        seen.add(memberId);
        result.push(this.directoryObject(memberId));
        if (this.groups.has(memberId)) visit(memberId);
      }
    };
    visit(groupId);
    return result;
  }

  addGroupMember(groupId: string, memberId: string): void {
    const group = this.requireGroup(groupId);
    if (!this.groups.has(memberId) && !this.users.some((user) => user.id === memberId)) {
      throw new TenantEngineError('InvalidRequest', `No user or group has id "${memberId}".`);
    }
    if (memberId === groupId) {
      throw new TenantEngineError('InvalidRequest', 'A group cannot be a member of itself.');
    }
    if (group.members.includes(memberId)) {
      throw new TenantEngineError(
        'InvalidRequest',
        "One or more added object references already exist for the following modified properties: 'members'.",
      );
    }
    group.members.push(memberId);
  }

  removeGroupMember(groupId: string, memberId: string): void {
    const group = this.requireGroup(groupId);
    const index = group.members.indexOf(memberId);
    if (index < 0) {
      throw new TenantEngineError(
        'MemberNotFound',
        `"${memberId}" is not a member of group "${groupId}".`,
      );
    }
    group.members.splice(index, 1);
  }

  listCalendars(userId: string): GraphCalendar[] {
    return this.requireMailbox(userId).calendars.map((calendar) => structuredClone(calendar));
  }

  listRooms(): GraphRoom[] {
    return this.rooms.map((room) => structuredClone(room));
  }

  // ---- calendars ----

  calendarViewPage(args: CalendarViewQuery): InstancePage {
    const index = this.requireIndex(this.requireMailbox(args.userId), args.calendarId);
    if (!(args.limit >= 1)) {
      throw new TenantEngineError('InvalidRequest', `limit must be at least 1, got ${args.limit}.`);
    }
    const windowStart = args.start.getTime();
    const windowEnd = args.end.getTime();
    const { sinceSeq } = args;
    const untilSeq = args.untilSeq ?? Number.POSITIVE_INFINITY;
    const classify = (entry: Entry): 'event' | 'removed' | undefined => {
      const occurrence = entry.occurrence;
      // a first round lists what is there now, whatever its seq, so a plain calendarView
      // paged during mutations loses nothing
      if (sinceSeq === undefined) {
        return occurrence !== null && overlaps(occurrence, windowStart, windowEnd)
          ? 'event'
          : undefined;
      }
      // later changes belong to the next round (its sinceSeq is this round's untilSeq)
      if (entry.seq <= sinceSeq || entry.seq > untilSeq) return undefined;
      if (occurrence === null) return 'removed';
      return overlaps(occurrence, windowStart, windowEnd) ? 'event' : 'removed';
    };

    const entries = index.entries;
    const events: GraphEvent[] = [];
    const removed: string[] = [];
    let lastTaken: string | undefined;
    for (
      let i = args.afterId === undefined ? 0 : upperBound(entries, args.afterId);
      i < entries.length;
      i++
    ) {
      const entry = entries[i]!;
      const verdict = classify(entry);
      if (verdict === undefined) continue;
      // only promise a next page when one more item really follows
      if (events.length + removed.length >= args.limit)
        return { events, removed, nextAfterId: lastTaken };
      if (verdict === 'event') events.push(renderInstance(entry));
      else removed.push(entry.id);
      lastTaken = entry.id;
    }
    return { events, removed };
  }

  currentSeq(userId: string, calendarId?: string): number {
    return this.requireIndex(this.requireMailbox(userId), calendarId).seq;
  }

  getEvent(userId: string, eventId: string): GraphEvent | undefined {
    const target = this.findTarget(this.requireMailbox(userId), eventId);
    if (target === undefined) return undefined;
    return target.kind === 'master' ? renderMaster(target.copy) : renderInstance(target.entry);
  }

  stats(window: { start: Date; end: Date }): MailboxStats[] {
    const windowStart = window.start.getTime();
    const windowEnd = window.end.getTime();
    const result: MailboxStats[] = [];
    for (const mailbox of this.mailboxes.values()) {
      const counts: MailboxStats = {
        userId: mailbox.user.id,
        userPrincipalName: mailbox.user.userPrincipalName,
        events: 0,
        occurrences: 0,
        cancelled: 0,
      };
      for (const index of mailbox.indexes.values()) {
        for (const { occurrence } of index.entries) {
          if (occurrence === null || !overlaps(occurrence, windowStart, windowEnd)) continue;
          counts.events++;
          if (occurrence.type !== 'singleInstance') counts.occurrences++;
          if (occurrence.cancelled) counts.cancelled++;
        }
      }
      result.push(counts);
    }
    return result;
  }

  // ---- mutations ----

  createEvent(organizerUserId: string, input: NewEventInput): GraphEvent {
    const mailbox = this.requireMailbox(organizerUserId);
    const calendarId = this.requireIndex(mailbox, input.calendarId).calendarId;
    const issues = eventInputIssues(input.event);
    if (issues.length > 0) throw new TenantEngineError('InvalidRequest', issues.join('; '));
    const uid = input.event.id ?? `created:${mailbox.user.id}:${++this.createdCount}`;
    if (this.meetingUids.has(uid)) {
      throw new TenantEngineError('InvalidRequest', `An event with id "${uid}" already exists.`);
    }
    const nowMs = this.now().getTime();
    const organizer = { name: mailbox.user.displayName, address: mailbox.user.mail ?? '' };
    const meeting = this.buildMeeting(
      { ...input.event, id: uid, organizer: { emailAddress: organizer } },
      mailbox.user.id,
      calendarId,
      'event',
      nowMs,
    );
    this.reconcile(meeting, 'all', nowMs);
    this.flushChanges();
    const copy = meeting.copies.get(mailbox.user.id)!;
    return meeting.data.recurrence ? renderMaster(copy) : renderInstance(this.entryOf(copy, '')!);
  }

  updateEvent(organizerUserId: string, eventId: string, patch: Partial<GraphEvent>): GraphEvent {
    const mailbox = this.requireMailbox(organizerUserId);
    const target = this.requireTarget(mailbox, eventId);
    const issues = eventPatchIssues(patch);
    if (issues.length > 0) throw new TenantEngineError('InvalidRequest', issues.join('; '));
    const meeting = target.copy.meeting;
    const nowMs = this.now().getTime();
    const changes = pickEventFields(patch, { clone: true });
    delete changes.organizer;
    if (target.kind === 'master' || target.occurrence.type === 'singleInstance') {
      this.patchMeeting(meeting, changes, nowMs);
      this.reconcile(meeting, 'all', nowMs);
    } else {
      const key = target.occurrence.key;
      const previous = meeting.exceptions.get(key)?.patch ?? {};
      const next: OccurrencePatch = { ...previous, ...changes };
      if (changes.attendees) next.attendees = this.normalizeAttendees(changes.attendees, nowMs);
      if (changes.start && !changes.end) {
        // moving the start keeps the occurrence's length, as Outlook does
        const length = target.occurrence.endMs - target.occurrence.startMs;
        next.end = endAfter(changes.start, length);
      }
      meeting.exceptions.set(key, { patch: next, lastModifiedMs: nowMs });
      this.reconcile(meeting, new Set([key]), nowMs);
    }
    this.flushChanges();
    return this.renderAfterChange(mailbox, target, eventId);
  }

  cancelEvent(organizerUserId: string, eventId: string): void {
    const target = this.requireTarget(this.requireMailbox(organizerUserId), eventId);
    const meeting = target.copy.meeting;
    const nowMs = this.now().getTime();
    if (target.kind === 'master' || target.occurrence.type === 'singleInstance') {
      meeting.cancelled = true;
      meeting.lastModifiedMs = nowMs;
      this.reconcile(meeting, 'all', nowMs);
    } else {
      meeting.cancelledKeys.add(target.occurrence.key);
      this.reconcile(meeting, new Set([target.occurrence.key]), nowMs);
    }
    this.flushChanges();
  }

  deleteEvent(userId: string, eventId: string): void {
    const target = this.requireTarget(this.requireMailbox(userId), eventId);
    const copy = target.copy;
    if (target.kind === 'master' || target.occurrence.type === 'singleInstance') {
      copy.removedByOwner = true;
    } else {
      (copy.deletedKeys ??= new Set()).add(target.occurrence.key);
    }
    this.reconcile(copy.meeting, new Set(), this.now().getTime());
    this.flushChanges();
  }

  respond(userId: string, eventId: string, response: ResponseType): void {
    const mailbox = this.requireMailbox(userId);
    const target = this.requireTarget(mailbox, eventId);
    if (!ANSWERS.has(response)) {
      throw new TenantEngineError(
        'InvalidRequest',
        `"${response}" is not a response an attendee can give.`,
      );
    }
    const copy = target.copy;
    if (copy.isOrganizer) {
      throw new TenantEngineError(
        'InvalidRequest',
        'The organizer cannot respond to their own meeting.',
      );
    }
    const meeting = copy.meeting;
    const nowMs = this.now().getTime();
    const status: ResponseStatus = { response, time: formatInstant(nowMs) };
    const addresses = new Set(
      [mailbox.user.mail, mailbox.user.userPrincipalName].flatMap((a) =>
        a ? [a.toLowerCase()] : [],
      ),
    );
    const answered = (list: Attendee[] | undefined): Attendee[] | undefined =>
      list?.map((attendee) =>
        addresses.has(attendee.emailAddress.address.toLowerCase())
          ? { ...attendee, status: { ...status } }
          : attendee,
      );
    if (target.kind === 'master' || target.occurrence.type === 'singleInstance') {
      copy.response = status;
      copy.occurrenceResponses = null;
      meeting.data = { ...meeting.data, attendees: answered(meeting.data.attendees) ?? [] };
      for (const [key, exception] of meeting.exceptions) {
        if (exception.patch.attendees) {
          meeting.exceptions.set(key, {
            patch: { ...exception.patch, attendees: answered(exception.patch.attendees) },
            lastModifiedMs: nowMs,
          });
        }
      }
      this.reconcile(meeting, 'all', nowMs);
    } else {
      const key = target.occurrence.key;
      (copy.occurrenceResponses ??= new Map()).set(key, status);
      const previous = meeting.exceptions.get(key)?.patch ?? {};
      meeting.exceptions.set(key, {
        patch: {
          ...previous,
          attendees: answered(previous.attendees ?? meeting.data.attendees) ?? [],
        },
        lastModifiedMs: nowMs,
      });
      this.reconcile(meeting, new Set([key]), nowMs);
    }
    this.flushChanges();
  }

  onChange(listener: (change: CalendarChange) => void): () => void {
    const subscription = (change: CalendarChange): void => listener(change);
    this.listeners.add(subscription);
    return () => this.listeners.delete(subscription);
  }

  // ---- loading ----

  private createMailbox(
    user: GraphUser,
    settings: MailboxSettings | undefined,
    calendars: GraphCalendar[] | undefined,
    listedAsRoom: boolean,
  ): Mailbox {
    const merged: MailboxSettings = {
      timeZone: 'UTC',
      userPurpose: { value: listedAsRoom ? 'room' : 'user' },
      ...structuredClone(settings ?? {}),
    };
    const purpose = merged.userPurpose?.value;
    const owner = { name: user.displayName, address: user.mail ?? user.userPrincipalName };
    const list: GraphCalendar[] = calendars?.map((calendar) => ({
      ...structuredClone(calendar),
      isDefaultCalendar: calendar.isDefaultCalendar === true,
    })) ?? [
      {
        id: graphId(user.id, 'calendar', 'primary'),
        name: 'Calendar',
        color: 'auto',
        hexColor: '',
        isDefaultCalendar: true,
        changeKey: changeKeyFor(user.id, 'calendar'),
        canShare: true,
        canViewPrivateItems: true,
        canEdit: true,
        isRemovable: false,
        isTallyingResponses: true,
        allowedOnlineMeetingProviders: ['teamsForBusiness'],
        defaultOnlineMeetingProvider: 'teamsForBusiness',
        owner,
      },
    ];
    if (!list.some((calendar) => calendar.isDefaultCalendar)) list[0]!.isDefaultCalendar = true;
    const indexes = new Map<string, CalendarIndex>();
    for (const calendar of list) {
      indexes.set(calendar.id, { userId: user.id, calendarId: calendar.id, entries: [], seq: 0 });
    }
    return {
      user,
      settings: merged,
      isResource: purpose === 'room' || purpose === 'equipment',
      calendars: list,
      primaryCalendarId: list.find((calendar) => calendar.isDefaultCalendar)!.id,
      indexes,
      masters: new Map(),
    };
  }

  private loadEvents(file: TenantFile): void {
    const issues: string[] = [];
    for (const [key, events] of Object.entries(file.events)) {
      const slash = key.indexOf('/');
      const holderUserId = slash < 0 ? key : key.slice(0, slash);
      const holder = this.mailboxes.get(holderUserId)!;
      const calendarId = slash < 0 ? holder.primaryCalendarId : key.slice(slash + 1);
      events.forEach((event, i) => {
        const source = `events["${key}"][${i}] (id "${event.id}")`;
        try {
          const meeting = this.buildMeeting(event, holderUserId, calendarId, source, undefined);
          issues.push(...this.unmatchedOccurrenceDates(meeting, event));
          this.reconcile(meeting, 'all', meeting.lastModifiedMs);
        } catch (error) {
          if (!(error instanceof RangeError)) throw error;
          issues.push(`${source}: ${error.message}`);
        }
      });
    }
    if (issues.length > 0) throw new TenantFileError(issues);
    for (const mailbox of this.mailboxes.values()) {
      for (const index of mailbox.indexes.values()) {
        index.entries.sort(byId);
        for (let i = 1; i < index.entries.length; i++) {
          if (index.entries[i - 1]!.id === index.entries[i]!.id) {
            throw new Error(`id collision in mailbox ${mailbox.user.id}: ${index.entries[i]!.id}`);
          }
        }
      }
    }
  }

  /** Cancelled or changed occurrences the tenant file names that the series does not have. */
  private unmatchedOccurrenceDates(meeting: Meeting, event: GraphEvent): string[] {
    if (!meeting.data.recurrence) return [];
    if (!event.cancelledOccurrences?.length && !event.exceptionOccurrences?.length) return [];
    const horizonDay = this.horizonDay(meeting);
    const dates = new Set(
      expandRecurrence(meeting.data.recurrence, horizonDay).map((day) => formatDateOnly(day)),
    );
    const issues: string[] = [];
    const check = (date: string, path: string): void => {
      const day = parseDateOnly(date)!;
      if (day <= horizonDay && !dates.has(date)) {
        issues.push(`${meeting.source}.${path}: ${date} is not an occurrence of the series`);
      }
    };
    event.cancelledOccurrences?.forEach((date, i) => check(date, `cancelledOccurrences[${i}]`));
    event.exceptionOccurrences?.forEach((exception, i) =>
      check(exception.originalStartDate, `exceptionOccurrences[${i}].originalStartDate`),
    );
    return issues;
  }

  /** A meeting from Graph-shaped input. `createdMs` undefined: a file meeting (stamps from the file). */
  private buildMeeting(
    event: GraphEvent,
    holderUserId: string,
    holderCalendarId: string,
    source: string,
    createdMs: number | undefined,
  ): Meeting {
    const holder = this.mailboxes.get(holderUserId)!.user;
    const data = pickEventFields(event, { clone: createdMs !== undefined }) as EventFields;
    data.organizer ??= {
      emailAddress: { name: holder.displayName, address: holder.mail ?? holder.userPrincipalName },
    };
    const startMs = instantOf(data.start);
    const endMs = instantOf(data.end);
    if (endMs < startMs) throw new RangeError('end is before start');
    const created =
      createdMs ??
      (event.createdDateTime ? Date.parse(event.createdDateTime) : startMs - 14 * MS_PER_DAY);
    const lastModified =
      createdMs ?? (event.lastModifiedDateTime ? Date.parse(event.lastModifiedDateTime) : created);
    data.attendees = this.normalizeAttendees(data.attendees ?? [], created);
    const organizerUser = this.userByAddress.get(data.organizer.emailAddress.address.toLowerCase());
    data.organizer.emailAddress.name ??=
      organizerUser?.displayName ?? data.organizer.emailAddress.address;
    const startZone = requireZone(data.start.timeZone);
    const meeting: Meeting = {
      uid: event.id,
      iCalUId: event.iCalUId ?? newICalUId(`${this.tenantId}/${event.id}`),
      data,
      startZone,
      seriesZone: data.recurrence?.range.recurrenceTimeZone
        ? requireZone(data.recurrence.range.recurrenceTimeZone)
        : startZone,
      startMs,
      endMs,
      organizerUserId: organizerUser?.id ?? null,
      holderUserId,
      holderCalendarId,
      cancelled: event.isCancelled === true,
      cancelledKeys: new Set(event.cancelledOccurrences ?? []),
      exceptions: new Map(
        (event.exceptionOccurrences ?? []).map(({ originalStartDate, ...fields }) => {
          const patch = pickEventFields(fields, { clone: createdMs !== undefined });
          if (patch.attendees) patch.attendees = this.normalizeAttendees(patch.attendees, created);
          if (fields.isCancelled === true) (patch as { isCancelled?: boolean }).isCancelled = true;
          return [originalStartDate, { patch, lastModifiedMs: lastModified }];
        }),
      ),
      occurrences: new Map(),
      copies: new Map(),
      createdMs: created,
      lastModifiedMs: lastModified,
      source,
    };
    this.meetingUids.add(meeting.uid);
    return meeting;
  }

  private normalizeAttendees(attendees: Attendee[], answeredMs: number): Attendee[] {
    return attendees.map((attendee) => {
      const user = this.userByAddress.get(attendee.emailAddress.address.toLowerCase());
      const isResource = user !== undefined && this.mailboxes.get(user.id)?.isResource === true;
      let status: ResponseStatus = attendee.status
        ? { ...attendee.status }
        : { response: 'none', time: NEVER_RESPONDED };
      // rooms auto-accept (AutomateProcessing=AutoAccept) unless the file says they declined
      if (isResource && status.response !== 'declined' && status.response !== 'accepted') {
        status = { response: 'accepted', time: formatInstant(answeredMs) };
      }
      return {
        type: attendee.type ?? (isResource ? 'resource' : 'required'),
        status,
        emailAddress: {
          name: attendee.emailAddress.name ?? user?.displayName ?? attendee.emailAddress.address,
          address: attendee.emailAddress.address,
        },
      };
    });
  }

  private patchMeeting(meeting: Meeting, changes: Partial<EventFields>, nowMs: number): void {
    const data: EventFields = { ...meeting.data, ...changes };
    if (changes.attendees) data.attendees = this.normalizeAttendees(changes.attendees, nowMs);
    if (changes.start && !changes.end) {
      // moving the start keeps the meeting's length, as Outlook does
      const length = meeting.endMs - meeting.startMs;
      data.end = endAfter(changes.start, length);
    }
    if (changes.recurrence === null) delete data.recurrence;
    const startMs = instantOf(data.start);
    const endMs = instantOf(data.end);
    if (endMs < startMs) throw new TenantEngineError('InvalidRequest', 'end is before start');
    meeting.data = data;
    meeting.startZone = requireZone(data.start.timeZone);
    meeting.seriesZone = data.recurrence?.range.recurrenceTimeZone
      ? requireZone(data.recurrence.range.recurrenceTimeZone)
      : meeting.startZone;
    meeting.startMs = startMs;
    meeting.endMs = endMs;
    meeting.lastModifiedMs = nowMs;
    if (Object.keys(changes).some((name) => SCHEDULE_FIELDS.has(name))) {
      meeting.exceptions.clear();
      meeting.cancelledKeys.clear();
    }
  }

  // ---- copies and occurrences ----

  private horizonDay(meeting: Meeting): number {
    const from = Math.max(this.now().getTime(), meeting.startMs);
    return Math.floor(from / MS_PER_DAY) + this.noEndHorizonDays;
  }

  /** Where each occurrence of the meeting falls, with the organizer's cancellations and changes. */
  private plan(meeting: Meeting): PlannedOccurrence[] {
    const { data } = meeting;
    if (!data.recurrence) {
      return [
        {
          key: '',
          startMs: meeting.startMs,
          endMs: meeting.endMs,
          type: 'singleInstance',
          cancelled: meeting.cancelled,
          patch: null,
        },
      ];
    }
    const days = expandRecurrence(data.recurrence, this.horizonDay(meeting));
    let place: (day: number) => { startMs: number; endMs: number };
    if (data.isAllDay === true) {
      const zone = meeting.startZone;
      const firstDay = Math.floor(utcToLocal(zone, meeting.startMs) / MS_PER_DAY);
      const spanDays = Math.max(
        1,
        Math.round(utcToLocal(zone, meeting.endMs) / MS_PER_DAY) - firstDay,
      );
      place = (day) => ({
        startMs: localToUtc(zone, day * MS_PER_DAY),
        endMs: localToUtc(zone, (day + spanDays) * MS_PER_DAY),
      });
    } else {
      // the wall-clock time in the series' zone stays fixed across DST changes
      const zone = meeting.seriesZone;
      const localStart = utcToLocal(zone, meeting.startMs);
      const timeOfDay = ((localStart % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
      const length = meeting.endMs - meeting.startMs;
      place = (day) => {
        const startMs = localToUtc(zone, day * MS_PER_DAY + timeOfDay);
        return { startMs, endMs: startMs + length };
      };
    }
    return days.map((day) => {
      const key = formatDateOnly(day);
      const exception = meeting.exceptions.get(key);
      let { startMs, endMs } = place(day);
      const patch = exception?.patch ?? null;
      if (patch?.start) {
        const length = endMs - startMs;
        startMs = instantOf(patch.start);
        endMs = patch.end ? instantOf(patch.end) : startMs + length;
      } else if (patch?.end) {
        endMs = instantOf(patch.end);
      }
      return {
        key,
        startMs,
        endMs,
        type: patch === null ? 'occurrence' : 'exception',
        cancelled:
          meeting.cancelled ||
          meeting.cancelledKeys.has(key) ||
          (patch as { isCancelled?: boolean } | null)?.isCancelled === true,
        patch,
      };
    });
  }

  /** Mailboxes that hold a copy: the organizer, internal attendees with a mailbox, the holder. */
  private holders(meeting: Meeting, attendees: Attendee[] | undefined): Map<string, Role> {
    const holders = new Map<string, Role>();
    if (meeting.organizerUserId !== null && this.mailboxes.has(meeting.organizerUserId)) {
      holders.set(meeting.organizerUserId, { isOrganizer: true, status: ORGANIZER_STATUS });
    }
    for (const attendee of attendees ?? []) {
      const user = this.userByAddress.get(attendee.emailAddress.address.toLowerCase());
      if (user === undefined || holders.has(user.id) || !this.mailboxes.has(user.id)) continue;
      holders.set(user.id, { isOrganizer: false, status: attendee.status });
    }
    if (!holders.has(meeting.holderUserId)) {
      holders.set(meeting.holderUserId, {
        isOrganizer: false,
        status: { response: 'none', time: NEVER_RESPONDED },
      });
    }
    return holders;
  }

  private copyFor(meeting: Meeting, userId: string, role: Role): Copy {
    const existing = meeting.copies.get(userId);
    if (existing !== undefined) return existing;
    const mailbox = this.mailboxes.get(userId)!;
    const calendarId =
      userId === meeting.holderUserId ? meeting.holderCalendarId : mailbox.primaryCalendarId;
    const copy: Copy = {
      meeting,
      mailbox,
      calendar: mailbox.indexes.get(calendarId)!,
      isOrganizer: role.isOrganizer,
      isResource: mailbox.isResource,
      response: role.isOrganizer ? ORGANIZER_STATUS : { ...role.status },
      occurrenceResponses: null,
      removedByOwner: false,
      deletedKeys: null,
      hasMaster: false,
    };
    meeting.copies.set(userId, copy);
    return copy;
  }

  /**
   * Brings every mailbox copy of a meeting in line with its definition: creates, updates and
   * removes instances and masters, recording a change for each. `touch` names the occurrences
   * whose content changed ('all' for the whole meeting).
   */
  private reconcile(meeting: Meeting, touch: 'all' | ReadonlySet<string>, changeMs: number): void {
    const previousKeys = this.loading ? [] : [...meeting.occurrences.keys()];
    const planned = this.plan(meeting);
    const plannedKeys = new Set(planned.map((p) => p.key));
    for (const key of previousKeys) if (!plannedKeys.has(key)) meeting.occurrences.delete(key);

    const changed = new Set<string>();
    for (const p of planned) {
      const occurrence = meeting.occurrences.get(p.key);
      if (occurrence === undefined) {
        meeting.occurrences.set(p.key, {
          meeting,
          key: p.key,
          startMs: p.startMs,
          endMs: p.endMs,
          type: p.type,
          cancelled: p.cancelled,
          patch: p.patch,
          lastModifiedMs: Math.max(changeMs, meeting.exceptions.get(p.key)?.lastModifiedMs ?? 0),
        });
        changed.add(p.key);
      } else if (
        touch === 'all' ||
        touch.has(p.key) ||
        occurrence.startMs !== p.startMs ||
        occurrence.endMs !== p.endMs ||
        occurrence.cancelled !== p.cancelled ||
        occurrence.type !== p.type ||
        occurrence.patch !== p.patch
      ) {
        Object.assign(occurrence, {
          startMs: p.startMs,
          endMs: p.endMs,
          type: p.type,
          cancelled: p.cancelled,
          patch: p.patch,
          lastModifiedMs: changeMs,
        });
        changed.add(p.key);
      }
    }

    const seriesHolders = this.holders(meeting, meeting.data.attendees);
    const wanted = new Set<string>();
    for (const occurrence of meeting.occurrences.values()) {
      const holders = occurrence.patch?.attendees
        ? this.holders(meeting, occurrence.patch.attendees)
        : seriesHolders;
      for (const [userId, role] of holders) {
        const copy = this.copyFor(meeting, userId, role);
        if (copy.removedByOwner || copy.deletedKeys?.has(occurrence.key)) continue;
        // the organizer's calendar drops what the organizer cancelled
        if (copy.isOrganizer && occurrence.cancelled) continue;
        const id = instanceIdOf(copy, occurrence.key);
        wanted.add(id);
        this.putEntry(copy, id, occurrence, changed.has(occurrence.key));
      }
    }

    if (!this.loading) {
      const keys = new Set([...previousKeys, ...plannedKeys]);
      for (const copy of meeting.copies.values()) {
        for (const key of keys) {
          const id = instanceIdOf(copy, key);
          if (wanted.has(id)) continue;
          const entry = this.entryById(copy.calendar, id);
          if (entry?.occurrence) {
            entry.occurrence = null;
            this.record(copy.calendar, entry.id, 'deleted', entry);
          }
        }
      }
    }

    const recurring = Boolean(meeting.data.recurrence);
    for (const copy of meeting.copies.values()) {
      const wantsMaster =
        recurring &&
        seriesHolders.has(copy.mailbox.user.id) &&
        !copy.removedByOwner &&
        !(copy.isOrganizer && meeting.cancelled);
      if (wantsMaster === copy.hasMaster) {
        if (wantsMaster && touch === 'all' && !this.loading) {
          this.record(copy.calendar, masterIdOf(copy), 'updated');
        }
        continue;
      }
      copy.hasMaster = wantsMaster;
      const id = masterIdOf(copy);
      if (wantsMaster) copy.mailbox.masters.set(id, copy);
      else copy.mailbox.masters.delete(id);
      if (!this.loading) this.record(copy.calendar, id, wantsMaster ? 'created' : 'deleted');
    }
  }

  private putEntry(copy: Copy, id: string, occurrence: Occurrence, changed: boolean): void {
    const entries = copy.calendar.entries;
    if (this.loading) {
      entries.push({ id, copy, occurrence, seq: 0 });
      return;
    }
    const at = lowerBound(entries, id);
    const existing = entries[at];
    if (existing === undefined || existing.id !== id) {
      const entry: Entry = { id, copy, occurrence, seq: 0 };
      entries.splice(at, 0, entry);
      this.record(copy.calendar, id, 'created', entry);
    } else if (existing.occurrence === null) {
      existing.occurrence = occurrence;
      this.record(copy.calendar, id, 'created', existing);
    } else {
      existing.occurrence = occurrence;
      if (changed) this.record(copy.calendar, id, 'updated', existing);
    }
  }

  private record(
    index: CalendarIndex,
    eventId: string,
    changeType: CalendarChange['changeType'],
    entry?: Entry,
  ): void {
    index.seq++;
    if (entry) entry.seq = index.seq;
    this.pendingChanges.push({
      userId: index.userId,
      calendarId: index.calendarId,
      eventId,
      changeType,
      seq: index.seq,
    });
  }

  /** Tells listeners, after the engine is consistent again, so they may read from it. */
  private flushChanges(): void {
    const changes = this.pendingChanges;
    this.pendingChanges = [];
    let failure: unknown;
    for (const change of changes) {
      for (const listener of this.listeners) {
        try {
          listener(change);
        } catch (error) {
          failure ??= error;
        }
      }
    }
    if (failure !== undefined) throw failure;
  }

  // ---- lookups ----

  private entryById(index: CalendarIndex, id: string): Entry | undefined {
    const entry = index.entries[lowerBound(index.entries, id)];
    return entry?.id === id ? entry : undefined;
  }

  private entryOf(copy: Copy, key: string): Entry | undefined {
    const entry = this.entryById(copy.calendar, instanceIdOf(copy, key));
    return entry?.occurrence ? entry : undefined;
  }

  private findTarget(mailbox: Mailbox, eventId: string): Target | undefined {
    const master = mailbox.masters.get(eventId);
    if (master !== undefined) return { kind: 'master', copy: master };
    for (const index of mailbox.indexes.values()) {
      const entry = this.entryById(index, eventId);
      if (entry?.occurrence) {
        return { kind: 'instance', entry, copy: entry.copy, occurrence: entry.occurrence };
      }
    }
    return undefined;
  }

  private requireTarget(mailbox: Mailbox, eventId: string): Target {
    const target = this.findTarget(mailbox, eventId);
    if (target === undefined) {
      throw new TenantEngineError(
        'EventNotFound',
        `No event "${eventId}" in the mailbox of ${mailbox.user.userPrincipalName}.`,
      );
    }
    return target;
  }

  /**
   * The changed item as the caller's mailbox now shows it. A single event turned into a series
   * (or back) answers with its new master (or instance); a copy that is gone, with another's.
   */
  private renderAfterChange(mailbox: Mailbox, target: Target, eventId: string): GraphEvent {
    const current = this.findTarget(mailbox, eventId);
    if (current !== undefined) {
      return current.kind === 'master' ? renderMaster(current.copy) : renderInstance(current.entry);
    }
    const meeting = target.copy.meeting;
    // a master and a single instance stand for the whole meeting; an occurrence for its date
    const occurrenceKey = target.kind === 'instance' ? target.occurrence.key : '';
    const wholeMeeting = occurrenceKey === '';
    const own = meeting.copies.get(mailbox.user.id);
    for (const copy of own === undefined
      ? meeting.copies.values()
      : [own, ...meeting.copies.values()]) {
      if (wholeMeeting && copy.hasMaster) return renderMaster(copy);
      const entry = this.entryOf(copy, occurrenceKey);
      if (entry !== undefined) return renderInstance(entry);
    }
    throw new TenantEngineError('EventNotFound', `Event "${eventId}" no longer exists.`);
  }

  private requireMailbox(userId: string): Mailbox {
    const user = this.userByKey.get(userId.toLowerCase());
    if (user === undefined) throw new TenantEngineError('UserNotFound', `No user "${userId}".`);
    const mailbox = this.mailboxes.get(user.id);
    if (mailbox === undefined) {
      throw new TenantEngineError(
        'MailboxNotEnabledForRESTAPI',
        `User ${user.userPrincipalName} has no mailbox.`,
      );
    }
    return mailbox;
  }

  private requireIndex(mailbox: Mailbox, calendarId: string | undefined): CalendarIndex {
    const index = mailbox.indexes.get(calendarId ?? mailbox.primaryCalendarId);
    if (index === undefined) {
      throw new TenantEngineError(
        'CalendarNotFound',
        `No calendar "${calendarId}" in the mailbox of ${mailbox.user.userPrincipalName}.`,
      );
    }
    return index;
  }

  private requireGroup(groupId: string): { group: GraphGroup; members: string[] } {
    const group = this.groups.get(groupId);
    if (group === undefined) throw new TenantEngineError('GroupNotFound', `No group "${groupId}".`);
    return group;
  }

  private directoryObject(id: string): GraphUser | GraphGroup {
    const group = this.groups.get(id);
    if (group !== undefined) return directoryCopy(group.group, '#microsoft.graph.group');
    return directoryCopy(this.userByKey.get(id.toLowerCase())!, '#microsoft.graph.user');
  }
}

/**
 * Loads a tenant file (validated first; a bad file throws TenantFileError naming each problem)
 * into an in-memory tenant.
 */
export function createTenantEngine(
  file: TenantFile,
  options: TenantEngineOptions = {},
): TenantEngine {
  return new Engine(validateTenantFile(file), options);
}
