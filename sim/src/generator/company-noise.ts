// Per-company noise a scorer must see through: customer 1:1s of employees who have since left,
// cold outreach the contact declined, and meetings that were cancelled.
import { type Day, nextDayOfWeek } from './calendar-days.js';
import type { MeetingPlan } from './events.js';
import { customerAgenda, customerOneOnOneSubject, introAgenda } from './meeting-text.js';
import type { ExternalContact } from './model.js';
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
import type { Random } from './random.js';
import type { CompanyCast, Pools } from './relationships.js';
import { weatherSeries } from './series.js';

/** Departed account executives kept a customer 1:1 until they left: noise on disabled accounts. */
export function plantDepartedOwners(
  casts: CompanyCast[],
  ctx: GenerationContext,
  rng: Random,
  ago: (fraction: number) => Day,
): void {
  const leavers = ctx.org.employees.filter((e) => !e.enabled && e.mail && e.leaveDay !== undefined);
  for (const leaver of leavers) {
    const region = leaver.team.region;
    const candidates = casts.filter((cast) => !region || cast.company.region === region);
    if (candidates.length === 0) continue;
    const cast = rng.pick(candidates);
    const contact =
      companyContacts(cast.company)[0] ?? (cast.company.contacts[0] as ExternalContact);
    const leaveDay = leaver.leaveDay as Day;
    const day = nextDayOfWeek(
      workdayFrom(
        Math.min(ago(0.85), leaveDay - 60),
        Math.max(ctx.historyStart + 3, leaver.hireDay),
      ),
      'thursday',
    );
    if (day >= leaveDay - 14) continue;
    const plan: MeetingPlan = {
      subject: customerOneOnOneSubject(rng, cast.company, ctx.org.displayName),
      agenda: customerAgenda(rng, cast.company),
      organizer: employeeParticipant(leaver),
      timeZone: leaver.timeZone,
      attendees: [attendee(contactParticipant(contact))],
      day,
      startMinutes: startTime(rng),
      durationMinutes: 30,
      recurrence: { pattern: weekly(['thursday']), endDay: leaveDay - 3 },
      online: true,
    };
    weatherSeries(plan, ctx.sink, rng, ctx.anchor, { cancel: 1, move: 0 });
    cast.plans.push(plan);
  }
}

/** Per-company noise a scorer must see through: declined cold outreach and cancelled meetings. */
export function plantCompanyNoise(
  cast: CompanyCast,
  ctx: GenerationContext,
  rng: Random,
  ours: string,
  pools: Pools,
): void {
  const { company } = cast;
  const { anchor } = ctx;
  const planted = new Set(
    [cast.strong, ...cast.mediums.map((m) => m.employee), ...cast.weaks].map((e) => e.id),
  );
  const contacts = companyContacts(company);
  if (contacts.length === 0) return;

  if (rng.chance(0.5)) {
    const reps = pools.developmentReps.filter((e) => !planted.has(e.id));
    const rep = reps.length ? rng.pick(reps) : undefined;
    if (rep) {
      const target = rng.pick(contacts);
      for (let i = rng.int(2, 4); i > 0; i--) {
        cast.plans.push({
          subject: rng.pick([
            `${ours} + ${company.name}: 20 minutes?`,
            `Quick intro - ${ours}`,
            `${company.name} x ${ours}`,
          ]),
          agenda: introAgenda(rng, company),
          organizer: employeeParticipant(rep),
          timeZone: rep.timeZone,
          attendees: [attendee(contactParticipant(target), 'declined')],
          day: randomWorkday(rng, anchor - 240, anchor - 5),
          startMinutes: startTime(rng),
          durationMinutes: rng.pick([20, 30]),
          online: true,
        });
      }
    }
  }

  if (rng.chance(0.4)) {
    const bystanders = pools.unplannedNoise.filter((e) => !planted.has(e.id));
    for (let i = rng.int(1, 2); i > 0 && bystanders.length; i--) {
      const bystander = rng.pick(bystanders);
      const contact = rng.pick(contacts);
      const contactOrganises = rng.chance(0.7);
      cast.plans.push({
        subject: rng.pick([
          `${company.name} roadmap feedback session`,
          `${company.name}: API questions`,
          `Reference call - ${company.name}`,
        ]),
        agenda: introAgenda(rng, company),
        organizer: contactOrganises ? contactParticipant(contact) : employeeParticipant(bystander),
        timeZone: contactOrganises ? company.timeZone : bystander.timeZone,
        attendees: [
          attendee(contactOrganises ? employeeParticipant(bystander) : contactParticipant(contact)),
        ],
        day: randomWorkday(rng, anchor - 120, anchor + 20),
        startMinutes: startTime(rng),
        durationMinutes: 30,
        online: true,
        isCancelled: true,
        ...(contactOrganises ? { owner: bystander } : {}),
      });
    }
  }
}
