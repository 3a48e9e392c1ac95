import { DateTime, IANAZone } from 'luxon';
import { WINDOWS_TO_IANA_MAP } from 'windows-iana';
import { describe, expect, it } from 'vitest';
import {
  GraphTimeError,
  ianaTimeZone,
  toEpochMs,
  toLocalDate,
  utcMidnightOf,
} from './normalize-times.js';

function timeError(run: () => unknown): GraphTimeError {
  try {
    run();
  } catch (error) {
    if (error instanceof GraphTimeError) return error;
    throw error;
  }
  throw new Error('expected a GraphTimeError');
}

describe('ianaTimeZone', () => {
  it('maps Windows names to IANA, ignoring case as Exchange does', () => {
    expect(ianaTimeZone('Pacific Standard Time')).toBe('America/Los_Angeles');
    expect(ianaTimeZone('pacific standard time')).toBe('America/Los_Angeles');
    expect(ianaTimeZone('W. Europe Standard Time')).toBe('Europe/Berlin');
  });

  it('keeps IANA names and knows the UTC spellings', () => {
    expect(ianaTimeZone('Europe/London')).toBe('Europe/London');
    expect(ianaTimeZone('UTC')).toBe('UTC');
    expect(ianaTimeZone('tzone://Microsoft/Utc')).toBe('UTC');
  });

  it('gives up on custom and unknown zones', () => {
    expect(ianaTimeZone('tzone://Microsoft/Custom')).toBeUndefined();
    expect(ianaTimeZone('Mars Standard Time')).toBeUndefined();
  });

  it('resolves every Windows zone of the mapping to a zone luxon can use', () => {
    const unusable = [...new Set(WINDOWS_TO_IANA_MAP.map((entry) => entry.windowsName))].filter(
      (name) => {
        const iana = ianaTimeZone(name);
        return iana === undefined || !IANAZone.isValidZone(iana);
      },
    );
    expect(unusable).toEqual([]);
  });
});

describe('toEpochMs', () => {
  it('reads UTC times with seven fractional digits, keeping milliseconds', () => {
    expect(toEpochMs({ dateTime: '2026-03-09T09:15:30.1239999', timeZone: 'UTC' })).toBe(
      Date.UTC(2026, 2, 9, 9, 15, 30, 123),
    );
  });

  it('converts a Windows zone across daylight saving time', () => {
    const zone = 'Pacific Standard Time';
    expect(toEpochMs({ dateTime: '2026-01-15T09:00:00.0000000', timeZone: zone })).toBe(
      Date.UTC(2026, 0, 15, 17, 0),
    );
    expect(toEpochMs({ dateTime: '2026-07-15T09:00:00.0000000', timeZone: zone })).toBe(
      Date.UTC(2026, 6, 15, 16, 0),
    );
  });

  it('converts an IANA zone across daylight saving time', () => {
    const zone = 'Europe/London';
    // the clocks go forward on 29 March 2026
    expect(toEpochMs({ dateTime: '2026-03-28T10:00:00.0000000', timeZone: zone })).toBe(
      Date.UTC(2026, 2, 28, 10, 0),
    );
    expect(toEpochMs({ dateTime: '2026-03-30T10:00:00.0000000', timeZone: zone })).toBe(
      Date.UTC(2026, 2, 30, 9, 0),
    );
  });

  it('reads an ambiguous fall-back time as standard time, as Windows does', () => {
    expect(
      toEpochMs({ dateTime: '2026-11-01T01:30:00.0000000', timeZone: 'Pacific Standard Time' }),
    ).toBe(Date.UTC(2026, 10, 1, 9, 30));
  });

  it('honours an offset the dateTime carries itself', () => {
    expect(toEpochMs({ dateTime: '2026-03-09T09:00:00+05:30', timeZone: 'UTC' })).toBe(
      Date.UTC(2026, 2, 9, 3, 30),
    );
    expect(toEpochMs({ dateTime: '2020-06-16T04:08:27.354268Z', timeZone: 'UTC' })).toBe(
      Date.UTC(2020, 5, 16, 4, 8, 27, 354),
    );
  });

  it('names dateTime when the text is no date-time or no real date', () => {
    expect(timeError(() => toEpochMs({ dateTime: 'next Tuesday', timeZone: 'UTC' })).field).toBe(
      'dateTime',
    );
    expect(
      timeError(() => toEpochMs({ dateTime: '2026-02-30T09:00:00.0000000', timeZone: 'UTC' }))
        .field,
    ).toBe('dateTime');
  });

  it('reads UTC times exactly as luxon does, edge dates and years before 100 included', () => {
    const samples = [
      '2024-02-29T23:59:59.9999999',
      '2000-01-01T00:00:00',
      '1970-01-01T00:00:00.001',
      '0099-12-31T12:00:00',
      '9999-12-31T23:59:59.999',
      '2026-03-29T01:30:00.0000000',
    ];
    for (const dateTime of samples) {
      const [date, time] = dateTime.split('T') as [string, string];
      const [year, month, day] = date.split('-').map(Number) as [number, number, number];
      const [hour, minute, second] = time.split(':').map(Number) as [number, number, number];
      const expected = DateTime.fromObject(
        { year, month, day, hour, minute, second: Math.trunc(second) },
        { zone: 'UTC' },
      )
        .plus({ milliseconds: Math.trunc((second % 1) * 1000 + 1e-6) })
        .toMillis();
      expect(toEpochMs({ dateTime, timeZone: 'UTC' }), dateTime).toBe(expected);
    }
    for (const impossible of [
      '2025-02-29T09:00:00',
      '2026-04-31T09:00:00',
      '2026-01-01T10:60:00',
    ]) {
      expect(timeError(() => toEpochMs({ dateTime: impossible, timeZone: 'UTC' })).field).toBe(
        'dateTime',
      );
    }
  });

  it('names timeZone when the zone is unknown', () => {
    const error = timeError(() =>
      toEpochMs({ dateTime: '2026-03-09T09:00:00.0000000', timeZone: 'Mars Standard Time' }),
    );
    expect(error.field).toBe('timeZone');
    expect(error.message).toContain('Mars Standard Time');
  });
});

describe('all-day dates', () => {
  it('takes the date part whatever zone Graph names', () => {
    expect(
      toLocalDate({ dateTime: '2026-03-09T00:00:00.0000000', timeZone: 'Tokyo Standard Time' }),
    ).toBe('2026-03-09');
  });

  it('gives a date its UTC midnight', () => {
    expect(utcMidnightOf('2026-03-09')).toBe(Date.UTC(2026, 2, 9));
  });
});
