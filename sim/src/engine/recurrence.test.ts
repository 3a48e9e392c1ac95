import { describe, expect, it } from 'vitest';
import type { PatternedRecurrence, RecurrencePattern, RecurrenceRange } from '../graph-types.js';
import { expandRecurrence } from './recurrence.js';
import { formatDateOnly, parseDateOnly } from './time.js';

const FAR = parseDateOnly('2030-12-31')!;

function dates(pattern: RecurrencePattern, range: Partial<RecurrenceRange> = {}): string[] {
  const recurrence: PatternedRecurrence = {
    pattern,
    range: { type: 'numbered', startDate: '2026-09-01', numberOfOccurrences: 5, ...range },
  };
  return expandRecurrence(recurrence, FAR).map(formatDateOnly);
}

describe('expandRecurrence', () => {
  it('daily: every interval days from the start date', () => {
    expect(dates({ type: 'daily', interval: 3 })).toEqual([
      '2026-09-01',
      '2026-09-04',
      '2026-09-07',
      '2026-09-10',
      '2026-09-13',
    ]);
  });

  it('weekly: the listed days, every interval weeks, weeks counted from firstDayOfWeek', () => {
    // 2026-09-01 is a Tuesday; the week holding it starts on Sunday 30 August
    expect(
      dates({
        type: 'weekly',
        interval: 2,
        daysOfWeek: ['monday', 'thursday'],
        firstDayOfWeek: 'sunday',
      }),
    ).toEqual(['2026-09-03', '2026-09-14', '2026-09-17', '2026-09-28', '2026-10-01']);
    // with Monday-first weeks, Sunday 6 September belongs to the start week
    expect(
      dates(
        { type: 'weekly', interval: 2, daysOfWeek: ['sunday'], firstDayOfWeek: 'monday' },
        { numberOfOccurrences: 3 },
      ),
    ).toEqual(['2026-09-06', '2026-09-20', '2026-10-04']);
  });

  it('absoluteMonthly: the day of the month, the last day in shorter months', () => {
    expect(
      dates({ type: 'absoluteMonthly', interval: 1, dayOfMonth: 31 }, { startDate: '2026-08-01' }),
    ).toEqual(['2026-08-31', '2026-09-30', '2026-10-31', '2026-11-30', '2026-12-31']);
  });

  it('relativeMonthly: the nth or last listed weekday of every interval months', () => {
    expect(
      dates(
        { type: 'relativeMonthly', interval: 1, daysOfWeek: ['tuesday'], index: 'second' },
        { numberOfOccurrences: 3 },
      ),
    ).toEqual(['2026-09-08', '2026-10-13', '2026-11-10']);
    expect(
      dates(
        { type: 'relativeMonthly', interval: 2, daysOfWeek: ['friday'], index: 'last' },
        { numberOfOccurrences: 3 },
      ),
    ).toEqual(['2026-09-25', '2026-11-27', '2027-01-29']);
  });

  it('absoluteYearly: the month and day every interval years', () => {
    expect(
      dates(
        { type: 'absoluteYearly', interval: 1, month: 2, dayOfMonth: 29 },
        { numberOfOccurrences: 3 },
      ),
    ).toEqual(['2027-02-28', '2028-02-29', '2029-02-28']);
  });

  it('relativeYearly: the nth weekday of a month every interval years', () => {
    expect(
      dates(
        {
          type: 'relativeYearly',
          interval: 1,
          month: 11,
          daysOfWeek: ['thursday'],
          index: 'fourth',
        },
        { numberOfOccurrences: 3 },
      ),
    ).toEqual(['2026-11-26', '2027-11-25', '2028-11-23']);
  });

  it('numbered ranges stop after numberOfOccurrences; endDate ranges include the end date', () => {
    expect(dates({ type: 'daily', interval: 1 }, { numberOfOccurrences: 2 })).toEqual([
      '2026-09-01',
      '2026-09-02',
    ]);
    expect(
      dates(
        { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'] },
        { type: 'endDate', endDate: '2026-09-15' },
      ),
    ).toEqual(['2026-09-01', '2026-09-08', '2026-09-15']);
  });

  it('noEnd series stop at the horizon', () => {
    const recurrence: PatternedRecurrence = {
      pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'] },
      range: { type: 'noEnd', startDate: '2026-09-01' },
    };
    const days = expandRecurrence(recurrence, parseDateOnly('2026-09-30')!).map(formatDateOnly);
    expect(days).toEqual(['2026-09-01', '2026-09-08', '2026-09-15', '2026-09-22', '2026-09-29']);
  });
});
