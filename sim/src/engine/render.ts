// Builds Graph event JSON for one mailbox copy, lazily, one page at a time. Field order and
// defaults follow what Graph v1.0 returns from calendarView and GET /events/{id}.
import type { Attendee, GraphEvent, PatternedRecurrence, Recipient } from '../graph-types.js';
import { changeKeyFor, hexHash, masterIdOf, occurrenceICalUId } from './ids.js';
import type { Copy, Entry, EventFields, Occurrence, OccurrencePatch } from './model.js';
import {
  findZone,
  formatDateOnly,
  formatInstant,
  formatWallClock,
  MS_PER_DAY,
  utcToLocal,
  type Zone,
} from './time.js';

export const NEVER_RESPONDED = '0001-01-01T00:00:00Z';
const EMPTY_BODY = { contentType: 'html' as const, content: '' };

function field<K extends keyof EventFields>(
  data: EventFields,
  patch: OccurrencePatch | null,
  key: K,
): EventFields[K] {
  const patched = patch?.[key];
  return patched !== undefined ? (patched as EventFields[K]) : data[key];
}

const previews = new WeakMap<object, string>();

/** Body text without markup, as Graph's bodyPreview; remembered per body object. */
function previewOfBody(body: { content: string }): string {
  let preview = previews.get(body);
  if (preview === undefined) {
    preview = previewOf(body.content);
    previews.set(body, preview);
  }
  return preview;
}

/** Body text without markup, as Graph's bodyPreview (first 255 characters). */
export function previewOf(content: string): string {
  return content
    .replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 255);
}

const HTML_ENTITIES: Record<string, string> = {
  '&nbsp;': ' ',
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/** Bodies already turned into text, by their HTML; a tenant reuses few bodies. */
const textBodies = new Map<string, string>();
const TEXT_BODIES_KEPT = 2_000;

/**
 * An HTML body as Graph returns it under Prefer: outlook.body-content-type="text": markup gone,
 * blocks and line breaks as CRLF line ends, entities decoded, runs of blank lines kept to one.
 */
export function textOfHtml(html: string): string {
  let text = textBodies.get(html);
  if (text !== undefined) return text;
  text = html
    .replace(/<(style|script|head)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h[1-6]|table|ul|ol)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(nbsp|amp|lt|gt|quot|#39);/g, (entity) => HTML_ENTITIES[entity] ?? entity)
    .split('\n')
    .map((line) => line.replace(/[ \t\r]+/g, ' ').trim())
    .join('\r\n')
    .replace(/(\r\n){3,}/g, '\r\n\r\n')
    .trim();
  if (textBodies.size >= TEXT_BODIES_KEPT) textBodies.clear();
  textBodies.set(html, text);
  return text;
}

function attendeesOf(list: Attendee[] | undefined): Attendee[] {
  return (list ?? []).map((attendee) => ({
    type: attendee.type,
    status: { response: attendee.status.response, time: attendee.status.time },
    emailAddress: {
      name: attendee.emailAddress.name ?? '',
      address: attendee.emailAddress.address,
    },
  }));
}

function recipientOf(recipient: Recipient | undefined): Recipient | undefined {
  if (recipient === undefined) return undefined;
  return {
    emailAddress: {
      name: recipient.emailAddress.name ?? '',
      address: recipient.emailAddress.address,
    },
  };
}

function normalizedRecurrence(data: EventFields): PatternedRecurrence | null {
  const recurrence = data.recurrence;
  if (recurrence === undefined || recurrence === null) return null;
  const { pattern, range } = recurrence;
  return {
    pattern: {
      type: pattern.type,
      interval: pattern.interval,
      month: pattern.month ?? 0,
      dayOfMonth: pattern.dayOfMonth ?? 0,
      daysOfWeek: [...(pattern.daysOfWeek ?? [])],
      firstDayOfWeek: pattern.firstDayOfWeek ?? 'sunday',
      index: pattern.index ?? 'first',
    },
    range: {
      type: range.type,
      startDate: range.startDate,
      endDate: range.type === 'endDate' ? (range.endDate ?? '0001-01-01') : '0001-01-01',
      recurrenceTimeZone: range.recurrenceTimeZone ?? data.start.timeZone,
      numberOfOccurrences: range.type === 'numbered' ? (range.numberOfOccurrences ?? 0) : 0,
    },
  };
}

function utcDateTime(
  instantMs: number,
  isAllDay: boolean,
  zone: Zone,
): { dateTime: string; timeZone: string } {
  if (!isAllDay) return { dateTime: formatWallClock(instantMs), timeZone: 'UTC' };
  // all-day events keep their dates: midnight, whatever zone is asked for
  const localDay = Math.floor(utcToLocal(zone, instantMs) / MS_PER_DAY);
  return { dateTime: `${formatDateOnly(localDay)}T00:00:00.0000000`, timeZone: 'UTC' };
}

interface Shape {
  id: string;
  copy: Copy;
  occurrence: Occurrence | null;
  seq: number;
  seriesMasterId: string | null;
}

function build({ id, copy, occurrence, seq, seriesMasterId }: Shape): GraphEvent {
  const meeting = copy.meeting;
  const data = meeting.data;
  const patch = occurrence?.patch ?? null;
  const isAllDay = field(data, patch, 'isAllDay') === true;
  const startMs = occurrence?.startMs ?? meeting.startMs;
  const endMs = occurrence?.endMs ?? meeting.endMs;
  const cancelled = occurrence === null ? meeting.cancelled : occurrence.cancelled;
  const lastModifiedMs = occurrence?.lastModifiedMs ?? meeting.lastModifiedMs;
  const changeKey = changeKeyFor(id, String(seq), String(lastModifiedMs));
  const organizer = recipientOf(data.organizer);

  let subject = field(data, patch, 'subject') ?? '';
  let body = field(data, patch, 'body') ?? EMPTY_BODY;
  let bodyPreview = field(data, patch, 'bodyPreview') ?? previewOfBody(body);
  if (copy.isResource) {
    // Exchange room defaults: AddOrganizerToSubject, DeleteSubject, DeleteComments
    subject = organizer?.emailAddress.name ?? '';
    body = { contentType: 'html', content: '' };
    bodyPreview = '';
  }
  if (cancelled && !copy.isOrganizer) subject = `Canceled: ${subject}`;

  const isOnlineMeeting = field(data, patch, 'isOnlineMeeting') === true;
  const location = field(data, patch, 'location');
  const locations = field(data, patch, 'locations');
  const startTimeZone = field(data, patch, 'start').timeZone;
  const endTimeZone = field(data, patch, 'end').timeZone;
  const zone = findZone(startTimeZone) ?? meeting.startZone;
  const responseStatus =
    (occurrence === null ? undefined : copy.occurrenceResponses?.get(occurrence.key)) ??
    copy.response;
  const type = occurrence === null ? 'seriesMaster' : occurrence.type;

  const event: EventFields & Record<string, unknown> = {
    '@odata.etag': `W/"${changeKey}"`,
    id,
    createdDateTime: formatInstant(meeting.createdMs),
    lastModifiedDateTime: formatInstant(lastModifiedMs),
    changeKey,
    categories: [...(field(data, patch, 'categories') ?? [])],
    transactionId: null,
    originalStartTimeZone: data.originalStartTimeZone ?? data.start.timeZone,
    originalEndTimeZone: data.originalEndTimeZone ?? data.end.timeZone,
    iCalUId:
      occurrence === null || occurrence.key === ''
        ? meeting.iCalUId
        : occurrenceICalUId(meeting.iCalUId, occurrence.key),
    reminderMinutesBeforeStart: isAllDay ? 1080 : 15,
    isReminderOn: !cancelled,
    hasAttachments: false,
    subject,
    bodyPreview,
    importance: field(data, patch, 'importance') ?? 'normal',
    sensitivity: field(data, patch, 'sensitivity') ?? 'normal',
    isAllDay,
    isCancelled: cancelled,
    isOrganizer: copy.isOrganizer,
    responseRequested: field(data, patch, 'responseRequested') ?? true,
    seriesMasterId,
    showAs: field(data, patch, 'showAs') ?? (isAllDay ? 'free' : 'busy'),
    type,
    webLink: `https://outlook.office365.com/owa/?itemid=${encodeURIComponent(id)}&exvsurl=1&path=/calendar/item`,
    onlineMeetingUrl: null,
    isOnlineMeeting,
    onlineMeetingProvider:
      field(data, patch, 'onlineMeetingProvider') ??
      (isOnlineMeeting ? 'teamsForBusiness' : 'unknown'),
    allowNewTimeProposals: true,
    isDraft: false,
    hideAttendees: false,
    responseStatus: { response: responseStatus.response, time: responseStatus.time },
    body: { contentType: body.contentType, content: body.content },
    start: utcDateTime(startMs, isAllDay, zone),
    end: utcDateTime(endMs, isAllDay, findZone(endTimeZone) ?? zone),
    location: {
      displayName: location?.displayName ?? '',
      locationType: location?.locationType ?? 'default',
      ...(location?.uniqueId === undefined ? {} : { uniqueId: location.uniqueId }),
      uniqueIdType: location?.uniqueIdType ?? 'unknown',
    },
    locations: (locations ?? (location?.displayName ? [location] : [])).map((place) => ({
      displayName: place.displayName,
      locationType: place.locationType ?? 'default',
      uniqueIdType: 'unknown',
    })),
    recurrence: occurrence === null ? normalizedRecurrence(data) : null,
    attendees: attendeesOf(field(data, patch, 'attendees')),
    organizer,
    onlineMeeting: isOnlineMeeting
      ? {
          joinUrl:
            field(data, patch, 'onlineMeeting')?.joinUrl ??
            `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${hexHash(meeting.uid).slice(0, 24)}%40thread.v2/0`,
        }
      : null,
  };
  return event;
}

export function renderInstance(entry: Entry): GraphEvent {
  const occurrence = entry.occurrence;
  if (occurrence === null) throw new Error(`entry ${entry.id} is deleted`);
  return build({
    id: entry.id,
    copy: entry.copy,
    occurrence,
    seq: entry.seq,
    seriesMasterId: occurrence.type === 'singleInstance' ? null : masterIdOf(entry.copy),
  });
}

export function renderMaster(copy: Copy): GraphEvent {
  return build({ id: masterIdOf(copy), copy, occurrence: null, seq: 0, seriesMasterId: null });
}
