// Graph resources as Graph returns them: the engine's records completed with the properties
// Graph always sends (defaults), ids in the requested encoding, times in the requested zone.
import type {
  GraphCalendar,
  GraphEvent,
  GraphGroup,
  GraphOrganization,
  GraphRoom,
  GraphUser,
  MailboxSettings,
} from '../graph-types.js';
import { textOfHtml, toTimeZone } from '../engine/index.js';
import { presentId, type IdType } from './ids.js';
import { project } from './odata.js';

export interface EventView {
  idType: IdType;
  /** Zone to express start/end in (already validated), or undefined for UTC. */
  timeZone?: string;
  select?: readonly string[];
  /** Delta pages carry "@odata.type" on every item. */
  delta?: boolean;
  /** Prefer: outlook.body-content-type="text": HTML bodies are sent as plain text. */
  textBody?: boolean;
}

const NEVER = '0001-01-01T00:00:00Z';

// Properties a v1.0 event always carries (user-list-calendarview__response.json,
// event-delta__example-response-nextLink.json, delta-query-events__*.json).
const EVENT_DEFAULTS: Readonly<Record<string, unknown>> = {
  categories: [],
  transactionId: null,
  originalStartTimeZone: 'UTC',
  originalEndTimeZone: 'UTC',
  reminderMinutesBeforeStart: 15,
  isReminderOn: true,
  hasAttachments: false,
  subject: '',
  bodyPreview: '',
  importance: 'normal',
  sensitivity: 'normal',
  isAllDay: false,
  isCancelled: false,
  isOrganizer: false,
  responseRequested: true,
  seriesMasterId: null,
  showAs: 'busy',
  type: 'singleInstance',
  onlineMeetingUrl: null,
  isOnlineMeeting: false,
  onlineMeetingProvider: 'unknown',
  allowNewTimeProposals: true,
  isDraft: false,
  hideAttendees: false,
  recurrence: null,
  onlineMeeting: null,
  responseStatus: { response: 'none', time: NEVER },
  body: { contentType: 'html', content: '' },
  location: {
    displayName: '',
    locationType: 'default',
    uniqueIdType: 'unknown',
    address: {},
    coordinates: {},
  },
  locations: [],
  attendees: [],
};

const DEFAULT_KEYS = Object.keys(EVENT_DEFAULTS);

export function presentEvent(event: GraphEvent, view: EventView): Record<string, unknown> {
  // built key by key into a fresh object: spreads and deletes here cost more than the engine's render
  const source = event as unknown as Record<string, unknown>;
  const id = presentId(event.id, view.idType);
  const changeKey = event.changeKey ?? changeKeyOf(event);
  const out: Record<string, unknown> = {};
  if (view.delta) out['@odata.type'] = '#microsoft.graph.event';
  out['@odata.etag'] = event['@odata.etag'] ?? `W/"${changeKey}"`;
  for (const key of DEFAULT_KEYS) if (source[key] === undefined) out[key] = EVENT_DEFAULTS[key];
  for (const key in source) {
    // tenant-file conveniences, not Graph properties
    if (key === 'cancelledOccurrences' || key === 'exceptionOccurrences') continue;
    out[key] = source[key];
  }
  out.id = id;
  out.changeKey = changeKey;
  if (event.webLink === undefined) {
    out.webLink = `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`;
  } else if (view.idType === 'immutable') {
    out.webLink = event.webLink.replace(encodeURIComponent(event.id), encodeURIComponent(id));
  }
  if (view.textBody && event.body?.contentType === 'html') {
    out.body = { contentType: 'text', content: textOfHtml(event.body.content) };
  }
  if (event.seriesMasterId) out.seriesMasterId = presentId(event.seriesMasterId, view.idType);
  if (view.timeZone) {
    const converted = toTimeZone(event, view.timeZone);
    out.start = converted.start;
    out.end = converted.end;
  }
  if (view.select) return project(out, view.select, ['@odata.type', '@odata.etag', 'id']);
  return out;
}

function changeKeyOf(event: GraphEvent): string {
  const stamp = event.lastModifiedDateTime ?? event.createdDateTime ?? event.start.dateTime;
  return Buffer.from(`${event.id}|${stamp}`).toString('base64').slice(-28);
}

/** A removed item in a delta page, exactly as delta-query-events__4-next-round-removed-deltaLink.json. */
export function removedItem(id: string, idType: IdType): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.event',
    id: presentId(id, idType),
    '@removed': { reason: 'deleted' },
  };
}

// What GET /users returns without $select (Graph's default user properties).
export const USER_DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

export function presentUser(user: GraphUser, select?: readonly string[]): Record<string, unknown> {
  const full: Record<string, unknown> = {
    businessPhones: [],
    givenName: null,
    surname: null,
    jobTitle: null,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    department: null,
    companyName: null,
    accountEnabled: true,
    usageLocation: null,
    userType: 'Member',
    ...user,
  };
  return project(full, select ?? USER_DEFAULT_PROPERTIES);
}

export function presentGroup(
  group: GraphGroup,
  select?: readonly string[],
): Record<string, unknown> {
  const { members: _members, ...rest } = group as GraphGroup & { members?: unknown };
  const full: Record<string, unknown> = {
    deletedDateTime: null,
    classification: null,
    description: null,
    mailNickname: group.mail ? (group.mail.split('@')[0] ?? '') : '',
    proxyAddresses: group.mail ? [`SMTP:${group.mail}`] : [],
    visibility: null,
    ...rest,
  };
  return select ? project(full, select) : full;
}

/** A member in /members and /transitiveMembers lists: the object with its "@odata.type". */
export function presentDirectoryObject(
  object: GraphUser | GraphGroup,
  isUser: boolean,
  select?: readonly string[],
): Record<string, unknown> {
  const body = isUser
    ? presentUser(object as GraphUser, select)
    : presentGroup(object as GraphGroup, select);
  return { '@odata.type': isUser ? '#microsoft.graph.user' : '#microsoft.graph.group', ...body };
}

export function presentOrganization(org: GraphOrganization): Record<string, unknown> {
  return {
    deletedDateTime: null,
    businessPhones: [],
    city: null,
    country: null,
    countryLetterCode: null,
    postalCode: null,
    preferredLanguage: 'en',
    state: null,
    street: null,
    tenantType: 'AAD',
    technicalNotificationMails: [],
    ...org,
  };
}

export function presentCalendar(calendar: GraphCalendar): Record<string, unknown> {
  return {
    color: 'auto',
    hexColor: '',
    isDefaultCalendar: false,
    changeKey: Buffer.from(calendar.id).toString('base64').slice(-24),
    canShare: true,
    canViewPrivateItems: true,
    canEdit: true,
    allowedOnlineMeetingProviders: ['teamsForBusiness'],
    defaultOnlineMeetingProvider: 'teamsForBusiness',
    isTallyingResponses: true,
    isRemovable: !calendar.isDefaultCalendar,
    ...calendar,
  };
}

// Properties of user-get-mailboxsettings__ex1-all-settings.json that a tenant file may omit.
export function presentMailboxSettings(
  settings: MailboxSettings | undefined,
): Record<string, unknown> {
  const timeZone = settings?.timeZone ?? 'UTC';
  return {
    automaticRepliesSetting: {
      status: 'disabled',
      externalAudience: 'all',
      scheduledStartDateTime: { dateTime: '2020-01-01T00:00:00.0000000', timeZone: 'UTC' },
      scheduledEndDateTime: { dateTime: '2020-01-02T00:00:00.0000000', timeZone: 'UTC' },
      internalReplyMessage: '',
      externalReplyMessage: '',
    },
    archiveFolder: null,
    timeZone,
    language: { locale: 'en-US', displayName: 'English (United States)' },
    workingHours: {
      daysOfWeek: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'],
      startTime: '08:00:00.0000000',
      endTime: '17:00:00.0000000',
      timeZone: { name: timeZone },
    },
    dateFormat: 'M/d/yyyy',
    timeFormat: 'h:mm tt',
    delegateMeetingMessageDeliveryOptions: 'sendToDelegateOnly',
    userPurpose: { value: 'user' },
    ...settings,
  };
}

export function presentRoom(room: GraphRoom): Record<string, unknown> {
  const { isWheelchairAccessible, ...rest } = room;
  return {
    address: {
      street: '',
      city: '',
      state: '',
      postalCode: '',
      countryOrRegion: '',
    },
    geoCoordinates: null,
    phone: null,
    nickname: room.displayName,
    label: null,
    capacity: null,
    building: null,
    floorNumber: null,
    isManaged: true,
    // Graph spells it with a capital C (place-list__ex1-rooms.json)
    isWheelChairAccessible: isWheelchairAccessible ?? false,
    bookingType: 'standard',
    tags: [],
    audioDeviceName: null,
    videoDeviceName: null,
    displayDevice: null,
    ...rest,
  };
}
