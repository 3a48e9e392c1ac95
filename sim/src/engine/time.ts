// Time zones and Graph dateTime strings. Graph accepts Windows zone names ("Pacific Standard Time")
// and IANA names ("America/Los_Angeles"); luxon only knows IANA, so Windows names go through
// windows-iana first.
import { IANAZone } from 'luxon';
import { findIana, WINDOWS_TO_IANA_MAP } from 'windows-iana';
import type { DateTimeTimeZone, GraphEvent } from '../graph-types.js';

export const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;
const OFFSET_BUCKET_MS = 15 * MS_PER_MINUTE;

/** A resolved zone with a cache of UTC offsets, so recurrence expansion stays cheap. */
export interface Zone {
  /** The name as the caller gave it (echoed back in served events). */
  readonly name: string;
  readonly iana: string;
  readonly isUtc: boolean;
  readonly luxonZone: IANAZone;
  /** Offset in minutes by local day, or null for a day with a DST change. */
  readonly offsetByLocalDay: Map<number, number | null>;
  /** Offset in minutes by 15-minute bucket of local wall-clock time, for DST-change days. */
  readonly offsetByLocalBucket: Map<number, number>;
}

const UTC_ALIASES = new Set([
  'utc',
  'etc/utc',
  'gmt',
  'etc/gmt',
  'z',
  'zulu',
  'tzone://microsoft/utc',
  'coordinated universal time',
]);

const windowsNamesLowercase = new Map<string, string>();
const zoneCache = new Map<string, Zone | null>();

function ianaFromWindows(name: string): string | undefined {
  const direct = findIana(name)[0];
  if (direct !== undefined) return direct;
  // Windows names are case-insensitive in Exchange
  if (windowsNamesLowercase.size === 0) {
    for (const entry of Object.values(WINDOWS_TO_IANA_MAP)) {
      windowsNamesLowercase.set(entry.windowsName.toLowerCase(), entry.windowsName);
    }
  }
  const canonical = windowsNamesLowercase.get(name.toLowerCase());
  return canonical === undefined ? undefined : findIana(canonical)[0];
}

/** The zone for a Windows or IANA name, or undefined when neither knows it. */
export function findZone(name: string): Zone | undefined {
  const cached = zoneCache.get(name);
  if (cached !== undefined) return cached ?? undefined;
  let iana: string | undefined;
  if (UTC_ALIASES.has(name.trim().toLowerCase())) iana = 'UTC';
  else if (IANAZone.isValidZone(name)) iana = name;
  else iana = ianaFromWindows(name);
  const zone: Zone | null =
    iana === undefined
      ? null
      : {
          name,
          iana,
          isUtc: iana === 'UTC' || iana === 'Etc/UTC',
          luxonZone: IANAZone.create(iana),
          offsetByLocalDay: new Map(),
          offsetByLocalBucket: new Map(),
        };
  zoneCache.set(name, zone);
  return zone ?? undefined;
}

/** The IANA name for a Windows or IANA zone name, or undefined when unknown. */
export function resolveTimeZone(name: string): string | undefined {
  return findZone(name)?.iana;
}

export function requireZone(name: string): Zone {
  const zone = findZone(name);
  if (zone === undefined) throw new RangeError(`unknown time zone "${name}"`);
  return zone;
}

/** UTC offset in minutes of `zone` at the instant `utcMs`. */
export function offsetAt(zone: Zone, utcMs: number): number {
  return zone.isUtc ? 0 : zone.luxonZone.offset(utcMs);
}

/**
 * The instant of a local wall-clock time (given as milliseconds "as if UTC"). Nonexistent times
 * in a spring-forward gap resolve to one side of the gap; ambiguous ones to the first instant.
 */
export function localToUtc(zone: Zone, localMs: number): number {
  if (zone.isUtc) return localMs;
  const day = Math.floor(localMs / MS_PER_DAY);
  let dayOffset = zone.offsetByLocalDay.get(day);
  if (dayOffset === undefined) {
    // a day whose first and last quarter-hours share an offset has no DST change inside it
    const first = bucketOffset(zone, day * (MS_PER_DAY / OFFSET_BUCKET_MS));
    const last = bucketOffset(zone, (day + 1) * (MS_PER_DAY / OFFSET_BUCKET_MS) - 1);
    dayOffset = first === last ? first : null;
    zone.offsetByLocalDay.set(day, dayOffset);
  }
  const offset = dayOffset ?? bucketOffset(zone, Math.floor(localMs / OFFSET_BUCKET_MS));
  return localMs - offset * MS_PER_MINUTE;
}

function bucketOffset(zone: Zone, bucket: number): number {
  let offset = zone.offsetByLocalBucket.get(bucket);
  if (offset === undefined) {
    const bucketStart = bucket * OFFSET_BUCKET_MS;
    const firstGuess = zone.luxonZone.offset(bucketStart);
    offset = zone.luxonZone.offset(bucketStart - firstGuess * MS_PER_MINUTE);
    zone.offsetByLocalBucket.set(bucket, offset);
  }
  return offset;
}

export function utcToLocal(zone: Zone, utcMs: number): number {
  return utcMs + offsetAt(zone, utcMs) * MS_PER_MINUTE;
}

const DATE_TIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses a Graph dateTime ("2026-09-01T09:00:00.0000000") into wall-clock milliseconds "as if
 * UTC", or, when the string carries its own offset, into `{ instantMs }`.
 */
export function parseDateTime(
  text: string,
):
  | { localMs: number; instantMs?: undefined }
  | { instantMs: number; localMs?: undefined }
  | undefined {
  const match = DATE_TIME_PATTERN.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction, offset] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  const wallClock = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (offset === undefined) return { localMs: wallClock };
  if (offset === 'Z') return { instantMs: wallClock };
  const sign = offset.startsWith('-') ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return { instantMs: wallClock - sign * offsetMinutes * MS_PER_MINUTE };
}

/** The instant a Graph dateTimeTimeZone denotes; throws a RangeError naming what is wrong. */
export function instantOf(value: DateTimeTimeZone): number {
  const parsed = parseDateTime(value.dateTime);
  if (parsed === undefined) throw new RangeError(`invalid dateTime "${value.dateTime}"`);
  if (parsed.instantMs !== undefined) return parsed.instantMs;
  return localToUtc(requireZone(value.timeZone), parsed.localMs);
}

/** The end that keeps `lengthMs` after `start`, written in the start's zone. */
export function endAfter(start: DateTimeTimeZone, lengthMs: number): DateTimeTimeZone {
  const zone = requireZone(start.timeZone);
  return {
    dateTime: formatWallClock(utcToLocal(zone, instantOf(start) + lengthMs)),
    timeZone: start.timeZone,
  };
}

/** "2026-09-01T16:00:00.0000000": Graph's dateTime format, 7 fractional digits, no offset. */
export function formatWallClock(wallClockMs: number): string {
  return `${new Date(wallClockMs).toISOString().slice(0, 23)}0000`;
}

/** "2026-09-01T16:00:00Z"-style instant as Graph writes createdDateTime and response times. */
export function formatInstant(utcMs: number): string {
  return `${new Date(utcMs).toISOString().slice(0, 23)}0000Z`;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Days since 1970-01-01 of a "YYYY-MM-DD" date, or undefined when it is not a real date. */
export function parseDateOnly(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function formatDateOnly(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * Converts a served event's start/end into another zone, as `Prefer: outlook.timezone` does.
 * All-day events keep their dates at midnight, only relabelled. Throws on an unknown zone.
 */
export function toTimeZone<E extends GraphEvent>(event: E, zone: string): E {
  const target = requireZone(zone);
  const convert = (value: DateTimeTimeZone): DateTimeTimeZone => {
    if (event.isAllDay === true) return { dateTime: value.dateTime, timeZone: zone };
    return { dateTime: formatWallClock(utcToLocal(target, instantOf(value))), timeZone: zone };
  };
  return { ...event, start: convert(event.start), end: convert(event.end) };
}
