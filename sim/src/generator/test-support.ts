// Reads a generated tenant file the way a consumer would, independently of the generator's own
// planning code: recurrence is expanded with rrule, people are resolved by address.
import { RRule, type Weekday } from 'rrule';
import type { DayOfWeek, GraphEvent, PatternedRecurrence, TenantFile } from '../graph-types.js';

const MS_PER_DAY = 86_400_000;

const RRULE_DAYS: Record<DayOfWeek, Weekday> = {
  sunday: RRule.SU,
  monday: RRule.MO,
  tuesday: RRule.TU,
  wednesday: RRule.WE,
  thursday: RRule.TH,
  friday: RRule.FR,
  saturday: RRule.SA,
};

const NTH = { first: 1, second: 2, third: 3, fourth: 4, last: -1 } as const;

function utcDate(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00Z`);
}

/** Local start dates ("YYYY-MM-DD") of a series' occurrences in [from, to), cancelled ones removed. */
export function expandSeries(
  recurrence: PatternedRecurrence,
  from: string,
  to: string,
  cancelled: readonly string[] = [],
): string[] {
  const { pattern, range } = recurrence;
  const days = (pattern.daysOfWeek ?? []).map((day) => RRULE_DAYS[day]);
  const options: ConstructorParameters<typeof RRule>[0] = {
    dtstart: utcDate(range.startDate),
    interval: pattern.interval,
    wkst: RRULE_DAYS[pattern.firstDayOfWeek ?? 'sunday'],
  };
  switch (pattern.type) {
    case 'daily':
      options.freq = RRule.DAILY;
      break;
    case 'weekly':
      options.freq = RRule.WEEKLY;
      options.byweekday = days;
      break;
    case 'absoluteMonthly':
      options.freq = RRule.MONTHLY;
      options.bymonthday = pattern.dayOfMonth ?? 1;
      break;
    case 'relativeMonthly':
      options.freq = RRule.MONTHLY;
      options.byweekday = days.map((day) => day.nth(NTH[pattern.index ?? 'first']));
      break;
    default:
      throw new Error(`test reader does not expand ${pattern.type}`);
  }
  if (range.type === 'endDate' && range.endDate) {
    options.until = new Date(utcDate(range.endDate).getTime() + MS_PER_DAY - 1);
  }
  if (range.type === 'numbered') options.count = range.numberOfOccurrences ?? 0;
  const until = new Date(utcDate(to).getTime() - 1);
  const skip = new Set(cancelled);
  return new RRule(options)
    .between(utcDate(from), until, true)
    .map((date) => date.toISOString().slice(0, 10))
    .filter((date) => !skip.has(date));
}

/** Local start dates of a meeting (a single instance or every occurrence of a series). */
export function occurrenceDates(event: GraphEvent, from: string, to: string): string[] {
  if (event.recurrence) return expandSeries(event.recurrence, from, to, event.cancelledOccurrences);
  const date = event.start.dateTime.slice(0, 10);
  return date >= from && date < to ? [date] : [];
}

export interface TenantIndex {
  tenant: TenantFile;
  /** User id by lower-cased mail. */
  userByMail: Map<string, string>;
  groupMails: Set<string>;
  internalDomains: Set<string>;
  /** Every meeting once, with the user id it is filed under. */
  meetings: Array<{ holder: string; event: GraphEvent }>;
  purposeOf: (userId: string) => string | undefined;
}

export function indexTenant(tenant: TenantFile): TenantIndex {
  const userByMail = new Map<string, string>();
  for (const user of tenant.users) if (user.mail) userByMail.set(user.mail.toLowerCase(), user.id);
  const groupMails = new Set(
    tenant.groups.flatMap((group) => (group.mail ? [group.mail.toLowerCase()] : [])),
  );
  const internalDomains = new Set(
    tenant.organization.verifiedDomains.map((domain) => domain.name.toLowerCase()),
  );
  const meetings = Object.entries(tenant.events).flatMap(([key, events]) =>
    events.map((event) => ({ holder: key.split('/')[0] as string, event })),
  );
  return {
    tenant,
    userByMail,
    groupMails,
    internalDomains,
    meetings,
    purposeOf: (userId) => tenant.mailboxSettings?.[userId]?.userPurpose?.value,
  };
}

export function domainOf(address: string): string {
  return address.slice(address.indexOf('@') + 1).toLowerCase();
}

/** People on a meeting (organizer first), rooms and equipment left out. */
export function peopleOn(event: GraphEvent): Array<{ address: string; response: string }> {
  const organizer = event.organizer?.emailAddress.address.toLowerCase() ?? '';
  return [
    { address: organizer, response: 'organizer' },
    ...(event.attendees ?? [])
      .filter((attendee) => attendee.type !== 'resource')
      .map((attendee) => ({
        address: attendee.emailAddress.address.toLowerCase(),
        response: attendee.status.response,
      })),
  ];
}

/** Whether the person organised the meeting or accepted it. */
export function tookPart(event: GraphEvent, address: string): boolean {
  const wanted = address.toLowerCase();
  return peopleOn(event).some(
    (person) =>
      person.address === wanted &&
      (person.response === 'organizer' || person.response === 'accepted'),
  );
}

/**
 * Mailbox instances per user id in [from, to): every occurrence in the calendar of the organizer
 * and each internal attendee with a mailbox (rooms included), cancelled meetings and occurrences
 * left out.
 */
export function mailboxInstances(
  index: TenantIndex,
  from: string,
  to: string,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { holder, event } of index.meetings) {
    if (event.isCancelled) continue;
    const occurrences = occurrenceDates(event, from, to).length;
    if (occurrences === 0) continue;
    const holders = new Set<string>([holder]);
    const organizer = index.userByMail.get(
      event.organizer?.emailAddress.address.toLowerCase() ?? '',
    );
    if (organizer) holders.add(organizer);
    for (const attendee of event.attendees ?? []) {
      const user = index.userByMail.get(attendee.emailAddress.address.toLowerCase());
      if (user) holders.add(user);
    }
    for (const user of holders) counts.set(user, (counts.get(user) ?? 0) + occurrences);
  }
  return counts;
}

const RSVP_WEIGHT: Record<string, number> = {
  organizer: 1,
  accepted: 1,
  tentativelyAccepted: 0.5,
  none: 0.3,
  notResponded: 0.3,
  declined: 0,
};

function minutesBetween(event: GraphEvent): number {
  return (Date.parse(`${event.end.dateTime}Z`) - Date.parse(`${event.start.dateTime}Z`)) / 60_000;
}

/**
 * Employees ranked per company domain, best first. `reference` follows scoring-research.md §5.1
 * (size 1/(n−1) up to 30 people, answers, organiser, recurrence, 90/365-day decay, reciprocity
 * gate; cancelled, private and all-day items ignored; disabled accounts left out); `naive` just
 * counts every occurrence shared with someone at the domain.
 */
export function rankConnectors(
  index: TenantIndex,
  window: { start: string; anchor: string },
  method: 'reference' | 'naive',
): Map<string, string[]> {
  const anchorMs = Date.parse(`${window.anchor}T00:00:00Z`);
  const enabled = new Set(
    index.tenant.users
      .filter((u) => u.accountEnabled !== false && u.mail)
      .map((u) => u.mail?.toLowerCase() ?? ''),
  );
  const pairs = new Map<string, { warm: number; history: number; reciprocated: boolean }>();
  for (const { event } of index.meetings) {
    const people = peopleOn(event);
    const dates = occurrenceDates(event, window.start, window.anchor);
    if (dates.length === 0) continue;
    const ignored =
      event.isCancelled || event.sensitivity === 'private' || event.isAllDay || people.length > 30;
    if (method === 'reference' && ignored) continue;
    const minutes = Math.min(minutesBetween(event), 240);
    for (const employee of people.filter((p) => enabled.has(p.address))) {
      for (const outsider of people.filter(
        (p) => !index.internalDomains.has(domainOf(p.address)),
      )) {
        const key = `${employee.address}|${outsider.address}`;
        const pair = pairs.get(key) ?? { warm: 0, history: 0, reciprocated: false };
        for (const date of dates) {
          if (method === 'naive') {
            pair.warm += 1;
            continue;
          }
          const ageDays = (anchorMs - Date.parse(`${date}T12:00:00Z`)) / 86_400_000;
          const weight =
            (1 / (people.length - 1)) *
            Math.sqrt(minutes / 30) *
            (RSVP_WEIGHT[employee.response] ?? 0) *
            (RSVP_WEIGHT[outsider.response] ?? 0) *
            (employee.response === 'organizer' || outsider.response === 'organizer' ? 1.5 : 1) *
            (event.recurrence ? 0.75 : 1);
          pair.warm += weight * 0.5 ** (ageDays / 90);
          pair.history += weight * 0.5 ** (ageDays / 365);
        }
        if (outsider.response === 'accepted' || outsider.response === 'organizer')
          pair.reciprocated = true;
        pairs.set(key, pair);
      }
    }
  }
  // Company score: noisy-OR over the employee's three best contacts at the domain.
  const byDomain = new Map<string, Map<string, number[]>>();
  for (const [key, pair] of pairs) {
    const [employee = '', outsider = ''] = key.split('|');
    let score = pair.warm;
    if (method === 'reference') {
      score = Math.max(
        100 * (1 - Math.exp(-pair.warm / 5.2)),
        60 * (1 - Math.exp(-pair.history / 21)),
      );
      if (!pair.reciprocated) score = Math.min(score, 39);
    }
    const employees = byDomain.get(domainOf(outsider)) ?? new Map<string, number[]>();
    employees.set(employee, [...(employees.get(employee) ?? []), score]);
    byDomain.set(domainOf(outsider), employees);
  }
  const ranking = new Map<string, string[]>();
  for (const [domain, employees] of byDomain) {
    const scored = [...employees.entries()].map(([employee, scores]) => {
      const best = scores.sort((a, b) => b - a).slice(0, 3);
      const combined =
        method === 'naive'
          ? best.reduce((a, b) => a + b, 0)
          : 100 * (1 - best.reduce((p, s) => p * (1 - s / 100), 1));
      return { employee, combined };
    });
    ranking.set(
      domain,
      scored
        .sort((a, b) => b.combined - a.combined || a.employee.localeCompare(b.employee))
        .map((s) => s.employee),
    );
  }
  return ranking;
}

/** NDCG@5 of a ranking against graded relevance (strong 3, medium 2, weak 1). */
export function ndcgAt5(ranked: readonly string[], relevance: ReadonlyMap<string, number>): number {
  const dcg = ranked
    .slice(0, 5)
    .reduce((sum, item, i) => sum + (relevance.get(item) ?? 0) / Math.log2(i + 2), 0);
  const ideal = [...relevance.values()]
    .sort((a, b) => b - a)
    .slice(0, 5)
    .reduce((sum, gain, i) => sum + gain / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}
