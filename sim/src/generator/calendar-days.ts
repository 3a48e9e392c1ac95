// Calendar arithmetic on plain day numbers (days since 1970-01-01), which keeps the generator fast
// and free of the host's time zone. The engine counts days the same way; what it has, it shares.
import { DAYS_OF_WEEK, weekdayOf } from '../engine/recurrence.js';
import { daysInMonth, formatDateOnly, MS_PER_DAY, parseDateOnly } from '../engine/time.js';
import type { DayOfWeek } from '../graph-types.js';

export { DAYS_OF_WEEK, daysInMonth, weekdayOf };

/** Days since 1970-01-01 (a Thursday). */
export type Day = number;

/** A day as "YYYY-MM-DD". */
export const isoDate: (day: Day) => string = formatDateOnly;

export const WEEKDAYS: readonly DayOfWeek[] = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
];

export function dayFromIsoDate(isoDate: string): Day {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(isoDate)) {
    throw new RangeError(`Expected a date as YYYY-MM-DD, got "${isoDate}"`);
  }
  const day = parseDateOnly(isoDate);
  if (day === undefined) throw new RangeError(`"${isoDate}" is not a calendar date`);
  return day;
}

export function dayOfWeekName(day: Day): DayOfWeek {
  return DAYS_OF_WEEK[weekdayOf(day)] as DayOfWeek;
}

export function isWeekend(day: Day): boolean {
  const index = weekdayOf(day);
  return index === 0 || index === 6;
}

export function yearMonthDay(day: Day): { year: number; month: number; dayOfMonth: number } {
  const date = new Date(day * MS_PER_DAY);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    dayOfMonth: date.getUTCDate(),
  };
}

export function dayFromParts(year: number, month: number, dayOfMonth: number): Day {
  return Math.round(Date.UTC(year, month - 1, dayOfMonth) / MS_PER_DAY);
}

/** Same day of month `months` later (clamped to the month's last day). */
export function addMonths(day: Day, months: number): Day {
  const { year, month, dayOfMonth } = yearMonthDay(day);
  const firstOfTarget = dayFromParts(year, month + months, 1);
  const { year: targetYear, month: targetMonth } = yearMonthDay(firstOfTarget);
  return firstOfTarget + Math.min(dayOfMonth, daysInMonth(targetYear, targetMonth)) - 1;
}

/** The first day on or after `day` that falls on a weekday (Monday–Friday). */
export function nextWorkday(day: Day): Day {
  let current = day;
  while (isWeekend(current)) current++;
  return current;
}

/** The first day on or after `day` that is `target`. */
export function nextDayOfWeek(day: Day, target: DayOfWeek): Day {
  const wanted = DAYS_OF_WEEK.indexOf(target);
  return day + ((wanted - weekdayOf(day) + 7) % 7);
}

/** Graph's local wall-clock form: "2026-03-09T09:00:00.0000000". */
export function localDateTime(day: Day, minutes: number): string {
  const extraDays = Math.floor(minutes / 1440);
  const rest = minutes - extraDays * 1440;
  const hh = String(Math.floor(rest / 60)).padStart(2, '0');
  const mm = String(rest % 60).padStart(2, '0');
  return `${isoDate(day + extraDays)}T${hh}:${mm}:00.0000000`;
}

/** An ISO instant in UTC, as Graph writes createdDateTime: "2026-03-09T09:00:00.1234567Z". */
export function utcInstant(day: Day, seconds: number, fraction = '0000000'): string {
  const hh = String(Math.floor(seconds / 3600)).padStart(2, '0');
  const mm = String(Math.floor((seconds % 3600) / 60)).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  return `${isoDate(day)}T${hh}:${mm}:${ss}.${fraction}Z`;
}
