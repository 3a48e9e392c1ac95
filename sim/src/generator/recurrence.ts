// Occurrence dates of the series the generator writes, by the engine's own expansion, so the
// calendar volume it sizes and the planted truth it derives match what the simulator serves.
import { expandRecurrence } from '../engine/recurrence.js';
import type { PatternedRecurrence } from '../graph-types.js';
import { type Day, isoDate } from './calendar-days.js';

/**
 * Occurrence dates of a series (in its own time zone's calendar) that fall in [from, to),
 * skipping `cancelled` original dates.
 */
export function occurrenceDays(
  recurrence: PatternedRecurrence,
  window: { from: Day; to: Day },
  cancelled: readonly string[] = [],
): Day[] {
  const skip = new Set(cancelled);
  return expandRecurrence(recurrence, window.to - 1).filter(
    (day) => day >= window.from && !skip.has(isoDate(day)),
  );
}
