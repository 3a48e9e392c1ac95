// Windows time zone names (what Exchange stores) to UTC offsets on a given local day.
import { DateTime } from 'luxon';
import { findIana } from 'windows-iana';
import { type Day, isoDate } from './calendar-days.js';

const ianaByWindows = new Map<string, string>();

export function ianaZone(windowsTimeZone: string): string {
  let iana = ianaByWindows.get(windowsTimeZone);
  if (!iana) {
    iana = windowsTimeZone === 'UTC' ? 'UTC' : findIana(windowsTimeZone)?.[0];
    if (!iana) throw new RangeError(`Unknown Windows time zone "${windowsTimeZone}"`);
    ianaByWindows.set(windowsTimeZone, iana);
  }
  return iana;
}

/** Minutes the zone is ahead of UTC at that local wall-clock time (local = UTC + offset). */
export function windowsZoneOffsetMinutes(
  windowsTimeZone: string,
  day: Day,
  minutes: number,
): number {
  const local = DateTime.fromISO(`${isoDate(day)}T00:00:00`, {
    zone: ianaZone(windowsTimeZone),
  }).plus({
    minutes,
  });
  return local.offset;
}
