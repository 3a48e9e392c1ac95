// The people on the open Outlook item, in read and in compose mode (Office.js Mailbox 1.5+).

/** One address on the item, as Outlook gives it. */
export interface Participant {
  email: string;
  displayName: string;
  role: 'from' | 'to' | 'cc' | 'organizer' | 'required' | 'optional';
}

/** The kinds of pane WarmPath opens for, as the manifest's ribbon contexts name them. */
export type ItemMode =
  'message-read' | 'message-compose' | 'appointment-read' | 'appointment-compose';

interface AddressDetails {
  emailAddress: string;
  displayName: string;
}

/** The subset of Office.Item the pane reads; properties are values in read mode, getters in compose. */
type Recipients = AddressDetails[] | { getAsync: Office.Recipients['getAsync'] } | undefined;
type Single = AddressDetails | { getAsync: Office.From['getAsync'] } | undefined;

export interface OutlookItemLike {
  itemType: Office.MailboxEnums.ItemType | string;
  from?: Single;
  organizer?: Single;
  to?: Recipients;
  cc?: Recipients;
  requiredAttendees?: Recipients;
  optionalAttendees?: Recipients;
}

function isGetter(
  value: unknown,
): value is { getAsync: (callback: (result: Office.AsyncResult<unknown>) => void) => void } {
  return typeof value === 'object' && value !== null && 'getAsync' in value;
}

function getAsync<T>(source: {
  getAsync: (callback: (result: Office.AsyncResult<T>) => void) => void;
}): Promise<T> {
  return new Promise((resolve, reject) =>
    source.getAsync((result) => {
      if (String(result.status) === 'succeeded') resolve(result.value);
      else reject(new Error(result.error?.message ?? 'Outlook did not give the recipients.'));
    }),
  );
}

async function addresses(value: Recipients | Single): Promise<AddressDetails[]> {
  if (value === undefined || value === null) return [];
  if (isGetter(value)) {
    const read = (await getAsync(value as never)) as AddressDetails[] | AddressDetails | null;
    if (read === null || read === undefined) return [];
    return Array.isArray(read) ? read : [read];
  }
  return Array.isArray(value) ? value : [value];
}

export function itemMode(item: OutlookItemLike): ItemMode {
  const appointment = String(item.itemType) === 'appointment';
  // compose items expose recipients through getAsync; read items as plain arrays
  const compose = isGetter(appointment ? item.requiredAttendees : item.to);
  if (appointment) return compose ? 'appointment-compose' : 'appointment-read';
  return compose ? 'message-compose' : 'message-read';
}

/** Everyone on the item: from, to, cc for a message; organizer and attendees for a meeting. */
export async function readParticipants(item: OutlookItemLike): Promise<Participant[]> {
  const appointment = String(item.itemType) === 'appointment';
  const sources: [Participant['role'], Recipients | Single][] = appointment
    ? [
        ['organizer', item.organizer],
        ['required', item.requiredAttendees],
        ['optional', item.optionalAttendees],
      ]
    : [
        ['from', item.from],
        ['to', item.to],
        ['cc', item.cc],
      ];
  const lists = await Promise.all(
    sources.map(async ([role, source]) => {
      // from and organizer need Mailbox 1.7 in compose; without it the pane still has the recipients
      const found = await addresses(source).catch((error: unknown) => {
        if (role === 'from' || role === 'organizer') return [];
        throw error;
      });
      return found.map((entry) => ({
        email: entry.emailAddress,
        displayName: entry.displayName || entry.emailAddress,
        role,
      }));
    }),
  );
  return lists.flat();
}
