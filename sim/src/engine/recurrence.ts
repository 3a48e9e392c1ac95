// Expands a Graph patternedRecurrence into occurrence dates, on civil day numbers (days since
// 1970-01-01) so no time zone is involved until the caller puts a wall-clock time on each date.
import type { DayOfWeek, PatternedRecurrence, RecurrencePattern } from '../graph-types.js';
import { daysInMonth, MS_PER_DAY, parseDateOnly } from './time.js';

export const DAYS_OF_WEEK: readonly DayOfWeek[] = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
];

const WEEK_INDEX = { first: 0, second: 1, third: 2, fourth: 3 } as const;

/** Safety net against a pathological pattern (daily for a century); Outlook caps series at 999. */
const MAX_OCCURRENCES = 5_000;

export function weekdayOf(dayNumber: number): number {
  // 1970-01-01 was a Thursday
  return (((dayNumber + 4) % 7) + 7) % 7;
}

function dayNumber(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function yearMonthOf(day: number): { year: number; month: number } {
  const date = new Date(day * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1 };
}

function weekdayNumbers(pattern: RecurrencePattern): number[] {
  return (pattern.daysOfWeek ?? []).map((name) => DAYS_OF_WEEK.indexOf(name)).filter((n) => n >= 0);
}

/** The day of a month a relative pattern ("last friday", "second weekday") lands on. */
function relativeDay(year: number, month: number, pattern: RecurrencePattern): number | undefined {
  const wanted = new Set(weekdayNumbers(pattern));
  const first = dayNumber(year, month, 1);
  const matching: number[] = [];
  for (let offset = 0; offset < daysInMonth(year, month); offset++) {
    if (wanted.has(weekdayOf(first + offset))) matching.push(first + offset);
  }
  const index = pattern.index ?? 'first';
  return index === 'last' ? matching[matching.length - 1] : matching[WEEK_INDEX[index]];
}

/** absoluteMonthly on the 31st falls on the last day of shorter months, as Outlook does. */
function absoluteDay(year: number, month: number, dayOfMonth: number): number {
  return dayNumber(year, month, Math.min(dayOfMonth, daysInMonth(year, month)));
}

/** Candidate dates in order, unbounded; the caller stops pulling. */
function* candidates(pattern: RecurrencePattern, startDay: number): Generator<number> {
  const interval = Math.max(1, pattern.interval);
  const start = yearMonthOf(startDay);
  switch (pattern.type) {
    case 'daily':
      for (let day = startDay; ; day += interval) yield day;
    case 'weekly': {
      const firstDayOfWeek = DAYS_OF_WEEK.indexOf(pattern.firstDayOfWeek ?? 'sunday');
      const offsets = weekdayNumbers(pattern)
        .map((weekday) => (weekday - firstDayOfWeek + 7) % 7)
        .sort((a, b) => a - b);
      const weekStart = startDay - ((weekdayOf(startDay) - firstDayOfWeek + 7) % 7);
      for (let week = weekStart; ; week += 7 * interval) {
        for (const offset of offsets) yield week + offset;
      }
    }
    case 'absoluteMonthly':
    case 'relativeMonthly':
      for (let step = 0; ; step += interval) {
        const monthIndex = start.month - 1 + step;
        const year = start.year + Math.floor(monthIndex / 12);
        const month = (monthIndex % 12) + 1;
        const day =
          pattern.type === 'absoluteMonthly'
            ? absoluteDay(year, month, pattern.dayOfMonth ?? 1)
            : relativeDay(year, month, pattern);
        if (day !== undefined) yield day;
      }
    case 'absoluteYearly':
    case 'relativeYearly':
      for (let year = start.year; ; year += interval) {
        const month = pattern.month ?? start.month;
        const day =
          pattern.type === 'absoluteYearly'
            ? absoluteDay(year, month, pattern.dayOfMonth ?? 1)
            : relativeDay(year, month, pattern);
        if (day !== undefined) yield day;
      }
  }
}

/**
 * Occurrence dates (day numbers, ascending) of a series. `horizonDay` bounds noEnd series (and
 * anything else that would run past it).
 */
export function expandRecurrence(recurrence: PatternedRecurrence, horizonDay: number): number[] {
  const { pattern, range } = recurrence;
  const startDay = parseDateOnly(range.startDate);
  if (startDay === undefined) throw new RangeError(`invalid range.startDate "${range.startDate}"`);
  let lastDay = horizonDay;
  if (range.type === 'endDate') {
    const endDay = parseDateOnly(range.endDate ?? '');
    if (endDay === undefined) throw new RangeError(`invalid range.endDate "${range.endDate}"`);
    lastDay = Math.min(lastDay, endDay);
  }
  const limit =
    range.type === 'numbered'
      ? Math.min(range.numberOfOccurrences ?? 0, MAX_OCCURRENCES)
      : MAX_OCCURRENCES;
  const days: number[] = [];
  if (limit <= 0) return days;
  // without weekdays these patterns never produce a date; stop instead of looping forever
  if (
    pattern.type !== 'daily' &&
    !pattern.type.startsWith('absolute') &&
    weekdayNumbers(pattern).length === 0
  ) {
    return days;
  }
  for (const day of candidates(pattern, startDay)) {
    if (day > lastDay) break;
    if (day < startDay) continue;
    days.push(day);
    if (days.length >= limit) break;
  }
  return days;
}
