import { describe, expect, it } from 'vitest';
import type { GraphEvent } from '../graph-types.js';
import { createTenantEngine } from './index.js';
import type { CalendarChange, TenantEngine } from './tenant-engine-api.js';
import { attendee, listAll, meeting, organizer, pacific, person, tenant } from './test-support.js';

const CLOCK = new Date('2026-09-01T12:00:00Z');

function load(events: GraphEvent[] = []): { engine: TenantEngine; changes: CalendarChange[] } {
  const engine = createTenantEngine(
    tenant({
      users: [person('ann'), person('bob'), person('dan'), person('cat', { mail: null })],
      events: { 'id-ann': events },
    }),
    { now: () => CLOCK },
  );
  const changes: CalendarChange[] = [];
  engine.onChange((change) => changes.push(change));
  return { engine, changes };
}

const series = (): GraphEvent => ({
  id: 'series',
  subject: 'Standup',
  start: pacific('2026-09-07T09:00:00'),
  end: pacific('2026-09-07T09:15:00'),
  organizer: organizer('ann@contoso.com'),
  attendees: [attendee('bob@contoso.com', 'accepted')],
  recurrence: {
    pattern: { type: 'daily', interval: 1 },
    range: { type: 'numbered', startDate: '2026-09-07', numberOfOccurrences: 5 },
  },
});

function changeTypes(changes: CalendarChange[], userId: string): string[] {
  return changes.filter((c) => c.userId === userId).map((c) => c.changeType);
}

describe('createEvent', () => {
  it('copies a new meeting to the organizer and internal attendees and notifies each copy', () => {
    const { engine, changes } = load();
    const created = engine.createEvent('id-ann', {
      event: {
        subject: 'Kickoff',
        start: pacific('2026-09-10T10:00:00'),
        end: pacific('2026-09-10T11:00:00'),
        attendees: [
          attendee('bob@contoso.com'),
          attendee('cat@contoso.com'),
          attendee('kim@fabrikam.com'),
        ],
        isOnlineMeeting: true,
      },
    });
    expect(created).toMatchObject({
      isOrganizer: true,
      type: 'singleInstance',
      subject: 'Kickoff',
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      start: { dateTime: '2026-09-10T17:00:00.0000000', timeZone: 'UTC' },
      organizer: { emailAddress: { address: 'ann@contoso.com' } },
      createdDateTime: '2026-09-01T12:00:00.0000000Z',
    });
    expect(created.onlineMeeting?.joinUrl).toMatch(/^https:\/\/teams\.microsoft\.com\//);
    const bobCopy = listAll(engine, 'id-bob')[0]!;
    expect(bobCopy).toMatchObject({
      iCalUId: created.iCalUId,
      isOrganizer: false,
      responseStatus: { response: 'none' },
    });
    expect(changes).toEqual([
      expect.objectContaining({
        userId: 'id-ann',
        eventId: created.id,
        changeType: 'created',
        seq: 1,
      }),
      expect.objectContaining({
        userId: 'id-bob',
        eventId: bobCopy.id,
        changeType: 'created',
        seq: 1,
      }),
    ]);
    expect(engine.currentSeq('id-ann')).toBe(1);
  });

  it('creates a recurring meeting as a master plus occurrences and returns the master', () => {
    const { engine, changes } = load();
    const { id: _drop, ...input } = series();
    const master = engine.createEvent('id-ann', { event: input });
    expect(master.type).toBe('seriesMaster');
    expect(listAll(engine, 'id-bob')).toHaveLength(5);
    expect(changeTypes(changes, 'id-bob')).toEqual(Array(6).fill('created'));
  });

  it('rejects input with an unknown time zone, naming the field', () => {
    const { engine } = load();
    expect(() =>
      engine.createEvent('id-ann', {
        event: {
          subject: 'x',
          start: { dateTime: '2026-09-10T10:00:00', timeZone: 'Atlantis' },
          end: pacific('2026-09-10T11:00:00'),
        },
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'InvalidRequest',
        message: expect.stringContaining('event.start.timeZone'),
      }) as Error,
    );
  });
});

describe('updateEvent', () => {
  it('on a series master changes every occurrence in every copy', () => {
    const { engine, changes } = load([series()]);
    const masterId = listAll(engine, 'id-ann')[0]!.seriesMasterId!;
    const updated = engine.updateEvent('id-ann', masterId, { subject: 'Daily standup' });
    expect(updated).toMatchObject({ id: masterId, type: 'seriesMaster', subject: 'Daily standup' });
    for (const user of ['id-ann', 'id-bob']) {
      expect(listAll(engine, user).map((e) => e.subject)).toEqual(Array(5).fill('Daily standup'));
      expect(changeTypes(changes, user)).toEqual(Array(6).fill('updated'));
    }
  });

  it('on a series master moves the occurrences when the time changes', () => {
    const { engine } = load([series()]);
    const masterId = listAll(engine, 'id-ann')[0]!.seriesMasterId!;
    engine.updateEvent('id-ann', masterId, {
      start: pacific('2026-09-07T10:00:00'),
      end: pacific('2026-09-07T10:30:00'),
    });
    const starts = listAll(engine, 'id-bob')
      .map((e) => [e.start.dateTime, e.end.dateTime])
      .sort((a, b) => a[0]!.localeCompare(b[0]!));
    expect(starts[0]).toEqual(['2026-09-07T17:00:00.0000000', '2026-09-07T17:30:00.0000000']);
    expect(starts).toHaveLength(5);
  });

  it('on an occurrence turns it into an exception with the same id and leaves the others alone', () => {
    const { engine, changes } = load([series()]);
    const before = listAll(engine, 'id-bob');
    const annThird = listAll(engine, 'id-ann')[2]!;
    const updated = engine.updateEvent('id-ann', annThird.id, {
      subject: 'Standup (demo day)',
      start: pacific('2026-09-09T11:00:00'),
    });
    expect(updated).toMatchObject({
      id: annThird.id,
      type: 'exception',
      subject: 'Standup (demo day)',
    });
    // a moved start keeps the occurrence's 15 minutes
    expect(updated.end.dateTime).toBe('2026-09-09T18:15:00.0000000');
    const after = listAll(engine, 'id-bob');
    const changed = after.filter((e) => e.type === 'exception');
    expect(changed.map((e) => e.iCalUId)).toEqual([annThird.iCalUId]);
    const untouched = after.filter((e) => e.type === 'occurrence');
    expect(untouched.map((e) => e.changeKey)).toEqual(
      before.filter((e) => e.iCalUId !== annThird.iCalUId).map((e) => e.changeKey),
    );
    expect(changes.map((c) => c.changeType)).toEqual(['updated', 'updated']);
  });

  it('gives an added attendee a copy and removes a dropped attendee’s copy', () => {
    const { engine } = load([
      meeting('m1', 'ann@contoso.com', '2026-09-10T15:00:00', [attendee('bob@contoso.com')]),
    ]);
    const annCopy = listAll(engine, 'id-ann')[0]!;
    engine.updateEvent('id-ann', annCopy.id, { attendees: [attendee('dan@contoso.com')] });
    expect(listAll(engine, 'id-bob')).toHaveLength(0);
    expect(listAll(engine, 'id-dan')).toHaveLength(1);
    expect(listAll(engine, 'id-ann')[0]!.attendees?.map((a) => a.emailAddress.address)).toEqual([
      'dan@contoso.com',
    ]);
  });

  it('turns a single event into a series when given a recurrence, answering with the master', () => {
    const { engine, changes } = load([
      meeting('m1', 'ann@contoso.com', '2026-09-10T15:00:00', [attendee('bob@contoso.com')]),
    ]);
    const single = listAll(engine, 'id-ann')[0]!;
    const master = engine.updateEvent('id-ann', single.id, {
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['thursday'] },
        range: { type: 'numbered', startDate: '2026-09-10', numberOfOccurrences: 3 },
      },
    });
    expect(master.type).toBe('seriesMaster');
    expect(listAll(engine, 'id-bob').map((e) => e.type)).toEqual(Array(3).fill('occurrence'));
    expect(engine.getEvent('id-ann', single.id)).toBeUndefined();
    // bob: the single is deleted, three occurrences and a master are created
    expect(changeTypes(changes, 'id-bob').sort()).toEqual([
      'created',
      'created',
      'created',
      'created',
      'deleted',
    ]);
  });

  it('fails for an id the mailbox does not have', () => {
    const { engine } = load();
    expect(() => engine.updateEvent('id-ann', 'AAMkAnope', { subject: 'x' })).toThrow(
      expect.objectContaining({ code: 'EventNotFound' }) as Error,
    );
  });
});

describe('cancelEvent', () => {
  it('removes the meeting from the organizer’s calendar and marks attendee copies cancelled', () => {
    const { engine, changes } = load([
      meeting('m1', 'ann@contoso.com', '2026-09-10T15:00:00', [attendee('bob@contoso.com')]),
    ]);
    engine.cancelEvent('id-ann', listAll(engine, 'id-ann')[0]!.id);
    expect(listAll(engine, 'id-ann')).toHaveLength(0);
    expect(listAll(engine, 'id-bob')[0]).toMatchObject({ isCancelled: true });
    expect(changeTypes(changes, 'id-ann')).toEqual(['deleted']);
    expect(changeTypes(changes, 'id-bob')).toEqual(['updated']);
  });

  it('on one occurrence cancels only that occurrence', () => {
    const { engine } = load([series()]);
    engine.cancelEvent('id-ann', listAll(engine, 'id-ann')[1]!.id);
    expect(listAll(engine, 'id-ann')).toHaveLength(4);
    expect(listAll(engine, 'id-bob').map((e) => e.isCancelled)).toEqual(
      expect.arrayContaining([true, false, false, false, false]),
    );
    expect(listAll(engine, 'id-bob').filter((e) => e.isCancelled)).toHaveLength(1);
  });
});

describe('deleteEvent', () => {
  it('removes only that mailbox’s copy', () => {
    const { engine, changes } = load([
      meeting('m1', 'ann@contoso.com', '2026-09-10T15:00:00', [attendee('bob@contoso.com')]),
    ]);
    const bobCopy = listAll(engine, 'id-bob')[0]!;
    engine.deleteEvent('id-bob', bobCopy.id);
    expect(listAll(engine, 'id-bob')).toHaveLength(0);
    expect(listAll(engine, 'id-ann')).toHaveLength(1);
    expect(changes).toEqual([
      expect.objectContaining({ userId: 'id-bob', eventId: bobCopy.id, changeType: 'deleted' }),
    ]);
    expect(engine.getEvent('id-bob', bobCopy.id)).toBeUndefined();
  });

  it('of one occurrence, or of the master, in one mailbox', () => {
    const { engine } = load([series()]);
    const bob = listAll(engine, 'id-bob');
    engine.deleteEvent('id-bob', bob[0]!.id);
    expect(listAll(engine, 'id-bob')).toHaveLength(4);
    engine.deleteEvent('id-bob', bob[0]!.seriesMasterId!);
    expect(listAll(engine, 'id-bob')).toHaveLength(0);
    expect(engine.getEvent('id-bob', bob[0]!.seriesMasterId!)).toBeUndefined();
    expect(listAll(engine, 'id-ann')).toHaveLength(5);
  });
});

describe('respond', () => {
  it('changes the attendee’s responseStatus and their status in every copy’s attendees', () => {
    const { engine } = load([
      meeting('m1', 'ann@contoso.com', '2026-09-10T15:00:00', [
        attendee('bob@contoso.com'),
        attendee('dan@contoso.com'),
      ]),
    ]);
    engine.respond('id-bob', listAll(engine, 'id-bob')[0]!.id, 'tentativelyAccepted');
    const expected = { response: 'tentativelyAccepted', time: '2026-09-01T12:00:00.0000000Z' };
    expect(listAll(engine, 'id-bob')[0]!.responseStatus).toEqual(expected);
    for (const user of ['id-ann', 'id-dan']) {
      const bobLine = listAll(engine, user)[0]!.attendees!.find(
        (a) => a.emailAddress.address === 'bob@contoso.com',
      );
      expect(bobLine?.status).toEqual(expected);
    }
  });

  it('to one occurrence changes only that occurrence', () => {
    const { engine } = load([series()]);
    engine.respond('id-bob', listAll(engine, 'id-bob')[3]!.id, 'declined');
    const responses = listAll(engine, 'id-bob').map((e) => e.responseStatus?.response);
    expect(responses.filter((r) => r === 'declined')).toHaveLength(1);
    expect(responses.filter((r) => r === 'accepted')).toHaveLength(4);
  });

  it('refuses the organizer', () => {
    const { engine } = load([
      meeting('m1', 'ann@contoso.com', '2026-09-10T15:00:00', [attendee('bob@contoso.com')]),
    ]);
    expect(() => engine.respond('id-ann', listAll(engine, 'id-ann')[0]!.id, 'accepted')).toThrow(
      expect.objectContaining({ code: 'InvalidRequest' }) as Error,
    );
  });
});

describe('onChange', () => {
  it('stops calling a listener after it unsubscribes; seqs rise by one per change in each calendar', () => {
    const { engine } = load([series()]);
    const seen: CalendarChange[] = [];
    const unsubscribe = engine.onChange((change) => seen.push(change));
    const masterId = listAll(engine, 'id-ann')[0]!.seriesMasterId!;
    engine.updateEvent('id-ann', masterId, { subject: 'a' });
    const annSeqs = seen.filter((c) => c.userId === 'id-ann').map((c) => c.seq);
    expect(annSeqs).toEqual([1, 2, 3, 4, 5, 6]);
    unsubscribe();
    engine.updateEvent('id-ann', masterId, { subject: 'b' });
    expect(seen).toHaveLength(12);
    expect(engine.currentSeq('id-ann')).toBe(12);
  });
});
