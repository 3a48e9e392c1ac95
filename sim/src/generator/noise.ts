// Calendar content that looks like relationships but is not: webinars and events with crowds of
// externals, an executive who meets every company in big rooms, interviews with candidates,
// conferences and offsites, out-of-office blocks and private appointments.
import type { GraphCalendar, ResponseType } from '../graph-types.js';
import { type Day, dayOfWeekName, isWeekend, nextDayOfWeek } from './calendar-days.js';
import type { MeetingPlan } from './events.js';
import {
  CONFERENCES,
  PRIVATE_APPOINTMENTS,
  WEBINAR_TOPICS,
  customerAgenda,
  restaurantPlace,
} from './meeting-text.js';
import type { AttendeePlan, Employee, ExternalCompany, ExternalContact } from './model.js';
import {
  type GenerationContext,
  attendee,
  contactParticipant,
  crowdResponse,
  employeeParticipant,
  isActive,
  randomWorkday,
  startTime,
} from './planning.js';
import { Random } from './random.js';
import { weatherSeries } from './series.js';

const PERSONAL_CALENDAR = 'personal';

export class NoisePlanner {
  private readonly rng: Random;

  constructor(private readonly ctx: GenerationContext) {
    this.rng = new Random(ctx.seed, 'noise');
  }

  private activeOn(day: Day, predicate: (e: Employee) => boolean): Employee[] {
    return this.ctx.org.employees.filter((e) => predicate(e) && isActive(e, day));
  }

  /** A crowd of outsiders: some contacts of planted companies, mostly leads and sign-ups. */
  private crowd(size: number, companyShare: number): ExternalContact[] {
    const { rng, ctx } = this;
    const picked = new Set<ExternalContact>();
    for (const company of ctx.world.companies) {
      if (rng.chance(companyShare))
        for (const contact of rng.sample(company.contacts, rng.int(1, 2))) picked.add(contact);
    }
    const leadContacts = ctx.world.leads.flatMap((lead) => lead.contacts);
    for (const contact of rng.sample(leadContacts, size)) {
      if (picked.size >= size) break;
      picked.add(contact);
    }
    for (const contact of rng.sample(ctx.world.individuals, size)) {
      if (picked.size >= size) break;
      picked.add(contact);
    }
    return [...picked].slice(0, size);
  }

  /** An outside guest's answer: drawn by `weights` once the day has passed, none before. */
  private guestAnswer(
    day: Day,
    weights: ReadonlyArray<readonly [ResponseType, number]>,
  ): ResponseType {
    return day < this.ctx.anchor ? this.rng.weighted(weights) : 'none';
  }

  webinars(): void {
    const { rng, ctx } = this;
    const { org } = ctx;
    const months = Math.round((ctx.horizon - ctx.historyStart) / 30.4);
    for (let i = 0; i < months; i++) {
      const day = randomWorkday(
        rng,
        ctx.historyStart + i * 30.4,
        ctx.historyStart + (i + 1) * 30.4 - 3,
      );
      if (day >= ctx.horizon) continue;
      const organisers = this.activeOn(day, (e) => e.role === 'events-marketer');
      const organiser = organisers.length
        ? rng.pick(organisers)
        : (org.executive.cmo ?? org.executive.ceo);
      const presenters = [
        ...rng.sample(
          this.activeOn(
            day,
            (e) => e.role === 'product-manager' || e.role === 'solutions-engineer',
          ),
          rng.int(1, 2),
        ),
        ...(rng.chance(0.4) ? [org.executive.cro] : []),
        ...(rng.chance(0.15) ? [org.executive.ceo] : []),
      ].filter((e) => e !== organiser);
      const audience = rng
        .sample(
          this.activeOn(day, (e) =>
            ['Sales', 'Customer Success', 'Partnerships', 'Marketing'].includes(e.department),
          ),
          rng.int(4, 14),
        )
        .filter((e) => e !== organiser && !presenters.includes(e));
      const externals = this.crowd(rng.int(30, 200), 0.35);
      ctx.sink.emit({
        subject: `Webinar: ${rng.pick(WEBINAR_TOPICS)}`,
        agenda: `Join ${org.displayName} for a live session.\n\nAfter the talk there is time for Q&A.\nA recording will be sent to everyone who registered.`,
        organizer: employeeParticipant(organiser),
        timeZone: organiser.timeZone,
        attendees: [
          ...presenters.map((e) => attendee(employeeParticipant(e))),
          ...audience.map((e) => attendee(employeeParticipant(e), crowdResponse(rng), 'optional')),
          attendee(org.groupMailboxes.marketing, 'none', 'optional'),
          ...externals.map((contact) =>
            attendee(
              contactParticipant(contact),
              this.guestAnswer(day, [
                ['none', 70],
                ['accepted', 20],
                ['declined', 5],
                ['tentativelyAccepted', 5],
              ]),
            ),
          ),
        ],
        day,
        startMinutes: rng.pick([10 * 60, 11 * 60, 16 * 60]),
        durationMinutes: 60,
        online: true,
        categories: ['Webinar'],
      });
    }
  }

  /** The executives meet many companies at once: advisory boards and roundtable dinners. */
  executiveEvents(): void {
    const { rng, ctx } = this;
    const { org } = ctx;
    const { ceo, cro, cmo } = org.executive;
    const successHead = org.departmentHeads.get('Customer Success');
    const salesHead = org.departmentHeads.get('Sales');
    const execContact = (company: ExternalCompany): ExternalContact =>
      company.contacts.filter((c) => !c.personalDomain)[2] ??
      (company.contacts[0] as ExternalContact);
    for (
      let day = ctx.historyStart + rng.int(20, 120);
      day < ctx.horizon;
      day += rng.int(170, 200)
    ) {
      const when = randomWorkday(rng, day, day + 5);
      const guests = rng
        .sample(ctx.world.companies, Math.min(ctx.world.companies.length, rng.int(8, 12)))
        .map(execContact);
      const hosts = [ceo, cro, ...(cmo ? [cmo] : []), ...(successHead ? [successHead] : [])].filter(
        (e) => isActive(e, when),
      );
      const [host, ...cohosts] = hosts as [Employee, ...Employee[]];
      ctx.sink.emit({
        subject: 'Customer Advisory Board',
        agenda:
          'Half-day session with our advisory board.\n\nRoadmap preview, customer panel, dinner afterwards.',
        organizer: employeeParticipant(host),
        timeZone: host.timeZone,
        attendees: [
          ...cohosts.map((e) => attendee(employeeParticipant(e))),
          ...guests.map((c) =>
            attendee(
              contactParticipant(c),
              this.guestAnswer(when, [
                ['accepted', 7],
                ['none', 2],
                ['declined', 1],
              ]),
            ),
          ),
          attendee(org.equipment, 'accepted', 'resource'),
        ],
        day: when,
        startMinutes: 10 * 60,
        durationMinutes: 360,
        online: false,
        place: { displayName: `The Langham, ${host.office.city}`, locationType: 'hotel' },
      });
    }
    for (let day = ctx.historyStart + rng.int(10, 60); day < ctx.horizon; day += rng.int(80, 100)) {
      const when = randomWorkday(rng, day, day + 5);
      const guests = this.crowd(rng.int(9, 15), 0.3);
      const hosts = [cro, ceo, ...(salesHead ? [salesHead] : [])].filter((e) => isActive(e, when));
      const [host, ...cohosts] = hosts as [Employee, ...Employee[]];
      ctx.sink.emit({
        subject: rng.pick([
          'Executive roundtable dinner',
          'CRO roundtable: revenue leaders',
          'Leaders dinner',
        ]),
        agenda: customerAgenda(rng, ctx.world.companies[0] as ExternalCompany).replace(
          /^.*\n/,
          'Invite-only dinner for revenue leaders.\n',
        ),
        organizer: employeeParticipant(host),
        timeZone: host.timeZone,
        attendees: [
          ...cohosts.map((e) => attendee(employeeParticipant(e))),
          ...guests.map((c) =>
            attendee(
              contactParticipant(c),
              this.guestAnswer(when, [
                ['accepted', 6],
                ['none', 3],
                ['declined', 1],
              ]),
            ),
          ),
        ],
        day: when,
        startMinutes: 19 * 60,
        durationMinutes: 150,
        online: false,
        place: restaurantPlace(rng, host.office.city),
      });
    }
    // A partner's summit: organised outside, a crowd, our partnerships team and the CRO invited.
    const partnerLead = ctx.world.leads[0];
    const partnerships = org.employees.filter(
      (e) => e.department === 'Partnerships' && e.mail && e.enabled,
    );
    if (partnerLead && partnerships.length) {
      const organiser = partnerLead.contacts[0] as ExternalContact;
      const when = randomWorkday(rng, ctx.anchor - 200, ctx.anchor - 30);
      ctx.sink.emit({
        subject: `${partnerLead.name} Partner Summit`,
        agenda: `Annual partner summit hosted by ${partnerLead.name}.\n\nKeynote, partner awards and networking.`,
        organizer: contactParticipant(organiser),
        timeZone: partnerLead.timeZone,
        attendees: [
          ...partnerships
            .filter((e) => isActive(e, when))
            .map((e) => attendee(employeeParticipant(e), 'accepted')),
          attendee(employeeParticipant(org.executive.cro), 'tentativelyAccepted'),
          ...this.crowd(rng.int(30, 45), 0.1)
            .filter((c) => c !== organiser)
            .map((c) => attendee(contactParticipant(c), 'none')),
        ],
        day: when,
        startMinutes: 9 * 60,
        durationMinutes: 480,
        online: false,
        place: { displayName: `${partnerLead.city} Convention Centre`, locationType: 'default' },
        owner: partnerships[0] as Employee,
      });
    }
  }

  /**
   * A weekly community call that runs for years with a crowd of customers who never answer: the
   * hosts pile up meetings with most companies without knowing anyone there.
   */
  communityCall(): void {
    const { rng, ctx } = this;
    const { org } = ctx;
    const day = nextDayOfWeek(ctx.historyStart - rng.int(60, 200), 'wednesday');
    const hosts = org.employees.filter(
      (e) =>
        (e.role === 'customer-success' || e.role === 'marketer') &&
        e.enabled &&
        e.mail &&
        e.hireDay <= day,
    );
    const [host, ...cohosts] = rng.sample(hosts, 3);
    if (!host) return;
    const customers = new Set<ExternalContact>();
    for (const company of ctx.world.companies) {
      if (rng.chance(0.6))
        for (const contact of rng.sample(company.contacts, rng.int(1, 2))) customers.add(contact);
    }
    const crowd = [...customers, ...this.crowd(rng.int(40, 70), 0)].slice(0, 120);
    const plan: MeetingPlan = {
      subject: 'Customer Community Office Hours',
      agenda: `Open office hours for ${org.displayName} customers.\n\nBring your questions; product experts on the line.`,
      organizer: employeeParticipant(host),
      timeZone: host.timeZone,
      attendees: [
        ...cohosts.map((e) => attendee(employeeParticipant(e))),
        attendee(employeeParticipant(org.executive.cro), 'accepted', 'optional'),
        ...crowd.map((contact) =>
          attendee(
            contactParticipant(contact),
            rng.weighted([
              ['none', 80],
              ['accepted', 12],
              ['tentativelyAccepted', 5],
              ['declined', 3],
            ] as const),
          ),
        ),
      ],
      day,
      startMinutes: 16 * 60,
      durationMinutes: 45,
      recurrence: {
        pattern: {
          type: 'weekly',
          interval: 1,
          daysOfWeek: ['wednesday'],
          firstDayOfWeek: 'sunday',
        },
      },
      online: true,
      categories: ['Community'],
    };
    weatherSeries(plan, ctx.sink, rng, ctx.anchor, { cancel: 2, move: 1 });
    ctx.sink.emit(plan);
  }

  /** All-day events: conferences with booth staff, the sales kickoff, the engineering offsite. */
  allDayEvents(): void {
    const { rng, ctx } = this;
    const { org } = ctx;
    for (
      let day = ctx.historyStart + rng.int(30, 90);
      day < ctx.horizon;
      day += rng.int(110, 150)
    ) {
      const when = randomWorkday(rng, day, day + 3);
      const conference = rng.pick(CONFERENCES);
      const booth = rng.sample(
        this.activeOn(when, (e) => e.department === 'Sales' || e.department === 'Marketing'),
        rng.int(2, 6),
      );
      const [organiser, ...staff] = booth;
      if (!organiser) continue;
      ctx.sink.emit({
        subject: `${conference.name} - booth duty`,
        agenda: `We have a booth at ${conference.name}.\nSchedule and badges are in the events channel.`,
        organizer: employeeParticipant(organiser),
        timeZone: organiser.timeZone,
        attendees: staff.map((e) =>
          attendee(employeeParticipant(e), rng.chance(0.85) ? 'accepted' : 'tentativelyAccepted'),
        ),
        day: when,
        startMinutes: 0,
        durationMinutes: 0,
        allDayDays: rng.int(2, 3),
        online: false,
        place: { displayName: conference.place, locationType: 'default' },
        showAs: 'workingElsewhere',
        categories: ['Events'],
      });
    }
    const salesHead = org.departmentHeads.get('Sales');
    const engineeringHead = org.departmentHeads.get('Engineering');
    for (let year = 0; ctx.historyStart + 30 + year * 365 < ctx.horizon; year++) {
      const kickoff = randomWorkday(
        rng,
        ctx.historyStart + 30 + year * 365,
        ctx.historyStart + 60 + year * 365,
      );
      if (salesHead && kickoff < ctx.horizon - 3 && !isWeekend(kickoff + 1)) {
        ctx.sink.emit({
          subject: 'Sales Kickoff',
          agenda:
            'Two days of enablement, awards and planning for the year.\nTravel and hotel details to follow.',
          organizer: employeeParticipant(salesHead),
          timeZone: salesHead.timeZone,
          attendees: [
            ...this.activeOn(kickoff, (e) => e.department === 'Sales' && e !== salesHead).map((e) =>
              attendee(employeeParticipant(e), crowdResponse(rng)),
            ),
            attendee(employeeParticipant(org.executive.cro)),
            attendee(employeeParticipant(org.executive.ceo), 'tentativelyAccepted'),
          ],
          day: kickoff,
          startMinutes: 0,
          durationMinutes: 0,
          allDayDays: 2,
          online: false,
          place: { displayName: 'Hilton Chicago, 720 S Michigan Ave', locationType: 'hotel' },
          showAs: 'oof',
        });
      }
      const offsite = randomWorkday(
        rng,
        ctx.historyStart + 150 + year * 365,
        ctx.historyStart + 200 + year * 365,
      );
      if (engineeringHead && offsite < ctx.horizon) {
        ctx.sink.emit({
          subject: 'Engineering offsite',
          agenda: 'Strategy, architecture and team time.',
          organizer: employeeParticipant(engineeringHead),
          timeZone: engineeringHead.timeZone,
          attendees: this.activeOn(
            offsite,
            (e) => e.department === 'Engineering' && e !== engineeringHead,
          ).map((e) => attendee(employeeParticipant(e), crowdResponse(rng))),
          day: offsite,
          startMinutes: 0,
          durationMinutes: 0,
          allDayDays: 1,
          online: false,
          place: { displayName: 'Bainbridge Island Lodge', locationType: 'default' },
          showAs: 'workingElsewhere',
        });
      }
    }
  }

  /** Interviews: small meetings with people on personal domains who belong to no company. */
  interviews(): void {
    const { rng, ctx } = this;
    const joiners = ctx.org.employees.filter(
      (e) => e.hireDay > ctx.historyStart + 30 && e.manager?.mail,
    );
    let candidateIndex = 0;
    for (const joiner of joiners) {
      const manager = joiner.manager as Employee;
      for (let loop = 0; loop < 2; loop++) {
        const candidate = ctx.world.individuals[
          candidateIndex++ % ctx.world.individuals.length
        ] as ExternalContact;
        const day = randomWorkday(rng, joiner.hireDay - 60, joiner.hireDay - 21);
        if (day < ctx.historyStart || !isActive(manager, day)) continue;
        const rooms = ctx.org.rooms.filter((r) => r.office.key === manager.office.key);
        const room = rooms.length ? rng.pick(rooms) : undefined;
        const panel = rng.sample(
          joiner.team.members.filter((e) => e !== joiner && e !== manager && isActive(e, day)),
          rng.int(0, 2),
        );
        ctx.sink.emit({
          subject: `Interview: ${joiner.user.jobTitle ?? 'Candidate'} - ${candidate.displayName}`,
          agenda: `Interview loop for ${candidate.displayName}.\nCV and scorecard are in the recruiting system.`,
          organizer: employeeParticipant(manager),
          timeZone: manager.timeZone,
          attendees: [
            attendee(contactParticipant(candidate)),
            ...panel.map((e) => attendee(employeeParticipant(e))),
          ],
          day,
          startMinutes: startTime(rng),
          durationMinutes: rng.pick([45, 60]),
          ...(room && rng.chance(0.3) ? { online: false, room } : { online: true }),
        });
      }
    }
  }

  /** Out-of-office blocks and private appointments; a few people keep them in a second calendar. */
  personalTime(): Record<string, GraphCalendar[]> {
    const { rng, ctx } = this;
    const calendars: Record<string, GraphCalendar[]> = {};
    const people = ctx.org.employees.filter((e) => e.mail);
    const withPersonalCalendar = new Set(
      rng
        .sample(
          people.filter((e) => e.enabled),
          3,
        )
        .map((e) => e.id),
    );
    for (const person of people) {
      if (withPersonalCalendar.has(person.id)) {
        calendars[person.id] = [
          this.calendar(person, 'Calendar', true),
          this.calendar(person, 'Personal', false),
        ];
      }
      const from = Math.max(ctx.historyStart, person.hireDay);
      const to = Math.min(ctx.horizon, (person.leaveDay ?? Infinity) + 1);
      for (let day = from + rng.int(20, 120); day < to - 10; day += rng.int(100, 160)) {
        const start = randomWorkday(rng, day, day + 4);
        ctx.sink.emit({
          subject: rng.pick([
            'OOO',
            'Annual leave',
            'Vacation',
            'Out of office - family trip',
            'PTO',
          ]),
          agenda: 'Limited access to email.',
          organizer: employeeParticipant(person),
          timeZone: person.timeZone,
          attendees: [],
          day: start,
          startMinutes: 0,
          durationMinutes: 0,
          allDayDays: rng.int(1, 10),
          online: false,
          place: {
            displayName: rng.pick([
              'Lisbon',
              'Lake Tahoe',
              'Family visit',
              'Cornwall',
              'Kyoto',
              'Home',
            ]),
            locationType: 'default',
          },
          showAs: 'oof',
        });
      }
      for (let day = from + rng.int(5, 60); day < to - 3; day += rng.int(35, 80)) {
        const when = randomWorkday(rng, day, day + 3);
        const withFriend = rng.chance(0.08);
        const friend = withFriend ? rng.pick(ctx.world.individuals) : undefined;
        const plan: MeetingPlan = {
          subject: friend
            ? `Lunch with ${friend.displayName.split(' ')[0]}`
            : rng.pick(PRIVATE_APPOINTMENTS),
          agenda: friend ? 'Catching up.' : 'Reminder: bring the forms.',
          organizer: employeeParticipant(person),
          timeZone: person.timeZone,
          attendees: friend ? [attendee(contactParticipant(friend))] : ([] as AttendeePlan[]),
          day: when,
          startMinutes: friend ? 12 * 60 + 30 : startTime(rng, 8 * 60, 16 * 60),
          durationMinutes: rng.pick([30, 60, 90]),
          online: false,
          ...(friend
            ? { place: restaurantPlace(rng, person.office.city) }
            : {
                place: {
                  displayName: rng.pick([
                    'Dr. Patel, Suite 210',
                    'City Dental',
                    'Northside Physio',
                    'Riverside Elementary',
                  ]),
                  locationType: 'default',
                },
              }),
          sensitivity: 'private',
          showAs: rng.chance(0.7) ? 'busy' : 'oof',
          ...(withPersonalCalendar.has(person.id) && rng.chance(0.6)
            ? { calendarId: calendars[person.id]?.[1]?.id ?? PERSONAL_CALENDAR }
            : {}),
        };
        if (!friend && rng.chance(0.05)) {
          // A course of appointments: weekly physio for a few weeks.
          plan.recurrence = {
            pattern: {
              type: 'weekly',
              interval: 1,
              daysOfWeek: [dayOfWeekName(when)],
              firstDayOfWeek: 'sunday',
            },
            occurrences: rng.int(4, 8),
          };
        }
        ctx.sink.emit(plan);
      }
    }
    return calendars;
  }

  private calendar(person: Employee, name: string, primary: boolean): GraphCalendar {
    const { rng } = this;
    return {
      id: `AAMkA${rng.base64url(112)}AAA=`,
      name,
      color: primary ? 'auto' : 'lightGreen',
      hexColor: primary ? '' : '#87d28e',
      isDefaultCalendar: primary,
      changeKey: `${rng.base64url(27)}A==`,
      canShare: true,
      canViewPrivateItems: true,
      canEdit: true,
      isRemovable: !primary,
      isTallyingResponses: true,
      allowedOnlineMeetingProviders: ['teamsForBusiness'],
      defaultOnlineMeetingProvider: 'teamsForBusiness',
      owner: { name: person.displayName, address: person.mail ?? '' },
    };
  }
}
