import { describe, expect, it } from 'vitest';
import { itemMode, readParticipants, type OutlookItemLike } from './read-participants.js';

const dana = { emailAddress: 'dana@acme.com', displayName: 'Dana Lee' };
const sam = { emailAddress: 'sam@acme.com', displayName: 'Sam Ortiz' };
const me = { emailAddress: 'adele@contoso.com', displayName: 'Adele Vance' };

// compose mode hands out recipients through Office's callback style
function getter<T>(value: T) {
  return {
    getAsync: (callback: (result: { status: string; value: T }) => void) =>
      callback({ status: 'succeeded', value }),
  } as never;
}

describe('readParticipants', () => {
  it('reads from, to and cc of a message being read', async () => {
    const item: OutlookItemLike = { itemType: 'message', from: dana, to: [me], cc: [sam] };
    expect(itemMode(item)).toBe('message-read');
    expect(await readParticipants(item)).toEqual([
      { email: 'dana@acme.com', displayName: 'Dana Lee', role: 'from' },
      { email: 'adele@contoso.com', displayName: 'Adele Vance', role: 'to' },
      { email: 'sam@acme.com', displayName: 'Sam Ortiz', role: 'cc' },
    ]);
  });

  it('reads organizer, required and optional attendees of a meeting the user attends', async () => {
    const item: OutlookItemLike = {
      itemType: 'appointment',
      organizer: dana,
      requiredAttendees: [me, sam],
      optionalAttendees: [],
    };
    expect(itemMode(item)).toBe('appointment-read');
    expect((await readParticipants(item)).map((p) => `${p.role}:${p.email}`)).toEqual([
      'organizer:dana@acme.com',
      'required:adele@contoso.com',
      'required:sam@acme.com',
    ]);
  });

  it('reads recipients through getAsync while a message or meeting is composed', async () => {
    const message: OutlookItemLike = {
      itemType: 'message',
      from: getter(me),
      to: getter([dana]),
      cc: getter([sam]),
    };
    expect(itemMode(message)).toBe('message-compose');
    expect((await readParticipants(message)).map((p) => p.email)).toEqual([
      'adele@contoso.com',
      'dana@acme.com',
      'sam@acme.com',
    ]);
    const meeting: OutlookItemLike = {
      itemType: 'appointment',
      organizer: getter(me),
      requiredAttendees: getter([dana]),
      optionalAttendees: getter([sam]),
    };
    expect(itemMode(meeting)).toBe('appointment-compose');
    expect((await readParticipants(meeting)).map((p) => p.role)).toEqual([
      'organizer',
      'required',
      'optional',
    ]);
  });

  it('still reads the recipients when the host cannot give the sender (Mailbox below 1.7)', async () => {
    const failing = {
      getAsync: (callback: (result: unknown) => void) =>
        callback({ status: 'failed', error: { message: 'not supported' } }),
    } as never;
    const item: OutlookItemLike = { itemType: 'message', from: failing, to: getter([dana]) };
    expect((await readParticipants(item)).map((p) => p.email)).toEqual(['dana@acme.com']);
  });

  it('names an address without a display name by the address', async () => {
    const item: OutlookItemLike = {
      itemType: 'message',
      to: [{ emailAddress: 'x@acme.com', displayName: '' }],
    };
    expect((await readParticipants(item))[0]?.displayName).toBe('x@acme.com');
  });
});
