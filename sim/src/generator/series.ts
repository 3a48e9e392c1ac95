// Edits organisers make to real series: holidays and the odd week skipped, an occurrence moved,
// and the master starting on its first occurrence.
import type { PatternedRecurrence } from '../graph-types.js';
import { type Day, isWeekend, isoDate, yearMonthDay } from './calendar-days.js';
import type { EventSink, MeetingException, MeetingPlan } from './events.js';
import type { Random } from './random.js';
import { occurrenceDays } from './recurrence.js';

/** Dates between 24 December and 1 January: series are usually skipped then. */
function isHolidaySeason(day: Day): boolean {
  const { month, dayOfMonth } = yearMonthDay(day);
  return (month === 12 && dayOfMonth >= 24) || (month === 1 && dayOfMonth <= 1);
}

/** Cancels a few past occurrences (plus holiday ones) and moves one or two, as real series have. */
export function weatherSeries(
  plan: MeetingPlan,
  sink: EventSink,
  rng: Random,
  anchor: Day,
  options: { cancel?: number; move?: number } = {},
): void {
  const occurrences = sink.occurrencesOf(plan);
  const past = occurrences.filter((day) => day < anchor);
  const cancelled = new Set(occurrences.filter(isHolidaySeason));
  for (const day of rng.sample(past, options.cancel ?? rng.int(0, 2))) cancelled.add(day);
  const exceptions: MeetingException[] = [];
  const movable = occurrences.filter((day) => !cancelled.has(day));
  for (const day of rng.sample(movable, options.move ?? rng.int(0, 1))) {
    const shiftDay = rng.chance(0.5) && !isWeekend(day + 1);
    exceptions.push({
      originalDay: day,
      day: shiftDay ? day + 1 : day,
      startMinutes: shiftDay ? plan.startMinutes : Math.min(plan.startMinutes + 60, 17 * 60),
      durationMinutes: plan.durationMinutes,
    });
  }
  if (cancelled.size) plan.cancelledDays = [...cancelled].sort((a, b) => a - b);
  if (exceptions.length) plan.exceptions = exceptions.sort((a, b) => a.originalDay - b.originalDay);
}

/** Graph masters start on their first occurrence; move a plan's day there. */
export function alignSeriesStart(plan: MeetingPlan): void {
  if (!plan.recurrence) return;
  const recurrence: PatternedRecurrence = {
    pattern: plan.recurrence.pattern,
    range: { type: 'noEnd', startDate: isoDate(plan.day) },
  };
  const first = occurrenceDays(recurrence, { from: plan.day, to: plan.day + 800 })[0];
  if (first !== undefined) plan.day = first;
}
