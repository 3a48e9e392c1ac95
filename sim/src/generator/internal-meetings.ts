// The organisation's own rhythm: staff meetings, team meetings, stand-ups, manager and peer 1:1s,
// all-hands, and project work that fills calendars up to the density asked for.
import type { DayOfWeek, RecurrencePattern } from '../graph-types.js';
import { type Day, WEEKDAYS, dayOfWeekName, nextDayOfWeek } from './calendar-days.js';
import type { MeetingPlan } from './events.js';
import { PROJECT_NAMES, internalAgenda } from './meeting-text.js';
import type { Employee, Participant, Team } from './model.js';
import { isRemote } from './offices.js';
import {
  type GenerationContext,
  attendee,
  crowdResponse,
  employeeParticipant,
  isActive,
  randomWorkday,
  startTime,
  weekly,
  workdayFrom,
} from './planning.js';
import { Random } from './random.js';
import { alignSeriesStart, weatherSeries } from './series.js';

/** The last day anyone can meet: the day before they left, or never. */
function lastDay(employee: Employee): Day {
  return employee.leaveDay ?? Infinity;
}

interface Segment {
  from: Day;
  /** Exclusive; Infinity for a series that is still running. */
  to: Day;
  members: Employee[];
}

/** Splits a span at joiners and leavers, as organisers edit "this and following" occurrences. */
function activeSegments(people: readonly Employee[], from: Day, to: Day): Segment[] {
  const withMailbox = people.filter((person) => person.mail !== null);
  const cuts = new Set<Day>([from]);
  for (const person of withMailbox) {
    if (person.hireDay > from && person.hireDay < to) cuts.add(person.hireDay);
    if (person.leaveDay !== undefined && person.leaveDay + 1 > from && person.leaveDay + 1 < to)
      cuts.add(person.leaveDay + 1);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  sorted.forEach((start, index) => {
    const end = sorted[index + 1] ?? to;
    const members = withMailbox.filter(
      (person) => person.hireDay <= start && lastDay(person) >= end - 1,
    );
    if (end - start >= 14) segments.push({ from: start, to: end, members });
  });
  return segments;
}

function roomNear(
  ctx: GenerationContext,
  rng: Random,
  employee: Employee,
  people: number,
): MeetingPlan['room'] {
  if (isRemote(employee.office)) return undefined;
  const rooms = ctx.org.rooms.filter(
    (room) => room.office.key === employee.office.key && room.capacity >= Math.min(people, 12),
  );
  return rooms.length ? rng.pick(rooms) : undefined;
}

interface SeriesSpec {
  subject: string;
  intro: string;
  organiser: Employee;
  people: Employee[];
  pattern: RecurrencePattern;
  durationMinutes: number;
  startMinutes: number;
  from: Day;
  to?: Day;
  extraAttendees?: Participant[];
  online?: boolean;
  inRoom?: boolean;
  responses?: 'steady' | 'crowd';
  weather?: boolean;
}

export class InternalPlanner {
  private readonly rng: Random;

  constructor(private readonly ctx: GenerationContext) {
    this.rng = new Random(ctx.seed, 'internal-meetings');
  }

  /** Emits one series per stretch in which the same people are on staff. */
  series(spec: SeriesSpec): void {
    const { ctx, rng } = this;
    const to = spec.to ?? Infinity;
    for (const segment of activeSegments(
      [spec.organiser, ...spec.people],
      spec.from,
      Math.min(to, ctx.horizon + 400),
    )) {
      if (segment.members.length < 2) continue;
      const organiser = segment.members.includes(spec.organiser)
        ? spec.organiser
        : (segment.members[0] as Employee);
      const others = segment.members.filter((member) => member !== organiser);
      const room = spec.inRoom ? roomNear(ctx, rng, organiser, segment.members.length) : undefined;
      const stillRunning = segment.to >= ctx.horizon + 400 && to === Infinity;
      const plan: MeetingPlan = {
        subject: spec.subject,
        agenda: internalAgenda(rng, spec.intro),
        organizer: employeeParticipant(organiser),
        timeZone: organiser.timeZone,
        attendees: [
          ...others.map((member) =>
            attendee(
              employeeParticipant(member),
              spec.responses === 'crowd'
                ? crowdResponse(rng)
                : rng.chance(0.9)
                  ? 'accepted'
                  : rng.pick(['tentativelyAccepted', 'none'] as const),
            ),
          ),
          ...(spec.extraAttendees ?? []).map((who) => attendee(who, 'none', 'optional')),
        ],
        day: segment.from,
        startMinutes: spec.startMinutes,
        durationMinutes: spec.durationMinutes,
        recurrence: {
          pattern: spec.pattern,
          ...(stillRunning ? {} : { endDay: Math.min(segment.to, to) - 1 }),
        },
        // Without a room to meet in, people meet on Teams.
        online: (spec.online ?? true) || !room,
        ...(room ? { room } : {}),
      };
      alignSeriesStart(plan);
      if (plan.recurrence?.endDay !== undefined && plan.recurrence.endDay < plan.day) continue;
      if (spec.weather !== false) weatherSeries(plan, ctx.sink, rng, ctx.anchor);
      ctx.sink.emit(plan);
    }
  }

  /** Start of a long-running series: often before the window, never before the people joined. */
  private longRunningStart(): Day {
    return workdayFrom(this.ctx.historyStart - this.rng.int(0, 150));
  }

  planStructure(): void {
    const { ctx, rng } = this;
    const { org } = ctx;
    const pickDay = (days: readonly DayOfWeek[] = WEEKDAYS): DayOfWeek => rng.pick(days);

    for (const team of org.leadershipTeams) {
      if (!team.manager || team.members.length < 2) continue;
      const day = pickDay(['monday', 'tuesday']);
      this.series({
        subject:
          team.department === 'Executives'
            ? 'Leadership team weekly'
            : `${team.name} staff meeting`,
        intro: `Weekly staff meeting for ${team.name}.`,
        organiser: team.manager,
        people: team.members,
        pattern: weekly([day]),
        durationMinutes: 60,
        startMinutes: startTime(rng, 8 * 60 + 30, 11 * 60),
        from: nextDayOfWeek(this.longRunningStart(), day),
        inRoom: rng.chance(0.5),
        ...(team.department === 'Executives'
          ? { extraAttendees: [org.groupMailboxes.leadership] }
          : {}),
      });
    }

    for (const team of org.teams) this.planTeam(team);

    // Manager 1:1s, weekly or fortnightly.
    for (const employee of org.employees) {
      const manager = employee.manager;
      if (!manager || !employee.mail || !manager.mail) continue;
      const day = pickDay();
      const reportOrganises = rng.chance(0.2);
      this.series({
        subject: rng.pick([
          `${manager.givenName} / ${employee.givenName} 1:1`,
          `1:1 ${employee.givenName} & ${manager.givenName}`,
          `${employee.givenName} <> ${manager.givenName}`,
        ]),
        intro: 'Regular 1:1.',
        organiser: reportOrganises ? employee : manager,
        people: [reportOrganises ? manager : employee],
        pattern: weekly([day], rng.chance(0.3) ? 1 : 2),
        durationMinutes: rng.pick([25, 30, 30, 45]),
        startMinutes: startTime(rng),
        from: nextDayOfWeek(this.longRunningStart(), day),
        online: rng.chance(0.7),
        inRoom: rng.chance(0.3),
      });
    }

    // Peer 1:1s: account executives with the customer success manager in their region.
    const successManagers = org.employees.filter((e) => e.role === 'customer-success' && e.mail);
    const executives = org.employees.filter((e) => e.role === 'account-executive' && e.mail);
    executives.forEach((executive, index) => {
      const partner = successManagers[index % Math.max(1, successManagers.length)];
      if (!partner) return;
      const day = pickDay();
      this.series({
        subject: `Account alignment: ${executive.givenName} / ${partner.givenName}`,
        intro: 'Shared accounts, renewals and hand-offs.',
        organiser: executive,
        people: [partner],
        pattern: weekly([day], 2),
        durationMinutes: 30,
        startMinutes: startTime(rng),
        from: nextDayOfWeek(workdayFrom(ctx.historyStart + rng.int(0, 200)), day),
      });
    });
    const productManagers = org.employees.filter((e) => e.role === 'product-manager' && e.mail);
    const marketers = org.employees.filter((e) => e.role === 'marketer' && e.mail);
    productManagers.forEach((manager, index) => {
      const marketer = marketers[index % Math.max(1, marketers.length)];
      if (!marketer) return;
      this.series({
        subject: `${manager.givenName} / ${marketer.givenName} - launch planning`,
        intro: 'Upcoming launches and messaging.',
        organiser: marketer,
        people: [manager],
        pattern: {
          type: 'relativeMonthly',
          interval: 1,
          daysOfWeek: [pickDay()],
          index: rng.pick(['first', 'third'] as const),
        },
        durationMinutes: 30,
        startMinutes: startTime(rng),
        from: workdayFrom(ctx.historyStart + rng.int(0, 120)),
      });
    });

    this.planSalesRhythm();
    this.planAllHands();
    this.planEngineeringRhythm();
    this.planSkipLevels();
  }

  private planTeam(team: Team): void {
    const { ctx, rng } = this;
    if (!team.manager) return;
    const day = rng.pick(WEEKDAYS);
    this.series({
      subject: rng.pick([`${team.name} weekly`, `${team.name} team meeting`, `${team.name} sync`]),
      intro: `Weekly meeting of ${team.name}.`,
      organiser: team.manager,
      people: team.members,
      pattern: weekly([day]),
      durationMinutes: rng.pick([30, 45, 60]),
      startMinutes: startTime(rng, 9 * 60, 15 * 60),
      from: nextDayOfWeek(this.longRunningStart(), day),
      inRoom: rng.chance(0.6),
      ...(team.department === 'Customer Success'
        ? { extraAttendees: [ctx.org.groupMailboxes.customerSuccess] }
        : {}),
      ...(team.department === 'Partnerships'
        ? { extraAttendees: [ctx.org.groupMailboxes.partners] }
        : {}),
    });
    if (team.standup) {
      // "Every weekday", as Outlook and Teams store it.
      this.series({
        subject: `${team.name.replace(/^Engineering - /, '')} stand-up`,
        intro: 'Daily stand-up: yesterday, today, blockers.',
        organiser: team.manager,
        people: team.members,
        pattern: weekly([...WEEKDAYS]),
        durationMinutes: 15,
        startMinutes: rng.pick([9 * 60 + 15, 9 * 60 + 30, 10 * 60]),
        from: this.longRunningStart(),
      });
      this.series({
        subject: `${team.name.replace(/^Engineering - /, '')} sprint planning`,
        intro: 'Plan the next two weeks.',
        organiser: team.manager,
        people: team.members,
        pattern: weekly(['monday'], 2),
        durationMinutes: 60,
        startMinutes: 10 * 60 + 30,
        from: nextDayOfWeek(this.longRunningStart(), 'monday'),
      });
      this.series({
        subject: `${team.name.replace(/^Engineering - /, '')} retro`,
        intro: 'What went well, what to change.',
        organiser: team.manager,
        people: team.members,
        pattern: weekly(['friday'], 2),
        durationMinutes: 45,
        startMinutes: 15 * 60,
        from: nextDayOfWeek(this.longRunningStart() + 7, 'friday'),
        responses: 'crowd',
      });
    }
  }

  private planSalesRhythm(): void {
    const { ctx, rng } = this;
    const { org } = ctx;
    for (const team of org.teams.filter((t) => t.department === 'Sales' && t.manager)) {
      this.series({
        subject: `Pipeline review - ${team.name}`,
        intro: 'Deal-by-deal review of the quarter.',
        organiser: team.manager as Employee,
        people: team.members,
        pattern: weekly(['monday']),
        durationMinutes: 60,
        startMinutes: startTime(rng, 9 * 60, 11 * 60),
        from: nextDayOfWeek(this.longRunningStart(), 'monday'),
        extraAttendees: [org.groupMailboxes.dealDesk],
      });
    }
    const salesHead = org.departmentHeads.get('Sales');
    if (salesHead) {
      this.series({
        subject: 'Weekly forecast call',
        intro: 'Commit, best case and pipeline coverage by region.',
        organiser: salesHead,
        people: [
          ...org.teams
            .filter((t) => t.department === 'Sales')
            .flatMap((t) => (t.manager ? [t.manager] : [])),
          org.executive.cro,
          org.executive.cfo,
        ],
        pattern: weekly(['thursday']),
        durationMinutes: 45,
        startMinutes: 8 * 60 + 30,
        from: nextDayOfWeek(this.longRunningStart(), 'thursday'),
        responses: 'crowd',
      });
    }
    const successHead = org.departmentHeads.get('Customer Success');
    const engineeringManager = org.teams.find((t) => t.department === 'Engineering')?.manager;
    if (successHead) {
      this.series({
        subject: 'Support escalation review',
        intro: 'Open escalations from the support queue.',
        organiser: successHead,
        people: [
          ...org.teams
            .filter((t) => t.department === 'Customer Success')
            .flatMap((t) => (t.manager ? [t.manager] : [])),
          ...(engineeringManager ? [engineeringManager] : []),
        ],
        pattern: weekly(['wednesday']),
        durationMinutes: 30,
        startMinutes: 11 * 60,
        from: nextDayOfWeek(this.longRunningStart(), 'wednesday'),
        extraAttendees: [org.sharedMailbox],
      });
    }
    const partnershipsHead = org.departmentHeads.get('Partnerships');
    if (partnershipsHead && salesHead) {
      this.series({
        subject: 'Partner pipeline',
        intro: 'Partner-sourced and partner-influenced deals.',
        organiser: partnershipsHead,
        people: [
          ...org.employees.filter((e) => e.department === 'Partnerships' && e !== partnershipsHead),
          salesHead,
        ],
        pattern: weekly(['tuesday'], 2),
        durationMinutes: 45,
        startMinutes: 14 * 60,
        from: nextDayOfWeek(this.longRunningStart(), 'tuesday'),
      });
    }
    const marketingHead = org.departmentHeads.get('Marketing');
    if (marketingHead) {
      this.series({
        subject: 'Campaign planning',
        intro: 'Campaign calendar, webinars and events.',
        organiser: marketingHead,
        people: org.employees.filter((e) => e.department === 'Marketing' && e !== marketingHead),
        pattern: weekly(['wednesday'], 2),
        durationMinutes: 60,
        startMinutes: 10 * 60,
        from: nextDayOfWeek(this.longRunningStart(), 'wednesday'),
        extraAttendees: [org.groupMailboxes.marketing],
      });
    }
  }

  private planAllHands(): void {
    const { ctx, rng } = this;
    const { org } = ctx;
    for (const [department, head] of org.departmentHeads) {
      this.series({
        subject: `${department} all-hands`,
        intro: `Monthly all-hands for ${department}.`,
        organiser: head,
        people: org.employees.filter((e) => e.department === department && e !== head),
        pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['thursday'], index: 'first' },
        durationMinutes: 45,
        startMinutes: 16 * 60,
        from: this.longRunningStart(),
        responses: 'crowd',
        weather: false,
      });
    }
    // The town hall invites everyone by name while the list fits Graph's 500-attendee limit.
    const everyone = org.employees.filter((e) => e.mail && e.enabled);
    const organiser = org.executive.assistant ?? org.executive.ceo;
    const named =
      everyone.length <= 450
        ? everyone
        : [...new Set([...org.leadershipTeams.flatMap((t) => t.members)])];
    const townHall: MeetingPlan = {
      subject: `${org.displayName} Town Hall`,
      agenda: internalAgenda(rng, 'Monthly company update and Q&A with the leadership team.'),
      organizer: employeeParticipant(organiser),
      timeZone: organiser.timeZone,
      attendees: [
        ...named
          .filter((e) => e !== organiser)
          .map((e) => attendee(employeeParticipant(e), crowdResponse(rng))),
        attendee(org.groupMailboxes.allCompany, 'none', 'optional'),
      ],
      day: workdayFrom(ctx.historyStart - rng.int(30, 200)),
      startMinutes: 9 * 60,
      durationMinutes: 60,
      recurrence: {
        pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['thursday'], index: 'last' },
      },
      online: true,
    };
    alignSeriesStart(townHall);
    weatherSeries(townHall, ctx.sink, rng, ctx.anchor, { cancel: 0, move: 1 });
    ctx.sink.emit(townHall);
  }

  private planEngineeringRhythm(): void {
    const { ctx, rng } = this;
    const { org } = ctx;
    const reliability = org.employees.filter((e) => e.role === 'reliability-engineer' && e.mail);
    const [lead, ...rota] = reliability;
    if (lead && rota.length) {
      // On-call hand-over happens every day, weekends included.
      this.series({
        subject: 'On-call handover',
        intro: 'Incidents, pages and anything the next on-call needs to know.',
        organiser: lead,
        people: rota,
        pattern: { type: 'daily', interval: 1 },
        durationMinutes: 15,
        startMinutes: 8 * 60 + 45,
        from: this.longRunningStart(),
        weather: false,
      });
    }
    const engineers = org.employees.filter(
      (e) => e.department === 'Engineering' && e.mail && e.enabled,
    );
    const productManagers = engineers.filter((e) => e.role === 'product-manager');
    const launches = Math.max(1, Math.round((ctx.horizon - ctx.historyStart) / 365));
    for (let i = 0; i < launches; i++) {
      const day = randomWorkday(rng, ctx.historyStart + 30, ctx.anchor - 20);
      const owner = productManagers.length ? rng.pick(productManagers) : rng.pick(engineers);
      const crew = rng.sample(
        engineers.filter((e) => e !== owner && isActive(e, day) && isActive(e, day + 14)),
        rng.int(3, 5),
      );
      const marketer = rng.pick(
        org.employees.filter((e) => e.role === 'events-marketer' && isActive(e, day)).concat(owner),
      );
      const plan: MeetingPlan = {
        subject: `Launch war room: ${rng.pick(PROJECT_NAMES)}`,
        agenda: internalAgenda(rng, 'Daily check-in until the launch is out.'),
        organizer: employeeParticipant(owner),
        timeZone: owner.timeZone,
        attendees: [...crew, ...(marketer !== owner ? [marketer] : [])].map((e) =>
          attendee(employeeParticipant(e)),
        ),
        day,
        startMinutes: 8 * 60 + 30,
        durationMinutes: 20,
        recurrence: { pattern: { type: 'daily', interval: 1 }, occurrences: 10 },
        online: true,
      };
      ctx.sink.emit(plan);
    }
  }

  private planSkipLevels(): void {
    const { ctx, rng } = this;
    for (const [, head] of ctx.org.departmentHeads) {
      const reports = ctx.org.employees.filter((e) => e.manager?.manager === head && e.mail);
      for (const report of reports) {
        const day = randomWorkday(
          rng,
          Math.max(ctx.historyStart, report.hireDay + 30),
          Math.min(ctx.horizon - 1, lastDay(report) - 1),
        );
        if (!isActive(report, day) || !isActive(head, day)) continue;
        const room = roomNear(ctx, rng, head, 2);
        ctx.sink.emit({
          subject: `Skip-level: ${head.givenName} / ${report.givenName}`,
          agenda: internalAgenda(rng, 'Skip-level conversation.'),
          organizer: employeeParticipant(head),
          timeZone: head.timeZone,
          attendees: [attendee(employeeParticipant(report))],
          day,
          startMinutes: startTime(rng),
          durationMinutes: 30,
          ...(room && rng.chance(0.4) ? { online: false, room } : { online: true }),
          utcTimes: rng.chance(0.3),
        });
      }
    }
  }

  /** Adds project series and ad-hoc meetings until mailboxes hold `density` instances per week. */
  fillToDensity(density: number): void {
    const { ctx, rng } = this;
    const { sink } = ctx;
    const people = ctx.org.employees.filter((e) => e.mail !== null);
    const activeFrom = (e: Employee): Day => Math.max(e.hireDay, ctx.historyStart);
    const activeTo = (e: Employee): Day => Math.min(lastDay(e) + 1, ctx.horizon);
    const activeWeeks = (e: Employee): number => Math.max(0, activeTo(e) - activeFrom(e)) / 7;
    const target = density * people.reduce((sum, e) => sum + activeWeeks(e), 0);
    const load = (e: Employee): number =>
      (sink.instancesByEmployee.get(e.id) ?? 0) / Math.max(1, activeWeeks(e));
    const byDepartment = new Map<string, Employee[]>();
    for (const person of people)
      byDepartment.set(person.department, [...(byDepartment.get(person.department) ?? []), person]);

    let stalls = 0;
    while (sink.totalInstances < target && stalls < 500) {
      let seed = rng.pick(people);
      for (let i = 0; i < 5; i++) {
        const other = rng.pick(people);
        if (load(other) < load(seed)) seed = other;
      }
      if (activeTo(seed) - activeFrom(seed) < 21) {
        stalls++;
        continue;
      }
      const project = rng.chance(0.65);
      const from = activeFrom(seed);
      const to = activeTo(seed);
      const start = randomWorkday(rng, from, Math.max(from, to - (project ? 42 : 2)));
      const end = project ? Math.min(to - 1, start + 7 * rng.int(6, 26)) : start;
      const pool = rng.chance(0.6) ? (byDepartment.get(seed.department) ?? people) : people;
      const colleagues = rng.sample(
        pool.filter((e) => e !== seed && isActive(e, start) && isActive(e, end)),
        project ? rng.int(2, 6) : rng.int(1, 5),
      );
      if (colleagues.length === 0) {
        stalls++;
        continue;
      }
      const projectName = rng.pick(PROJECT_NAMES);
      const room = roomNear(ctx, rng, seed, colleagues.length + 1);
      const inRoom = room && rng.chance(0.5) ? room : undefined;
      const plan: MeetingPlan = {
        subject: project
          ? rng.pick([
              `${projectName} sync`,
              `${projectName} working session`,
              `${projectName} check-in`,
            ])
          : rng.pick([
              `${projectName}: design review`,
              `Quick chat re ${projectName}`,
              `${projectName} - decision needed`,
              `Coffee chat`,
              `Brainstorm: ${projectName}`,
              `Hand-over: ${projectName}`,
            ]),
        agenda: internalAgenda(rng, `Working on ${projectName}.`),
        organizer: employeeParticipant(seed),
        timeZone: seed.timeZone,
        attendees: colleagues.map((e) => attendee(employeeParticipant(e), crowdResponse(rng))),
        day: start,
        startMinutes: startTime(rng),
        durationMinutes: rng.pick([30, 30, 45, 60]),
        online: !inRoom || rng.chance(0.5),
        ...(inRoom ? { room: inRoom } : {}),
        ...(!project && rng.chance(0.15) ? { utcTimes: true } : {}),
      };
      if (project) {
        const weekday = dayOfWeekName(start);
        plan.recurrence = {
          pattern: weekly([weekday], rng.chance(0.55) ? 1 : 2),
          endDay: Math.max(start, end),
        };
        if (rng.chance(0.3))
          weatherSeries(plan, sink, rng, ctx.anchor, { cancel: 1, move: rng.int(0, 1) });
      }
      const before = sink.totalInstances;
      sink.emit(plan);
      stalls = sink.totalInstances > before ? 0 : stalls + 1;
    }
  }
}
