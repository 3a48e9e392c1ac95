// One Graph event from one mailbox's calendarView/delta page → the store's MailboxCopyInput.
// Metadata only: the parsed event keeps no subject, body, preview, location or join link, so none
// of it can reach the store.
import { z } from 'zod';
import type {
  AttendeeInput,
  AttendeeRole,
  EventType,
  MailboxCopyInput,
  ResourceIdentityInput,
  ResponseStatus,
  Sensitivity,
  TenantSettings,
} from '../store/index.js';
import { RESPONSE_STATUSES, SENSITIVITIES } from '../store/schema.js';
import {
  emailHost,
  isPersonalMailDomain,
  isWithinDomains,
  normalizeEmailAddress,
  registrableDomain,
} from './mail-domains.js';
import { GraphTimeError, toEpochMs, toLocalDate, utcMidnightOf } from './normalize-times.js';
import type { ResourceDirectory } from './resource-directory.js';

export interface NormalizeEventContext {
  /** the mailbox whose calendar the event came from */
  mailbox: {
    /** its primary SMTP address */
    email: string;
    /** its other addresses (proxy addresses, UPN), so they are not taken for someone else */
    aliases?: readonly string[];
  };
  /** the tenant's verified domains plus its extra internal domains (internalDomainsOf) */
  internalDomains: readonly string[];
  resources: ResourceDirectory;
  settings: Pick<
    TenantSettings,
    'syncPrivateAppointments' | 'onlyOnlineMeetings' | 'excludedDomains' | 'excludedAddresses'
  >;
}

/** What is wrong with one field of one event; `message` says what and, where it helps, what to do. */
export interface EventProblem {
  /** path in the Graph event, e.g. "start.timeZone", "attendees[2].emailAddress.address" */
  field: string;
  message: string;
}

/**
 * Why an item is not stored. The caller adds the item's id to the page's removals, so a copy
 * stored before the event changed (made private, say) leaves the store too.
 */
export type SkipReason =
  /** an @removed entry: a deletion, not an event (see isRemovedItem) */
  | 'removed'
  /** calendarView never returns series masters; their occurrences carry the meetings */
  | 'seriesMaster'
  /** private or confidential while the tenant does not sync private appointments */
  | 'private'
  /** not an online meeting while the tenant syncs only online meetings */
  | 'notOnline'
  /** the mailbox owner's own address or domain is excluded */
  | 'excluded'
  /** the mailbox is a room, equipment, shared or group mailbox, not a person's */
  | 'resourceMailbox';

export type NormalizeEventResult =
  | {
      kind: 'copy';
      copy: MailboxCopyInput;
      /** what was dropped or guessed without rejecting the event (malformed addresses, …) */
      problems: EventProblem[];
      /** 'resource' attendees the directory did not know, for upsertResourceIdentities */
      discoveredResources: ResourceIdentityInput[];
    }
  | { kind: 'skip'; graphEventId: string | null; reason: SkipReason }
  | { kind: 'invalid'; graphEventId: string | null; problems: EventProblem[] };

/** The context itself is unusable (a caller bug, not bad Graph data); `field` names the culprit. */
export class NormalizeContextError extends Error {
  override readonly name = 'NormalizeContextError';
  readonly field: string;

  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** A calendarView/delta entry that reports a deletion. */
export interface GraphRemovedItem {
  id: string;
  '@removed': { reason?: string };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for `{ id, "@removed": { reason } }` entries: they remove a copy and are no event. */
export function isRemovedItem(item: unknown): item is GraphRemovedItem {
  return isRecord(item) && typeof item.id === 'string' && isRecord(item['@removed']);
}

const ROLE_RANK: Record<AttendeeRole, number> = { organizer: 3, required: 2, optional: 1 };
const ATTENDEE_TYPES: ReadonlySet<string> = new Set(['required', 'optional', 'resource']);

// Exchange's GlobalObjectId: 16-byte class id, 4-byte instance date (zero on the series), the rest
const GLOBAL_OBJECT_ID = /^040000008200E00074C5B7101A82E008[0-9A-F]{8}[0-9A-F]+$/i;
const NO_INSTANCE_DATE = '00000000';

/**
 * The series key of an occurrence or exception: its iCalUId with the instance date zeroed, which
 * is the series master's iCalUId in every mailbox. seriesMasterId cannot serve: it is an item id,
 * different in each mailbox. Null for single instances and for iCalUIds of another format.
 */
export function seriesKeyOf(type: EventType, iCalUId: string): string | null {
  if (type !== 'occurrence' && type !== 'exception') return null;
  if (!GLOBAL_OBJECT_ID.test(iCalUId)) return null;
  return `${iCalUId.slice(0, 32)}${NO_INSTANCE_DATE}${iCalUId.slice(40)}`;
}

const dateTimeTimeZoneSchema = z.object({ dateTime: z.string(), timeZone: z.string() });
const emailAddressSchema = z.object({
  address: z.string().nullish(),
  name: z.string().nullish(),
});

// z.object drops every key it does not list: subject, body, location and the rest never get through
const graphEventSchema = z.object({
  id: z.string().min(1),
  iCalUId: z.string().trim().min(1),
  type: z.enum(['singleInstance', 'occurrence', 'exception']).nullish(),
  seriesMasterId: z.string().nullish(),
  start: dateTimeTimeZoneSchema,
  end: dateTimeTimeZoneSchema,
  originalStartTimeZone: z.string().nullish(),
  isAllDay: z.boolean().nullish(),
  isCancelled: z.boolean().nullish(),
  isOrganizer: z.boolean().nullish(),
  changeKey: z.string().nullish(),
  lastModifiedDateTime: z.string().nullish(),
  responseStatus: z.object({ response: z.string().nullish() }).nullish(),
  organizer: z.object({ emailAddress: emailAddressSchema.nullish() }).nullish(),
  attendees: z.array(z.unknown()).nullish(),
  onlineMeetingProvider: z.string().nullish(),
});

/**
 * Every member of a Graph event that normalizeEvent reads (the schema's, and those read before
 * it); the mailbox source asks the parser for these only, so the rest (subject, body, location,
 * …) are never even made strings. A member read here but missing from this list would be lost.
 */
export const GRAPH_EVENT_MEMBERS_READ: readonly string[] = [
  ...Object.keys(graphEventSchema.shape),
  '@removed',
  'sensitivity',
  'isOnlineMeeting',
  'onlineMeeting',
  'onlineMeetingUrl',
];

const attendeeSchema = z.object({
  type: z.string().nullish(),
  status: z.object({ response: z.string().nullish() }).nullish(),
  emailAddress: emailAddressSchema.nullish(),
});

type GraphEventFields = z.infer<typeof graphEventSchema>;
type GraphAttendeeFields = z.infer<typeof attendeeSchema>;

const EVENT_TYPES: ReadonlySet<unknown> = new Set(['singleInstance', 'occurrence', 'exception']);

const isNullish = (value: unknown): value is null | undefined =>
  value === undefined || value === null;
const isOptionalString = (value: unknown): value is string | null | undefined =>
  isNullish(value) || typeof value === 'string';
const isOptionalBoolean = (value: unknown): value is boolean | null | undefined =>
  isNullish(value) || typeof value === 'boolean';

function isDateTimeTimeZone(value: unknown): value is { dateTime: string; timeZone: string } {
  return (
    isRecord(value) && typeof value.dateTime === 'string' && typeof value.timeZone === 'string'
  );
}

function isOptionalEmailAddress(
  value: unknown,
): value is { address?: string | null; name?: string | null } | null | undefined {
  return (
    isNullish(value) ||
    (isRecord(value) && isOptionalString(value.address) && isOptionalString(value.name))
  );
}

/**
 * graphEventSchema's result for an event every field of which is well formed (the common case),
 * without zod's copying; undefined otherwise, for zod to say what is wrong. Only the fields the
 * schema lists are taken, so the rest of the event stays behind as it does with zod.
 */
function wellFormedEvent(item: Record<string, unknown>): GraphEventFields | undefined {
  const { id, iCalUId, type, start, end, responseStatus, organizer, attendees } = item;
  if (typeof id !== 'string' || id.length === 0) return undefined;
  if (typeof iCalUId !== 'string') return undefined;
  const uid = iCalUId.trim();
  if (uid.length === 0) return undefined;
  if (!isNullish(type) && !EVENT_TYPES.has(type)) return undefined;
  if (!isDateTimeTimeZone(start) || !isDateTimeTimeZone(end)) return undefined;
  if (
    !isOptionalString(item.seriesMasterId) ||
    !isOptionalString(item.originalStartTimeZone) ||
    !isOptionalBoolean(item.isAllDay) ||
    !isOptionalBoolean(item.isCancelled) ||
    !isOptionalBoolean(item.isOrganizer) ||
    !isOptionalString(item.changeKey) ||
    !isOptionalString(item.lastModifiedDateTime) ||
    !isOptionalString(item.onlineMeetingProvider)
  ) {
    return undefined;
  }
  if (
    !isNullish(responseStatus) &&
    !(isRecord(responseStatus) && isOptionalString(responseStatus.response))
  ) {
    return undefined;
  }
  if (
    !isNullish(organizer) &&
    !(isRecord(organizer) && isOptionalEmailAddress(organizer.emailAddress))
  ) {
    return undefined;
  }
  if (!isNullish(attendees) && !Array.isArray(attendees)) return undefined;
  return {
    id,
    iCalUId: uid,
    type: type as GraphEventFields['type'],
    seriesMasterId: item.seriesMasterId as string | null | undefined,
    start: { dateTime: start.dateTime, timeZone: start.timeZone },
    end: { dateTime: end.dateTime, timeZone: end.timeZone },
    originalStartTimeZone: item.originalStartTimeZone as string | null | undefined,
    isAllDay: item.isAllDay as boolean | null | undefined,
    isCancelled: item.isCancelled as boolean | null | undefined,
    isOrganizer: item.isOrganizer as boolean | null | undefined,
    changeKey: item.changeKey as string | null | undefined,
    lastModifiedDateTime: item.lastModifiedDateTime as string | null | undefined,
    responseStatus: responseStatus as GraphEventFields['responseStatus'],
    organizer: organizer as GraphEventFields['organizer'],
    attendees: attendees as unknown[] | null | undefined,
    onlineMeetingProvider: item.onlineMeetingProvider as string | null | undefined,
  };
}

/** attendeeSchema's result for a well-formed attendee without zod; undefined otherwise. */
function wellFormedAttendee(raw: unknown): GraphAttendeeFields | undefined {
  if (!isRecord(raw)) return undefined;
  const { type, status, emailAddress } = raw;
  if (!isOptionalString(type) || !isOptionalEmailAddress(emailAddress)) return undefined;
  if (!isNullish(status) && !(isRecord(status) && isOptionalString(status.response))) {
    return undefined;
  }
  return {
    type,
    status: status as GraphAttendeeFields['status'],
    emailAddress,
  };
}

const FIELD_HINTS: Record<string, string> = {
  iCalUId:
    'calendarView/delta can send occurrences without it: hydrate them from the series master (GET /users/{id}/events/{seriesMasterId}) first',
  type: 'expected singleInstance, occurrence or exception',
};

function zodProblems(error: z.ZodError): EventProblem[] {
  return error.issues.map((issue) => {
    const field = issue.path.map(String).join('.') || 'event';
    const hint = FIELD_HINTS[field];
    return { field, message: `${field}: ${issue.message}${hint ? `; ${hint}` : ''}` };
  });
}

/** Reads sensitivity before anything else, so the privacy rule holds even for broken events. */
function readSensitivity(value: unknown): { sensitivity: Sensitivity; problem?: EventProblem } {
  if (value === undefined || value === null) return { sensitivity: 'normal' };
  if (typeof value === 'string' && (SENSITIVITIES as readonly string[]).includes(value)) {
    return { sensitivity: value as Sensitivity };
  }
  // an unknown level is treated as the most private one we store
  return {
    sensitivity: 'private',
    problem: {
      field: 'sensitivity',
      message: `sensitivity ${JSON.stringify(value)} is unknown; treated as private`,
    },
  };
}

/** `field` names the member in a problem; a number is an attendee's index, named only then. */
function readResponse(
  value: string | null | undefined,
  field: string | number,
  problems: EventProblem[],
): ResponseStatus | null {
  if (value === undefined || value === null) return null;
  if ((RESPONSE_STATUSES as readonly string[]).includes(value)) return value as ResponseStatus;
  const name = typeof field === 'number' ? `${attendeeField(field)}.status.response` : field;
  problems.push({
    field: name,
    message: `${name} ${JSON.stringify(value)} is unknown; kept as none`,
  });
  return null;
}

/** An attendee's place in a problem's field name, made only when there is a problem. */
function attendeeField(index: number): string {
  return `attendees[${index}]`;
}

function isOnlineMeeting(item: Record<string, unknown>): boolean {
  const onlineMeeting = item.onlineMeeting;
  return (
    item.isOnlineMeeting === true ||
    (isRecord(onlineMeeting) &&
      typeof onlineMeeting.joinUrl === 'string' &&
      onlineMeeting.joinUrl !== '') ||
    (typeof item.onlineMeetingUrl === 'string' && item.onlineMeetingUrl !== '')
  );
}

function onlineProviderOf(provider: string | null | undefined): string | null {
  // an enum on the wire (teamsForBusiness, …); anything else is not stored
  return provider && /^[A-Za-z]{1,40}$/.test(provider) && provider !== 'unknown' ? provider : null;
}

interface Times {
  startAt: number;
  endAt: number;
  startDate: string | null;
  endDate: string | null;
}

/** All-day events keep their dates and get those dates' UTC midnights as instants. */
function readTimes(event: GraphEventFields, problems: EventProblem[]): Times | undefined {
  const read = <T>(side: 'start' | 'end', convert: (value: typeof event.start) => T) => {
    try {
      return convert(event[side]);
    } catch (error) {
      if (!(error instanceof GraphTimeError)) throw error;
      problems.push({ field: `${side}.${error.field}`, message: `${side}.${error.message}` });
      return undefined;
    }
  };
  if (event.isAllDay === true) {
    const startDate = read('start', toLocalDate);
    const endDate = read('end', toLocalDate);
    if (startDate === undefined || endDate === undefined) return undefined;
    if (endDate < startDate) {
      problems.push({ field: 'end', message: `end ${endDate} is before start ${startDate}` });
      return undefined;
    }
    return {
      startAt: utcMidnightOf(startDate),
      endAt: utcMidnightOf(endDate),
      startDate,
      endDate,
    };
  }
  const startAt = read('start', toEpochMs);
  const endAt = read('end', toEpochMs);
  if (startAt === undefined || endAt === undefined) return undefined;
  if (endAt < startAt) {
    problems.push({
      field: 'end',
      message: `end ${event.end.dateTime} (${event.end.timeZone}) is before start ${event.start.dateTime} (${event.start.timeZone})`,
    });
    return undefined;
  }
  return { startAt, endAt, startDate: null, endDate: null };
}

function readLastModified(value: string | null | undefined, problems: EventProblem[]) {
  if (value === undefined || value === null) return null;
  try {
    return toEpochMs({ dateTime: value, timeZone: 'UTC' });
  } catch {
    problems.push({
      field: 'lastModifiedDateTime',
      message: `lastModifiedDateTime ${JSON.stringify(value)} is not an ISO instant; left empty`,
    });
    return null;
  }
}

interface ContextAddresses {
  /** what they were worked out from */
  email: string;
  aliasList: readonly string[] | undefined;
  owner: string;
  /** every address of the owner the context names */
  aliases: ReadonlySet<string>;
}

// a context's addresses, worked out once for all the events normalised against it
const contextAddressCache = new WeakMap<NormalizeEventContext['mailbox'], ContextAddresses>();

function contextAddresses(context: NormalizeEventContext): ContextAddresses {
  const cached = contextAddressCache.get(context.mailbox);
  if (
    cached !== undefined &&
    cached.email === context.mailbox.email &&
    cached.aliasList === context.mailbox.aliases
  ) {
    return cached;
  }
  const owner = normalizeEmailAddress(context.mailbox.email);
  if (owner === undefined) {
    throw new NormalizeContextError(
      'mailbox.email',
      `The mailbox address ${JSON.stringify(context.mailbox.email)} is not an email address: pass the mailbox's primary SMTP address`,
    );
  }
  const aliases = new Set([owner]);
  for (const alias of context.mailbox.aliases ?? []) {
    const email = normalizeEmailAddress(alias);
    if (email !== undefined) aliases.add(email);
  }
  const addresses = {
    email: context.mailbox.email,
    aliasList: context.mailbox.aliases,
    owner,
    aliases,
  };
  contextAddressCache.set(context.mailbox, addresses);
  return addresses;
}

interface Exclusions {
  addresses: ReadonlySet<string>;
  domains: readonly string[];
}

// the tenant's exclusions as sets, once per settings object
const exclusionCache = new WeakMap<NormalizeEventContext['settings'], Exclusions>();

function exclusionsOf(settings: NormalizeEventContext['settings']): Exclusions {
  let exclusions = exclusionCache.get(settings);
  if (exclusions === undefined) {
    exclusions = {
      addresses: new Set(settings.excludedAddresses.map((email) => email.trim().toLowerCase())),
      domains: settings.excludedDomains.map((domain) => domain.trim().toLowerCase()),
    };
    exclusionCache.set(settings, exclusions);
  }
  return exclusions;
}

interface AddressFacts {
  host: string;
  domain: string;
  isPersonalDomain: boolean;
}

// what an address says of itself, the same on every page it appears on
const addressFactsCache = new Map<string, AddressFacts>();
const ADDRESS_FACTS_KEPT = 50_000;

function addressFacts(email: string): AddressFacts {
  let facts = addressFactsCache.get(email);
  if (facts === undefined) {
    const host = emailHost(email);
    facts = { host, domain: registrableDomain(host), isPersonalDomain: isPersonalMailDomain(host) };
    // a plain map emptied when full: cheaper per look-up than an LRU, and refilled within a page
    if (addressFactsCache.size >= ADDRESS_FACTS_KEPT) addressFactsCache.clear();
    addressFactsCache.set(email, facts);
  }
  return facts;
}

/** Builds the participant list: people only, one entry per address, the strongest role kept. */
class ParticipantList {
  readonly people = new Map<string, AttendeeInput>();
  // the two below are made when first needed: most meetings have neither, and a round makes
  // hundreds of thousands of lists
  discoveredResources: Map<string, ResourceIdentityInput> | undefined;
  /** people left out by the tenant's exclusions or an unreadable address; they still make up the meeting */
  uncountedPeople: Set<string> | undefined;
  readonly problems: EventProblem[] = [];
  readonly #context: NormalizeEventContext;
  readonly #owner: string;
  /** every address of the owner the context names */
  readonly #ownerAliases: ReadonlySet<string>;
  /** another address Graph shows the owner under in this event (as its organizer) */
  #eventAlias: string | undefined;
  readonly #exclusions: Exclusions;

  constructor(context: NormalizeEventContext, owner: string, ownerAliases: ReadonlySet<string>) {
    this.#context = context;
    this.#owner = owner;
    this.#ownerAliases = ownerAliases;
    this.#exclusions = exclusionsOf(context.settings);
  }

  #leaveUncounted(email: string): void {
    this.uncountedPeople ??= new Set();
    this.uncountedPeople.add(email);
  }

  /** Graph shows the owner under `email` too (it says the owner organised the event). */
  addOwnerAlias(email: string): void {
    if (!this.#ownerAliases.has(email)) this.#eventAlias = email;
  }

  isExcluded(email: string): boolean {
    const { addresses, domains } = this.#exclusions;
    return (
      addresses.has(email) || (domains.length > 0 && isWithinDomains(emailHost(email), domains))
    );
  }

  /** `field` names the address in a problem; a number is an attendee's index (readResponse). */
  add(
    field: string | number,
    address: { address?: string | null; name?: string | null } | null | undefined,
    role: AttendeeRole,
    response: ResponseStatus | null,
    isResourceType = false,
  ): void {
    const raw = address?.address ?? '';
    const normalized = normalizeEmailAddress(raw);
    if (normalized === undefined) {
      if (raw.trim() !== '') this.#leaveUncounted(raw.trim().toLowerCase());
      const name = typeof field === 'number' ? attendeeField(field) : field;
      this.problems.push({
        field: `${name}.emailAddress.address`,
        message: `${name} has no usable email address (${JSON.stringify(raw)}); left out`,
      });
      return;
    }
    const email =
      this.#ownerAliases.has(normalized) || normalized === this.#eventAlias
        ? this.#owner
        : normalized;
    if (this.#context.resources.kindOf(email) !== undefined) return;
    if (isResourceType) {
      // Graph does not say room or equipment; rooms are the common case and /places corrects it
      this.discoveredResources ??= new Map();
      this.discoveredResources.set(email, { email, kind: 'room', source: 'attendee' });
      return;
    }
    if (this.isExcluded(email)) {
      this.#leaveUncounted(email);
      return;
    }
    const seen = this.people.get(email);
    if (seen !== undefined) {
      if (ROLE_RANK[role] > ROLE_RANK[seen.role]) seen.role = role;
      if (seen.role === 'organizer') seen.response = 'organizer';
      else if (seen.response === null || seen.response === 'none') {
        seen.response = response ?? seen.response;
      }
      return;
    }
    const { host, domain, isPersonalDomain } = addressFacts(email);
    const name = address?.name?.trim();
    this.people.set(email, {
      email,
      kind: isWithinDomains(host, this.#context.internalDomains) ? 'internal' : 'external',
      role,
      response,
      displayName: name && name.toLowerCase() !== email ? name : null,
      domain,
      isPersonalDomain,
    });
  }

  /** The owner attends their own copy, with their own response, even when Graph hid the list. */
  includeOwner(isOrganizer: boolean, ownResponse: ResponseStatus | null): void {
    if (!this.people.has(this.#owner)) {
      this.add('mailbox', { address: this.#owner }, isOrganizer ? 'organizer' : 'required', null);
    }
    const owner = this.people.get(this.#owner);
    if (owner === undefined) return;
    if (owner.role === 'organizer') owner.response = 'organizer';
    else if (ownResponse !== null) owner.response = ownResponse;
  }
}

function skip(graphEventId: string | null, reason: SkipReason): NormalizeEventResult {
  return { kind: 'skip', graphEventId, reason };
}

/**
 * Normalises one item of a calendarView/delta page of `context.mailbox`. Never throws for bad
 * Graph data: a broken event comes back as `invalid` with its problems, for the caller to log
 * and leave out of the page. Throws NormalizeContextError only when the context is unusable.
 *
 * Rules: skips are decided before validation (see SkipReason), so a private event is never
 * stored however broken it is. Cancelled events are kept with isCancelled. Excluded addresses and
 * domains leave the attendee list but still count in participantCount, so a big meeting does not
 * pass for a small one. Rooms, equipment, groups, shared mailboxes and 'resource' attendees are
 * never people. The owner always attends their own copy with their own response ('required'
 * when Graph hid the list). All-day events keep their dates; their instants are the dates' UTC
 * midnights, the same in every mailbox whatever its zone.
 */
export function normalizeEvent(
  item: unknown,
  context: NormalizeEventContext,
): NormalizeEventResult {
  const { owner, aliases } = contextAddresses(context);
  if (!isRecord(item)) {
    return {
      kind: 'invalid',
      graphEventId: null,
      problems: [{ field: 'event', message: 'event: expected a Graph event object' }],
    };
  }
  const graphEventId = typeof item.id === 'string' && item.id !== '' ? item.id : null;
  if (isRemovedItem(item)) return skip(graphEventId, 'removed');
  if (item.type === 'seriesMaster') return skip(graphEventId, 'seriesMaster');

  // the tenant's rules first: an event they keep out is never stored, however broken it is
  const { sensitivity, problem: sensitivityProblem } = readSensitivity(item.sensitivity);
  const isPrivate = sensitivity === 'private' || sensitivity === 'confidential';
  if (isPrivate && !context.settings.syncPrivateAppointments) return skip(graphEventId, 'private');
  const participants = new ParticipantList(context, owner, aliases);
  for (const address of aliases) {
    if (participants.isExcluded(address)) return skip(graphEventId, 'excluded');
  }
  for (const address of aliases) {
    if (context.resources.kindOf(address) !== undefined) {
      return skip(graphEventId, 'resourceMailbox');
    }
  }
  const isOnline = isOnlineMeeting(item);
  if (context.settings.onlyOnlineMeetings && !isOnline) return skip(graphEventId, 'notOnline');

  let event = wellFormedEvent(item);
  if (event === undefined) {
    const parsed = graphEventSchema.safeParse(item);
    if (!parsed.success) {
      return { kind: 'invalid', graphEventId, problems: zodProblems(parsed.error) };
    }
    event = parsed.data;
  }
  const problems: EventProblem[] = sensitivityProblem ? [sensitivityProblem] : [];
  const times = readTimes(event, problems);
  if (times === undefined) return { kind: 'invalid', graphEventId, problems };

  const organizer = event.organizer?.emailAddress;
  const organizerAddress = normalizeEmailAddress(organizer?.address ?? '');
  const isOrganizer =
    event.isOrganizer ?? (organizerAddress !== undefined && aliases.has(organizerAddress));
  const ownResponse = readResponse(
    event.responseStatus?.response,
    'responseStatus.response',
    problems,
  );
  if (isOrganizer) {
    // Graph says the owner organised it, so whatever address it shows is one of the owner's
    if (organizerAddress !== undefined) participants.addOwnerAlias(organizerAddress);
    participants.add(
      'organizer',
      { address: owner, name: organizer?.name },
      'organizer',
      'organizer',
    );
  } else if (organizer) {
    participants.add('organizer', organizer, 'organizer', 'organizer');
  }
  (event.attendees ?? []).forEach((raw, index) => {
    let attendee = wellFormedAttendee(raw);
    if (attendee === undefined) {
      const parsed = attendeeSchema.safeParse(raw);
      if (!parsed.success) {
        const field = attendeeField(index);
        problems.push({ field, message: `${field} is not a Graph attendee; left out` });
        return;
      }
      attendee = parsed.data;
    }
    const { type, status, emailAddress } = attendee;
    const response = readResponse(status?.response, index, problems);
    if (type !== undefined && type !== null && !ATTENDEE_TYPES.has(type)) {
      const field = attendeeField(index);
      problems.push({
        field: `${field}.type`,
        message: `${field}.type ${JSON.stringify(type)} is unknown; taken as required`,
      });
    }
    const role: AttendeeRole = type === 'optional' ? 'optional' : 'required';
    participants.add(index, emailAddress, role, response, type === 'resource');
  });
  participants.includeOwner(isOrganizer, ownResponse);
  problems.push(...participants.problems);

  const type: EventType = event.type ?? (event.seriesMasterId ? 'occurrence' : 'singleInstance');
  const seriesKey = seriesKeyOf(type, event.iCalUId);
  if (seriesKey !== null && seriesKey.toUpperCase() === event.iCalUId.toUpperCase()) {
    problems.push({
      field: 'iCalUId',
      message: `iCalUId of this ${type} carries no instance date, so other occurrences of the series may share it`,
    });
  }
  const attendees = [...participants.people.values()];
  return {
    kind: 'copy',
    problems,
    discoveredResources: [...(participants.discoveredResources?.values() ?? [])],
    copy: {
      graphEventId: event.id,
      response: ownResponse ?? (isOrganizer ? 'organizer' : null),
      isOrganizer,
      changeKey: event.changeKey ?? null,
      lastModifiedAt: readLastModified(event.lastModifiedDateTime, problems),
      event: {
        icalUid: event.iCalUId,
        seriesKey,
        type,
        ...times,
        isAllDay: event.isAllDay === true,
        originalTimeZone: event.originalStartTimeZone?.trim() || null,
        isCancelled: event.isCancelled === true,
        sensitivity,
        isPrivate,
        isOnline,
        onlineProvider: isOnline ? onlineProviderOf(event.onlineMeetingProvider) : null,
        attendees,
        participantCount: attendees.length + (participants.uncountedPeople?.size ?? 0),
      },
    },
  };
}
