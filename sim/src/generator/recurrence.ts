// Expands the recurrence patterns the generator writes into occurrence dates, so it can size the
// calendar volume and derive the planted truth from what it actually emitted.
import type { DayOfWeek, PatternedRecurrence } from '../graph-types.js';
import {
  DAYS_OF_WEEK,
  type Day,
  dayFromIsoDate,
  dayFromParts,
  daysInMonth,
  isoDate,
  weekdayIndex,
  yearMonthDay,
} from './calendar-days.js';

const INDEX_ORDINAL = { first: 0, second: 1, third: 2, fourth: 3, last: -1 } as const;

/** The Day of the `index` `dayOfWeek` in a month, e.g. the second Tuesday. */
function relativeDayInMonth(
  year: number,
  month: number,
  dayOfWeek: DayOfWeek,
  index: keyof typeof INDEX_ORDINAL,
): Day {
  const wanted = DAYS_OF_WEEK.indexOf(dayOfWeek);
  if (index === 'last') {
    const last = dayFromParts(year, month, daysInMonth(year, month));
    return last - ((weekdayIndex(last) - wanted + 7) % 7);
  }
  const first = dayFromParts(year, month, 1);
  return first + ((wanted - weekdayIndex(first) + 7) % 7) + 7 * INDEX_ORDINAL[index];
}

/**
 * Occurrence dates of a series (in its own time zone's calendar) that fall in [from, to),
 * skipping `cancelled` original dates. Follows Graph's pattern semantics for the types used here.
 */
export function occurrenceDays(
  recurrence: PatternedRecurrence,
  window: { from: Day; to: Day },
  cancelled: readonly string[] = [],
): Day[] {
  const { pattern, range } = recurrence;
  const start = dayFromIsoDate(range.startDate);
  const end =
    range.type === 'endDate' && range.endDate ? dayFromIsoDate(range.endDate) + 1 : window.to;
  const limit = Math.min(end, window.to);
  const maxCount = range.type === 'numbered' ? (range.numberOfOccurrences ?? 0) : Infinity;
  const skip = new Set(cancelled);
  const days: Day[] = [];
  let produced = 0;
  // Counting stops at maxCount including occurrences before the window, as Graph's numbered range does.
  const emit = (day: Day): boolean => {
    if (day < start) return true;
    if (day >= limit || produced >= maxCount) return false;
    produced++;
    if (day >= window.from && !skip.has(isoDate(day))) days.push(day);
    return true;
  };
  const interval = Math.max(1, pattern.interval);

  switch (pattern.type) {
    case 'daily': {
      for (let day = start; emit(day); day += interval);
      break;
    }
    case 'weekly': {
      const firstDay = DAYS_OF_WEEK.indexOf(pattern.firstDayOfWeek ?? 'sunday');
      const weekStart = start - ((weekdayIndex(start) - firstDay + 7) % 7);
      const offsets = (pattern.daysOfWeek ?? [])
        .map((name) => (DAYS_OF_WEEK.indexOf(name) - firstDay + 7) % 7)
        .sort((x, y) => x - y);
      outer: for (let week = weekStart; ; week += 7 * interval) {
        for (const offset of offsets) if (!emit(week + offset)) break outer;
      }
      break;
    }
    case 'absoluteMonthly':
    case 'relativeMonthly': {
      const first = yearMonthDay(start);
      for (let step = 0; ; step += interval) {
        const monthStart = dayFromParts(first.year, first.month + step, 1);
        const { year, month } = yearMonthDay(monthStart);
        let day: Day;
        if (pattern.type === 'absoluteMonthly') {
          const dayOfMonth = pattern.dayOfMonth ?? 1;
          if (dayOfMonth > daysInMonth(year, month)) continue;
          day = dayFromParts(year, month, dayOfMonth);
        } else {
          day = relativeDayInMonth(
            year,
            month,
            pattern.daysOfWeek?.[0] ?? 'monday',
            pattern.index ?? 'first',
          );
        }
        if (day < start) continue;
        if (!emit(day)) break;
      }
      break;
    }
    default:
      throw new RangeError(`The generator does not expand ${pattern.type} recurrences`);
  }
  return days;
}
