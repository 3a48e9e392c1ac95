// Graph dateTimeTimeZone values to instants. Graph names zones the Windows way ("Pacific Standard
// Time") or the IANA way ("America/Los_Angeles"); luxon knows only IANA, so Windows names go
// through windows-iana (CLDR's windowsZones mapping) first.
import { LRUCache } from 'lru-cache';
import { DateTime, IANAZone } from 'luxon';
import { findIana, WINDOWS_TO_IANA_MAP } from 'windows-iana';

/** Graph's dateTimeTimeZone: wall-clock time with no offset, and the zone it is in. */
export interface GraphDateTimeTimeZone {
  /** e.g. "2026-03-09T09:00:00.0000000" */
  dateTime: string;
  /** Windows or IANA zone name, or "UTC" */
  timeZone: string;
}

/** A dateTimeTimeZone that cannot be turned into an instant; `field` names the culprit. */
export class GraphTimeError extends Error {
  override readonly name = 'GraphTimeError';
  readonly field: 'dateTime' | 'timeZone';

  constructor(field: 'dateTime' | 'timeZone', message: string) {
    super(message);
    this.field = field;
  }
}

const UTC_NAMES = new Set([
  'utc',
  'etc/utc',
  'gmt',
  'etc/gmt',
  'z',
  'coordinated universal time',
  'tzone://microsoft/utc',
]);

// date, optional time with up to 9 fractional digits (Graph sends 7), optional offset
const DATE_TIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

let windowsNamesByLowercase: Map<string, string> | undefined;

function windowsZoneToIana(name: string): string | undefined {
  // Exchange treats Windows zone names case-insensitively; windows-iana does not
  windowsNamesByLowercase ??= new Map(
    WINDOWS_TO_IANA_MAP.map((entry) => [entry.windowsName.toLowerCase(), entry.windowsName]),
  );
  const canonical = windowsNamesByLowercase.get(name.toLowerCase());
  return canonical === undefined ? undefined : findIana(canonical)[0];
}

// NO_ZONE marks a name known to be no zone; a tenant uses few zone names, checked once each
const NO_ZONE = Symbol('no zone');
const ianaZones = new LRUCache<string, string | typeof NO_ZONE>({ max: 2_000 });

/** The IANA zone for a Graph zone name (Windows, IANA or a UTC alias); undefined when unknown. */
export function ianaTimeZone(name: string): string | undefined {
  let zone = ianaZones.get(name);
  if (zone === undefined) {
    zone = lookUpIanaTimeZone(name) ?? NO_ZONE;
    ianaZones.set(name, zone);
  }
  return zone === NO_ZONE ? undefined : zone;
}

function lookUpIanaTimeZone(name: string): string | undefined {
  const trimmed = name.trim();
  if (UTC_NAMES.has(trimmed.toLowerCase())) return 'UTC';
  if (IANAZone.isValidZone(trimmed)) return trimmed;
  return windowsZoneToIana(trimmed);
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** the offset the string carried itself, in luxon's zone syntax */
  ownZone: string | undefined;
}

/** luxon's name for the fixed zone of an ISO offset ("Z", "+05:30", "-0800"). */
function offsetZone(offset: string): string {
  if (offset === 'Z') return 'UTC';
  const digits = offset.slice(1).replace(':', '');
  return `UTC${offset[0]}${digits.slice(0, 2)}:${digits.slice(2)}`;
}

const DIGIT_0 = 48;

/** The number the ASCII digits at [start, end) spell; -1 when one is not a digit. */
function digitsAt(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - DIGIT_0;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * parseWallClock for what Graph sends ("2026-03-09T09:00:00.0000000", an instant with "Z"),
 * read character by character; undefined for anything else, which the pattern then reads.
 */
function parseGraphWallClock(dateTime: string): WallClock | undefined {
  const length = dateTime.length;
  if (
    length < 19 ||
    dateTime.charCodeAt(4) !== 0x2d ||
    dateTime.charCodeAt(7) !== 0x2d ||
    dateTime.charCodeAt(10) !== 0x54 ||
    dateTime.charCodeAt(13) !== 0x3a ||
    dateTime.charCodeAt(16) !== 0x3a
  ) {
    return undefined;
  }
  const year = digitsAt(dateTime, 0, 4);
  const month = digitsAt(dateTime, 5, 7);
  const day = digitsAt(dateTime, 8, 10);
  const hour = digitsAt(dateTime, 11, 13);
  const minute = digitsAt(dateTime, 14, 16);
  const second = digitsAt(dateTime, 17, 19);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  let end = length;
  let ownZone: string | undefined;
  if (dateTime.charCodeAt(end - 1) === 0x5a) {
    ownZone = 'UTC';
    end--;
  }
  let millisecond = 0;
  if (end > 19) {
    // a fraction of 1 to 9 digits; milliseconds are cut, not rounded
    if (dateTime.charCodeAt(19) !== 0x2e || end - 20 < 1 || end - 20 > 9) return undefined;
    if (digitsAt(dateTime, 20, end) < 0) return undefined;
    const ms = dateTime.slice(20, Math.min(end, 23)).padEnd(3, '0');
    millisecond = digitsAt(ms, 0, 3);
  }
  return { year, month, day, hour, minute, second, millisecond, ownZone };
}

function parseWallClock(dateTime: string): WallClock {
  const fast = parseGraphWallClock(dateTime);
  if (fast !== undefined) return fast;
  const match = DATE_TIME_PATTERN.exec(dateTime.trim());
  if (match === null) {
    throw new GraphTimeError(
      'dateTime',
      `"${dateTime}" is not an ISO 8601 date-time (expected YYYY-MM-DDThh:mm:ss.fffffff)`,
    );
  }
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  return {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
    // milliseconds are all the store keeps; finer digits are cut, not rounded into the next second
    millisecond: Number((fraction ?? '').padEnd(3, '0').slice(0, 3)),
    ownZone: offset === undefined ? undefined : offsetZone(offset),
  };
}

/**
 * A UTC wall clock's instant without luxon, for the common case (the sync asks Graph for UTC);
 * undefined when the fields do not name a real time (luxon then explains why) or the year is
 * below 100, which Date.UTC would read as 19xx.
 */
function utcInstant(wall: WallClock): number | undefined {
  const { year, month, day, hour, minute, second } = wall;
  // fields Date.UTC would carry into the next unit do not name a real time
  if (year < 100 || year > 9999 || month < 1 || month > 12 || day < 1) return undefined;
  if (day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, wall.millisecond);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1] as number;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/**
 * The instant (epoch ms) of a Graph dateTimeTimeZone. A wall-clock time that a DST change makes
 * ambiguous resolves to standard time, as Windows does; one inside a spring-forward gap moves
 * forward by the gap.
 */
export function toEpochMs(value: GraphDateTimeTimeZone): number {
  const wall = parseWallClock(value.dateTime);
  const zone = wall.ownZone ?? ianaTimeZone(value.timeZone);
  if (zone === undefined) {
    throw new GraphTimeError(
      'timeZone',
      `"${value.timeZone}" is neither a Windows nor an IANA time zone name`,
    );
  }
  if (zone === 'UTC') {
    const instant = utcInstant(wall);
    if (instant !== undefined) return instant;
  }
  const { ownZone: _ownZone, ...fields } = wall;
  const instant = DateTime.fromObject(fields, { zone });
  if (!instant.isValid) {
    throw new GraphTimeError(
      'dateTime',
      `"${value.dateTime}" is not a valid date-time (${instant.invalidExplanation ?? instant.invalidReason ?? 'out of range'})`,
    );
  }
  return instant.toMillis();
}

/**
 * The calendar date ('YYYY-MM-DD') of an all-day event's start or end. Graph sends all-day
 * events as midnight of their dates whatever zone was asked for, so the date part is the date.
 */
export function toLocalDate(value: GraphDateTimeTimeZone): string {
  const wall = parseWallClock(value.dateTime);
  const date = DateTime.fromObject(
    { year: wall.year, month: wall.month, day: wall.day },
    { zone: 'UTC' },
  );
  if (!date.isValid) {
    throw new GraphTimeError('dateTime', `"${value.dateTime}" is not a valid calendar date`);
  }
  return date.toISODate() as string;
}

/** Midnight UTC of a 'YYYY-MM-DD' date, in epoch ms. */
export function utcMidnightOf(date: string): number {
  return DateTime.fromISO(date, { zone: 'UTC' }).toMillis();
}
