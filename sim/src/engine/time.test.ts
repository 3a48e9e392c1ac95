import { describe, expect, it } from 'vitest';
import type { GraphEvent } from '../graph-types.js';
import { instantOf, localToUtc, requireZone, resolveTimeZone, toTimeZone } from './time.js';

const servedEvent: GraphEvent = {
  id: 'AAMkAx',
  isAllDay: false,
  start: { dateTime: '2026-07-10T16:00:00.0000000', timeZone: 'UTC' },
  end: { dateTime: '2026-07-10T16:30:00.0000000', timeZone: 'UTC' },
};

describe('toTimeZone', () => {
  it('converts UTC start and end into a Windows zone and labels them with that name', () => {
    const converted = toTimeZone(servedEvent, 'Pacific Standard Time');
    expect(converted.start).toEqual({
      dateTime: '2026-07-10T09:00:00.0000000',
      timeZone: 'Pacific Standard Time',
    });
    expect(converted.end.dateTime).toBe('2026-07-10T09:30:00.0000000');
  });

  it('converts into an IANA zone, applying that date’s DST offset', () => {
    const winter = toTimeZone(
      {
        ...servedEvent,
        start: { dateTime: '2026-12-01T08:00:00.0000000', timeZone: 'UTC' },
        end: { dateTime: '2026-12-01T09:00:00.0000000', timeZone: 'UTC' },
      },
      'Europe/Berlin',
    );
    expect(winter.start).toEqual({
      dateTime: '2026-12-01T09:00:00.0000000',
      timeZone: 'Europe/Berlin',
    });
    expect(toTimeZone(servedEvent, 'Europe/Berlin').start.dateTime).toBe(
      '2026-07-10T18:00:00.0000000',
    );
  });

  it('keeps all-day events at midnight of the same dates', () => {
    const allDay: GraphEvent = {
      id: 'AAMkAy',
      isAllDay: true,
      start: { dateTime: '2026-10-15T00:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2026-10-16T00:00:00.0000000', timeZone: 'UTC' },
    };
    const converted = toTimeZone(allDay, 'Tokyo Standard Time');
    expect(converted.start).toEqual({
      dateTime: '2026-10-15T00:00:00.0000000',
      timeZone: 'Tokyo Standard Time',
    });
    expect(converted.end.dateTime).toBe('2026-10-16T00:00:00.0000000');
  });

  it('leaves the input untouched and throws on an unknown zone', () => {
    toTimeZone(servedEvent, 'Pacific Standard Time');
    expect(servedEvent.start.timeZone).toBe('UTC');
    expect(() => toTimeZone(servedEvent, 'Mars Standard Time')).toThrow(
      /unknown time zone "Mars Standard Time"/,
    );
  });
});

describe('time zone resolution', () => {
  it('maps Windows names (any case) and IANA names to IANA, and UTC aliases to UTC', () => {
    expect(resolveTimeZone('Pacific Standard Time')).toBe('America/Los_Angeles');
    expect(resolveTimeZone('pacific standard time')).toBe('America/Los_Angeles');
    expect(resolveTimeZone('W. Europe Standard Time')).toBe('Europe/Berlin');
    expect(resolveTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(resolveTimeZone('tzone://Microsoft/Utc')).toBe('UTC');
    expect(resolveTimeZone('Nowhere Standard Time')).toBeUndefined();
  });

  it('turns local wall-clock times into instants on both sides of a DST change', () => {
    const pacific = requireZone('Pacific Standard Time');
    const wallClock = (text: string): number => Date.parse(`${text}Z`);
    expect(new Date(localToUtc(pacific, wallClock('2026-10-27T09:00:00'))).toISOString()).toBe(
      '2026-10-27T16:00:00.000Z',
    );
    expect(new Date(localToUtc(pacific, wallClock('2026-11-03T09:00:00'))).toISOString()).toBe(
      '2026-11-03T17:00:00.000Z',
    );
    // the repeated hour on 1 November resolves to its first (daylight) instant
    expect(new Date(localToUtc(pacific, wallClock('2026-11-01T01:30:00'))).toISOString()).toBe(
      '2026-11-01T08:30:00.000Z',
    );
  });

  it('reads Graph dateTimes with 7 fractional digits, and honours an explicit offset', () => {
    expect(
      instantOf({ dateTime: '2026-09-01T09:00:00.0000000', timeZone: 'Pacific Standard Time' }),
    ).toBe(Date.parse('2026-09-01T16:00:00Z'));
    expect(
      instantOf({ dateTime: '2026-09-01T09:00:00+02:00', timeZone: 'Pacific Standard Time' }),
    ).toBe(Date.parse('2026-09-01T07:00:00Z'));
    expect(() => instantOf({ dateTime: '2026-02-30T09:00:00', timeZone: 'UTC' })).toThrow(
      /invalid dateTime/,
    );
  });
});
