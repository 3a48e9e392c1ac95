// Plants who knows which company, and lays down the meetings that make it true: frequent recent
// 1:1s for strong ties, business reviews or a past 1:1 series for medium ones, a couple of older
// meetings for weak ones, and per-company noise (declined cold outreach, cancellations).
import type { DayOfWeek, ResponseType } from '../graph-types.js';
import {
  type Day,
  dayOfWeekName,
  isWeekend,
  isoDate,
  nextDayOfWeek,
  weekdayOf,
  yearMonthDay,
} from './calendar-days.js';
import { plantCompanyNoise, plantDepartedOwners } from './company-noise.js';
import { type EventSink, type MeetingPlan, SMALL_MEETING_MAX_PEOPLE } from './events.js';
import {
  adHocCustomerSubject,
  customerAgenda,
  customerOfficePlace,
  customerOneOnOneSubject,
  internalAgenda,
  introAgenda,
  introSubject,
  restaurantPlace,
} from './meeting-text.js';
import type { Employee, ExternalCompany, ExternalContact, Participant, Region } from './model.js';
import { isRemote } from './offices.js';
import {
  type GenerationContext,
  attendee,
  companyContacts,
  contactParticipant,
  employeeParticipant,
  randomWorkday,
  startTime,
  weekly,
  workdayFrom,
} from './planning.js';
import { Random } from './random.js';
import { alignSeriesStart, weatherSeries } from './series.js';

export type Tier = 'strong' | 'medium' | 'weak';

export interface PlantedConnector {
  userId: string;
  email: string;
  tier: Tier;
  /** Emails of the company's people this employee has really met (accepted, small meetings). */
  contacts: string[];
}

export interface PlantedCompany {
  domain: string;
  name: string;
  /** Strongest first. */
  connectors: PlantedConnector[];
}

/** The truth a relationship scorer is evaluated against. */
export interface PlantedRelationships {
  seed: number;
  anchor: string;
  companies: PlantedCompany[];
}

const TIER_ORDER: Record<Tier, number> = { strong: 0, medium: 1, weak: 2 };

/** Whether a person took part: organised, or accepted the invitation. */
function tookPart(plan: MeetingPlan, address: string): boolean {
  if (plan.organizer.address === address) return true;
  return plan.attendees.some(
    (a) => a.who.address === address && a.type !== 'resource' && a.response === 'accepted',
  );
}

function peopleCount(plan: MeetingPlan): number {
  return 1 + plan.attendees.filter((a) => a.type !== 'resource').length;
}

/**
 * Occurrences before the anchor of small, accepted, non-private meetings the employee had with
 * the company's people: the evidence a planted tier rests on.
 */
export function smallMeetingEvidence(
  plans: readonly MeetingPlan[],
  employee: Employee,
  company: ExternalCompany,
  sink: EventSink,
  anchor: Day,
): { occurrences: number; contacts: Map<string, number> } {
  const address = employee.mail ?? '';
  const contacts = new Map<string, number>();
  let occurrences = 0;
  for (const plan of plans) {
    if (
      plan.isCancelled ||
      plan.sensitivity === 'private' ||
      peopleCount(plan) > SMALL_MEETING_MAX_PEOPLE
    )
      continue;
    if (!tookPart(plan, address)) continue;
    const met = company.contacts.filter((contact) => tookPart(plan, contact.email));
    if (met.length === 0) continue;
    const past = sink.occurrencesOf(plan).filter((day) => day < anchor).length;
    occurrences += past;
    for (const contact of met)
      contacts.set(contact.email, (contacts.get(contact.email) ?? 0) + past);
  }
  return { occurrences, contacts };
}

export interface Pools {
  salesByRegion: Record<Region, Employee[]>;
  customerSuccess: Employee[];
  partnerships: Employee[];
  solutionsEngineers: Employee[];
  productManagers: Employee[];
  broad: Employee[];
  developmentReps: Employee[];
  unplannedNoise: Employee[];
}

function buildPools(ctx: GenerationContext): Pools {
  const eligible = ctx.org.employees.filter(
    (employee) =>
      employee.enabled && employee.mail !== null && employee.hireDay <= ctx.historyStart,
  );
  const byRegion = (region: Region): Employee[] =>
    eligible.filter(
      (employee) =>
        employee.team.region === region &&
        (employee.role === 'account-executive' || employee.role === 'team-manager'),
    );
  const is =
    (...roles: Employee['role'][]) =>
    (employee: Employee) =>
      roles.includes(employee.role);
  return {
    salesByRegion: {
      americas: byRegion('americas'),
      emea: byRegion('emea'),
      apac: byRegion('apac'),
    },
    customerSuccess: eligible.filter(
      (e) => e.department === 'Customer Success' && e.role !== 'department-head',
    ),
    partnerships: eligible.filter((e) => e.department === 'Partnerships'),
    solutionsEngineers: eligible.filter(is('solutions-engineer')),
    productManagers: eligible.filter(is('product-manager')),
    // Executives are planted on purpose (the CRO as sponsor, the CEO at a dinner), not at random.
    broad: eligible.filter((e) => e.department !== 'Executives' && e.role !== 'sales-development'),
    developmentReps: eligible.filter(is('sales-development')),
    unplannedNoise: eligible.filter(
      is('engineer', 'product-manager', 'marketer', 'solutions-engineer'),
    ),
  };
}

class LoadBalancer {
  private readonly load = new Map<string, number>();
  constructor(private readonly rng: Random) {}

  /** The candidate with the least load relative to its weight (ties broken at random). */
  choose(
    candidates: ReadonlyArray<readonly [Employee, number]>,
    exclude: ReadonlySet<string>,
  ): Employee | undefined {
    let best: Employee | undefined;
    let bestScore = Infinity;
    for (const [employee, weight] of candidates) {
      if (exclude.has(employee.id) || weight <= 0) continue;
      const score = ((this.load.get(employee.id) ?? 0) + this.rng.real(0, 0.95)) / weight;
      if (score < bestScore) {
        bestScore = score;
        best = employee;
      }
    }
    if (best) this.load.set(best.id, (this.load.get(best.id) ?? 0) + 1);
    return best;
  }
}

export interface CompanyCast {
  company: ExternalCompany;
  strong: Employee;
  mediums: Array<{ employee: Employee; variant: 'group' | 'ended' }>;
  weaks: Employee[];
  plans: MeetingPlan[];
}

export function plantRelationships(ctx: GenerationContext): PlantedRelationships {
  const rng = new Random(ctx.seed, 'relationships');
  const { anchor, historyStart, org, world, sink } = ctx;
  const history = anchor - historyStart;
  const ago = (fraction: number): Day => Math.round(anchor - history * fraction);
  const pools = buildPools(ctx);
  const strongBalance = new LoadBalancer(rng);
  const mediumBalance = new LoadBalancer(rng);
  const weakBalance = new LoadBalancer(rng);
  const { cro, ceo } = org.executive;
  const ours = org.displayName;

  const casts: CompanyCast[] = [];
  for (const [companyIndex, company] of world.companies.entries()) {
    const chosen = new Set<string>();
    const regionSales = pools.salesByRegion[company.region];
    const strong =
      strongBalance.choose(
        [
          ...regionSales.map((e) => [e, 3] as const),
          ...pools.customerSuccess.map((e) => [e, 1.2] as const),
          ...pools.partnerships.map((e) => [e, 0.6] as const),
        ],
        chosen,
      ) ?? cro;
    chosen.add(strong.id);
    chosen.add(cro.id);

    const mediumCount = company.keyAccount ? 2 : rng.chance(0.3) ? 2 : 1;
    const mediums: CompanyCast['mediums'] = [];
    for (let i = 0; i < mediumCount; i++) {
      const employee = mediumBalance.choose(
        [
          ...pools.customerSuccess.map((e) => [e, 2] as const),
          ...regionSales.map((e) => [e, 1] as const),
          ...pools.solutionsEngineers.map((e) => [e, 1.5] as const),
          ...pools.partnerships.map((e) => [e, 0.8] as const),
          ...pools.productManagers.map((e) => [e, 0.5] as const),
        ],
        chosen,
      );
      if (!employee) break;
      chosen.add(employee.id);
      const variant =
        i === 0 && (company.keyAccount || rng.chance(0.5))
          ? 'group'
          : rng.chance(0.4)
            ? 'group'
            : 'ended';
      mediums.push({ employee, variant });
    }

    const weaks: Employee[] = [];
    const weakCount = company.keyAccount ? rng.int(1, 2) : rng.int(1, 3);
    for (let i = 0; i < weakCount; i++) {
      const employee = weakBalance.choose(
        pools.broad.map((e) => [e, 1] as const),
        chosen,
      );
      if (!employee) break;
      chosen.add(employee.id);
      weaks.push(employee);
    }
    if (company.keyAccount) weaks.push(cro);
    else if (companyIndex % 8 === 3 && !chosen.has(ceo.id)) weaks.push(ceo);
    casts.push({ company, strong, mediums, weaks, plans: [] });
  }

  for (const cast of casts) {
    planCompanyMeetings(cast, ctx, rng, ago, ours);
    balanceTiers(cast, ctx, rng, ago);
  }

  const planted: PlantedCompany[] = casts.map((cast) => {
    const connectors: Array<PlantedConnector & { evidence: number }> = [];
    const add = (employee: Employee, tier: Tier): void => {
      const evidence = smallMeetingEvidence(cast.plans, employee, cast.company, sink, anchor);
      const contacts = [...evidence.contacts.entries()]
        .filter(([, count]) => count > 0)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([email]) => email);
      connectors.push({
        userId: employee.id,
        email: employee.mail ?? '',
        tier,
        contacts,
        evidence: evidence.occurrences,
      });
    };
    add(cast.strong, 'strong');
    for (const medium of cast.mediums) add(medium.employee, 'medium');
    for (const weak of cast.weaks) add(weak, 'weak');
    connectors.sort(
      (a, b) =>
        TIER_ORDER[a.tier] - TIER_ORDER[b.tier] ||
        b.evidence - a.evidence ||
        a.userId.localeCompare(b.userId),
    );
    return {
      domain: cast.company.domain,
      name: cast.company.name,
      connectors: connectors.map(({ userId, email, tier, contacts }) => ({
        userId,
        email,
        tier,
        contacts,
      })),
    };
  });

  plantDepartedOwners(casts, ctx, rng, ago);
  for (const cast of casts) plantCompanyNoise(cast, ctx, rng, ours, pools);
  for (const cast of casts) for (const plan of cast.plans) sink.emit(plan);
  return { seed: ctx.seed, anchor: isoDate(anchor), companies: planted };
}

const MEETING_DAYS: ReadonlyArray<readonly [DayOfWeek, number]> = [
  ['monday', 2],
  ['tuesday', 4],
  ['wednesday', 4],
  ['thursday', 4],
  ['friday', 1],
];

function roomFor(ctx: GenerationContext, rng: Random, employee: Employee): MeetingPlan['room'] {
  if (isRemote(employee.office)) return undefined;
  const rooms = ctx.org.rooms.filter((room) => room.office.key === employee.office.key);
  return rooms.length ? rng.pick(rooms) : undefined;
}

function planCompanyMeetings(
  cast: CompanyCast,
  ctx: GenerationContext,
  rng: Random,
  ago: (fraction: number) => Day,
  ours: string,
): void {
  const { company, strong, mediums, weaks } = cast;
  const { anchor, historyStart, horizon, sink } = ctx;
  const domainContacts = companyContacts(company);
  const personal = company.contacts.find((contact) => contact.personalDomain);
  const primary = domainContacts[0] ?? (company.contacts[0] as ExternalContact);
  const secondary = domainContacts[1] ?? primary;
  const executiveContact = domainContacts[2] ?? secondary;
  const notBefore = historyStart + 3;
  const external = (contact: ExternalContact): Participant => contactParticipant(contact);
  const own = (employee: Employee): Participant => employeeParticipant(employee);

  // Strong: a weekly or fortnightly 1:1 running for many months up to now.
  const contactOrganises = rng.chance(0.25);
  const strongDay = nextDayOfWeek(
    workdayFrom(ago(rng.real(0.32, 0.62)), notBefore),
    rng.weighted(MEETING_DAYS),
  );
  const oneOnOne: MeetingPlan = {
    subject: customerOneOnOneSubject(rng, company, ours),
    agenda: customerAgenda(rng, company),
    organizer: contactOrganises ? external(primary) : own(strong),
    timeZone: contactOrganises ? company.timeZone : strong.timeZone,
    attendees: [attendee(contactOrganises ? own(strong) : external(primary))],
    day: strongDay,
    startMinutes: startTime(rng, 9 * 60, 15 * 60),
    durationMinutes: rng.weighted([
      [30, 6],
      [45, 2],
      [60, 2],
    ] as const),
    recurrence: {
      pattern: weekly([dayOfWeekName(strongDay)], rng.chance(0.35) ? 1 : 2),
      ...(rng.chance(0.55) ? {} : { endDay: Math.min(horizon - 1, anchor + rng.int(20, 85)) }),
    },
    online: true,
    ...(contactOrganises ? { owner: strong } : {}),
  };
  weatherSeries(oneOnOne, sink, rng, anchor, { cancel: rng.int(1, 3), move: rng.int(1, 2) });
  cast.plans.push(oneOnOne);

  const strongAdHocCount = rng.int(2, 5);
  const recentWindow = Math.min(150, Math.round((anchor - historyStart) * 0.3));
  for (let i = 0; i <= strongAdHocCount; i++) {
    const future = i === strongAdHocCount;
    const day = future
      ? randomWorkday(rng, anchor + 3, Math.min(horizon - 3, anchor + 60))
      : randomWorkday(rng, anchor - recentWindow, anchor - 2);
    cast.plans.push(
      adHocCustomerMeeting(
        ctx,
        rng,
        company,
        strong,
        rng.pick([[primary], [primary, secondary], ...(personal ? [[personal]] : [])]),
        day,
      ),
    );
  }

  // Medium, kind one: a monthly business review with the account team.
  const groupMediums = mediums
    .filter((medium) => medium.variant === 'group')
    .map((medium) => medium.employee);
  if (groupMediums.length) {
    const organiser = rng.chance(0.3) ? strong : (groupMediums[0] as Employee);
    const contacts = [
      primary,
      ...(secondary !== primary ? [secondary] : []),
      ...(personal ? [personal] : []),
    ].slice(0, 3);
    const startDay = workdayFrom(ago(rng.real(0.38, 0.6)), notBefore);
    const dayOfWeek = rng.pick(['tuesday', 'wednesday', 'thursday'] as const);
    const room = roomFor(ctx, rng, organiser);
    const review: MeetingPlan = {
      subject: rng.pick([
        `${company.name} monthly business review`,
        `MBR: ${company.name}`,
        `${company.name} account review`,
      ]),
      agenda: customerAgenda(rng, company),
      organizer: own(organiser),
      timeZone: organiser.timeZone,
      attendees: [
        ...[strong, ...groupMediums].filter((e) => e !== organiser).map((e) => attendee(own(e))),
        ...contacts.map((contact) => attendee(external(contact))),
      ],
      day: startDay,
      startMinutes: startTime(rng, 9 * 60, 15 * 60),
      durationMinutes: rng.pick([45, 60]),
      recurrence: {
        pattern: {
          type: 'relativeMonthly',
          interval: 1,
          daysOfWeek: [dayOfWeek],
          index: rng.pick(['first', 'second', 'third'] as const),
        },
        ...(rng.chance(0.6) ? {} : { endDay: Math.min(horizon - 1, anchor + rng.int(30, 85)) }),
      },
      online: true,
      ...(room && rng.chance(0.4) ? { room } : {}),
    };
    alignSeriesStart(review);
    weatherSeries(review, sink, rng, anchor, { cancel: rng.int(0, 1), move: 0 });
    const occurrences = sink
      .occurrencesOf(review)
      .filter((day) => day < anchor && !(review.cancelledDays ?? []).includes(day));
    const declinedOnce = occurrences.length > 2 ? rng.pick(occurrences.slice(1)) : undefined;
    if (declinedOnce !== undefined && contacts.length > 1) {
      // One month the second contact could not make it.
      review.exceptions = [
        ...(review.exceptions ?? []),
        {
          originalDay: declinedOnce,
          day: declinedOnce,
          startMinutes: review.startMinutes,
          durationMinutes: review.durationMinutes,
          attendees: review.attendees.map((a) =>
            a.who.address === contacts[1]?.email
              ? { ...a, response: 'declined' as ResponseType }
              : a,
          ),
        },
      ];
    }
    cast.plans.push(review);
  }

  // Medium, kind two: a fortnightly 1:1 that ended a good while ago (a finished project).
  for (const medium of mediums.filter((m) => m.variant === 'ended')) {
    const contact = rng.chance(0.5) ? secondary : (personal ?? primary);
    const history = anchor - historyStart;
    const startDay = workdayFrom(ago(rng.real(0.7, 0.88)), notBefore);
    const endDay = Math.min(
      startDay + Math.round(history * rng.real(0.18, 0.26)),
      Math.round(anchor - history * 0.25),
    );
    const day = nextDayOfWeek(startDay, rng.weighted(MEETING_DAYS));
    const ended: MeetingPlan = {
      subject: rng.pick([
        `${company.name} implementation sync`,
        `${company.name} onboarding check-in`,
        `${company.name} integration project`,
      ]),
      agenda: customerAgenda(rng, company),
      organizer: own(medium.employee),
      timeZone: medium.employee.timeZone,
      attendees: [attendee(external(contact))],
      day,
      startMinutes: startTime(rng, 9 * 60, 16 * 60),
      durationMinutes: 30,
      recurrence: {
        pattern: weekly([dayOfWeekName(day)], 2),
        endDay: Math.max(day + 14, endDay),
      },
      online: true,
    };
    weatherSeries(ended, sink, rng, anchor, { cancel: rng.int(0, 1), move: rng.int(0, 1) });
    cast.plans.push(ended);
  }

  // Key accounts: a quarterly business review with the executive sponsor.
  if (company.keyAccount) {
    let startDay = workdayFrom(ago(rng.real(0.55, 0.85)), notBefore);
    while (yearMonthDay(startDay).dayOfMonth > 28 || isWeekend(startDay)) startDay++;
    const room = roomFor(ctx, rng, strong);
    const contacts = [primary, secondary, executiveContact, ...(personal ? [personal] : [])].filter(
      (contact, index, all) => all.indexOf(contact) === index,
    );
    const internal = [...mediums.map((m) => m.employee), ctx.org.executive.cro];
    const review: MeetingPlan = {
      subject: `${company.name} QBR`,
      agenda: customerAgenda(rng, company),
      organizer: own(strong),
      timeZone: strong.timeZone,
      attendees: [
        ...internal.map((e) => attendee(own(e))),
        ...contacts
          .slice(0, SMALL_MEETING_MAX_PEOPLE - 1 - internal.length)
          .map((contact) => attendee(external(contact))),
      ],
      day: startDay,
      startMinutes: startTime(rng, 9 * 60, 14 * 60),
      durationMinutes: 90,
      recurrence: {
        pattern: {
          type: 'absoluteMonthly',
          interval: 3,
          dayOfMonth: yearMonthDay(startDay).dayOfMonth,
        },
      },
      online: true,
      ...(room && rng.chance(0.5) ? { room } : {}),
    };
    // Quarters whose date falls on a weekend are moved to the Friday before.
    review.exceptions = sink
      .occurrencesOf(review)
      .filter(isWeekend)
      .map((day) => ({
        originalDay: day,
        day: day - (weekdayOf(day) === 6 ? 1 : 2),
        startMinutes: review.startMinutes,
        durationMinutes: review.durationMinutes,
      }));
    if (review.exceptions.length === 0) delete review.exceptions;
    cast.plans.push(review);
    for (const day of rng.sample(
      sink.occurrencesOf(review).filter((d) => d < anchor - 2),
      2,
    )) {
      // Internal prep the day before: only internal people, the company named in the subject.
      cast.plans.push({
        subject: `Prep: ${company.name} QBR`,
        agenda: internalAgenda(rng, `Internal prep for the ${company.name} quarterly review.`),
        organizer: own(strong),
        timeZone: strong.timeZone,
        attendees: internal.map((e) =>
          attendee(own(e), rng.chance(0.8) ? 'accepted' : 'tentativelyAccepted'),
        ),
        day: workdayFrom(day - 1 - (isWeekend(day - 1) ? 2 : 0)),
        startMinutes: startTime(rng, 9 * 60, 16 * 60),
        durationMinutes: 30,
        online: true,
      });
    }
  }

  // Weak: one to three meetings, months ago.
  for (const weak of weaks) {
    if (weak === ctx.org.executive.cro && company.keyAccount) continue;
    const count = weak === ctx.org.executive.ceo ? 1 : rng.int(1, 3);
    for (let i = 0; i < count; i++) {
      const day = randomWorkday(rng, Math.max(notBefore, ago(0.95)), ago(0.4));
      const contact = rng.pick(
        personal && rng.chance(0.3)
          ? [personal]
          : domainContacts.length
            ? domainContacts
            : company.contacts,
      );
      const contactOrganises = rng.chance(0.3);
      const isDinner = weak === ctx.org.executive.ceo;
      cast.plans.push({
        subject: isDinner
          ? `Dinner with ${contact.displayName} (${company.name})`
          : introSubject(rng, company, ours),
        agenda: introAgenda(rng, company),
        organizer: contactOrganises ? external(contact) : own(weak),
        timeZone: contactOrganises ? company.timeZone : weak.timeZone,
        attendees: [attendee(contactOrganises ? own(weak) : external(contact))],
        day,
        startMinutes: isDinner ? 19 * 60 : startTime(rng),
        durationMinutes: isDinner ? 120 : rng.pick([30, 45, 60]),
        ...(isDinner
          ? { online: false, place: restaurantPlace(rng, company.city) }
          : rng.chance(0.7)
            ? { online: true }
            : { online: false, place: customerOfficePlace(company) }),
        ...(contactOrganises ? { owner: weak } : {}),
      });
    }
  }
}

function adHocCustomerMeeting(
  ctx: GenerationContext,
  rng: Random,
  company: ExternalCompany,
  employee: Employee,
  contacts: ExternalContact[],
  day: Day,
): MeetingPlan {
  const style = rng.weighted([
    ['online', 5],
    ['their-office', 3],
    ['lunch', 2],
  ] as const);
  const contactOrganises = style === 'online' && rng.chance(0.3);
  const [first, ...rest] = contacts as [ExternalContact, ...ExternalContact[]];
  return {
    subject: adHocCustomerSubject(rng, company),
    agenda: customerAgenda(rng, company),
    organizer: contactOrganises ? contactParticipant(first) : employeeParticipant(employee),
    timeZone: contactOrganises ? company.timeZone : employee.timeZone,
    attendees: [
      attendee(contactOrganises ? employeeParticipant(employee) : contactParticipant(first)),
      ...rest.map((contact) => attendee(contactParticipant(contact))),
    ],
    day,
    startMinutes: style === 'lunch' ? 12 * 60 : startTime(rng),
    durationMinutes: style === 'lunch' ? 90 : rng.pick([30, 45, 60]),
    online: style === 'online',
    ...(style === 'their-office' ? { place: customerOfficePlace(company) } : {}),
    ...(style === 'lunch' ? { place: restaurantPlace(rng, company.city) } : {}),
    ...(contactOrganises ? { owner: employee } : {}),
    ...(rng.chance(0.1) ? { utcTimes: true } : {}),
  };
}

/** Tops up a tier whose evidence does not clear the tier below it (short histories, bad luck). */
function balanceTiers(
  cast: CompanyCast,
  ctx: GenerationContext,
  rng: Random,
  ago: (fraction: number) => Day,
): void {
  const { company, strong, mediums, weaks } = cast;
  const { sink, anchor, historyStart } = ctx;
  const evidence = (employee: Employee): number =>
    smallMeetingEvidence(cast.plans, employee, company, sink, anchor).occurrences;
  const primary = companyContacts(company)[0] ?? (company.contacts[0] as ExternalContact);
  const weakest = (): number => Math.max(0, ...weaks.map(evidence));
  for (const medium of mediums) {
    for (let guard = 0; evidence(medium.employee) <= weakest() && guard < 50; guard++) {
      const day = randomWorkday(rng, Math.max(historyStart + 3, ago(0.6)), ago(0.15));
      cast.plans.push(adHocCustomerMeeting(ctx, rng, company, medium.employee, [primary], day));
    }
  }
  const strongestMedium = (): number => Math.max(0, ...mediums.map((m) => evidence(m.employee)));
  for (let guard = 0; evidence(strong) <= strongestMedium() && guard < 50; guard++) {
    const day = randomWorkday(rng, Math.max(historyStart + 3, anchor - 120), anchor - 2);
    cast.plans.push(adHocCustomerMeeting(ctx, rng, company, strong, [primary], day));
  }
}
