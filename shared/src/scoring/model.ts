// The relationship model as pure functions: what one meeting adds to each tie, and how the decayed
// sums read as a 0–100 score with a label. docs/scoring-model.md explains the choices.
import type { AttendeeRole, EventType, ResponseStatus } from '../store/index.js';
import { SCORING_PARAMETERS as P } from './parameters.js';
import type { TieLabel, TieScore, Trend } from './types.js';

/** The facts about a meeting that the model reads (never its subject, body or place). */
export interface MeetingFacts {
  startAt: number;
  endAt: number;
  isAllDay: boolean;
  isCancelled: boolean;
  isPrivate: boolean;
  isOnline: boolean;
  type: EventType;
  /** everyone on the meeting, people left out by exclusions included */
  participantCount: number;
}

/** A person on the meeting as the model sees them. */
export interface Participant {
  personId: number;
  internal: boolean;
  /** company domain of an external person; null for colleagues and personal mail domains */
  companyDomain: string | null;
  organizer: boolean;
  response: ResponseStatus | null;
}

/** When a meeting counts at all; the rest of the rules are weights. */
export interface CountingRules {
  /** meetings starting after this instant have not happened yet */
  scoredUntil: number;
  /** the tenant allows private appointments */
  allowPrivate: boolean;
}

/** What one meeting adds to the directed tie person → other. */
export interface TieTerm {
  personId: number;
  otherId: number;
  otherInternal: boolean;
  otherDomain: string | null;
  /** w·2^((t−L)/H) for the three half-lives */
  g30: number;
  g90: number;
  g365: number;
  oneOnOne: boolean;
  reciprocated: boolean;
  /** when the meeting started (epoch ms): first and last met */
  at: number;
}

/**
 * The weight every tie of the meeting shares before each side's answer and the organiser bonus:
 * meeting size, duration, recurrence and mode. 0 when the meeting does not count: cancelled,
 * private where the tenant does not allow it, not yet happened, or too big to know anyone by.
 */
export function meetingWeight(meeting: MeetingFacts, rules: CountingRules): number {
  if (meeting.isCancelled) return 0;
  if (meeting.isPrivate && !rules.allowPrivate) return 0;
  if (meeting.startAt > rules.scoredUntil) return 0;
  const people = meeting.participantCount;
  if (people < 2 || people > P.maxPeople) return 0;
  const size = 1 / (people - 1);
  const minutes = Math.max(0, (meeting.endAt - meeting.startAt) / 60_000);
  const duration = meeting.isAllDay
    ? P.allDayDurationWeight
    : Math.sqrt(Math.min(minutes, P.durationCapMinutes) / P.durationUnitMinutes);
  const recurring =
    meeting.type === 'occurrence' || meeting.type === 'exception' ? P.recurringWeight : 1;
  const mode = meeting.isOnline ? 1 : P.inPersonWeight;
  return size * duration * recurring * mode;
}

export function responseWeight(participant: Pick<Participant, 'organizer' | 'response'>): number {
  if (participant.organizer) return P.responseWeight.organizer;
  return P.responseWeight[participant.response ?? 'none'];
}

/** Accepted (or tentatively) or organised: the person really took part. */
export function tookPart(participant: Pick<Participant, 'organizer' | 'response'>): boolean {
  return (
    participant.organizer ||
    participant.response === 'accepted' ||
    participant.response === 'tentativelyAccepted' ||
    participant.response === 'organizer'
  );
}

/** 2^((t−L)/H) for the three half-lives: multiply a weight by these to get its decayed terms. */
export function decayFactors(t: number): [number, number, number] {
  const x = t - P.landmarkMs;
  return [
    2 ** (x / P.halfLifeMs.short),
    2 ** (x / P.halfLifeMs.warm),
    2 ** (x / P.halfLifeMs.long),
  ];
}

/**
 * Visits every directed tie the meeting adds to, from each employee on it to everyone else on it,
 * given its shared weight (meetingWeight). Declined answers add nothing; rooms and groups are not
 * participants (the sync never makes them people). The term passed is reused between calls.
 */
export function forEachTerm(
  startAt: number,
  weight: number,
  participantCount: number,
  participants: readonly Participant[],
  visit: (term: Readonly<TieTerm>) => void,
): void {
  if (weight <= 0) return;
  const [f30, f90, f365] = decayFactors(startAt);
  // one object for every term: a rebuild visits millions, and allocation is most of their cost
  const term: TieTerm = {
    personId: 0,
    otherId: 0,
    otherInternal: false,
    otherDomain: null,
    g30: 0,
    g90: 0,
    g365: 0,
    oneOnOne: participantCount === 2,
    reciprocated: false,
    at: startAt,
  };
  for (const person of participants) {
    if (!person.internal) continue;
    const own = responseWeight(person);
    if (own === 0) continue;
    for (const other of participants) {
      if (other.personId === person.personId) continue;
      const theirs = responseWeight(other);
      if (theirs === 0) continue;
      const w =
        weight * own * theirs * (person.organizer || other.organizer ? P.organizerBonus : 1);
      term.personId = person.personId;
      term.otherId = other.personId;
      term.otherInternal = other.internal;
      term.otherDomain = other.internal ? null : other.companyDomain;
      term.g30 = w * f30;
      term.g90 = w * f90;
      term.g365 = w * f365;
      term.reciprocated = tookPart(other);
      visit(term);
    }
  }
}

/** Every directed tie the meeting adds to, as a list (forEachTerm). */
export function meetingTerms(
  startAt: number,
  weight: number,
  participantCount: number,
  participants: readonly Participant[],
): TieTerm[] {
  const terms: TieTerm[] = [];
  forEachTerm(startAt, weight, participantCount, participants, (term) => terms.push({ ...term }));
  return terms;
}

/** The decayed sums of a tie, as stored. */
export interface TieSums {
  g30: number;
  g90: number;
  g365: number;
  reciprocated: number;
}

/** A decayed sum read at `now`: A(now) = G·2^(−(now−L)/H). */
export function decayedAt(g: number, halfLifeMs: number, now: number): number {
  return g * 2 ** (-(now - P.landmarkMs) / halfLifeMs);
}

export function labelOf(strength: number): TieLabel {
  if (strength >= P.labels.strong) return 'strong';
  if (strength >= P.labels.medium) return 'medium';
  if (strength >= P.labels.weak) return 'weak';
  return 'cold';
}

/** Score, label and flags of one tie at `now`. */
export function scoreTie(sums: TieSums, now: number): TieScore {
  const a30 = Math.max(0, decayedAt(sums.g30, P.halfLifeMs.short, now));
  const a90 = Math.max(0, decayedAt(sums.g90, P.halfLifeMs.warm, now));
  const a365 = Math.max(0, decayedAt(sums.g365, P.halfLifeMs.long, now));
  const warm = 100 * (1 - Math.exp(-a90 / P.kappaWarm));
  const history = 100 * (1 - Math.exp(-a365 / P.kappaLong));
  const unconfirmed = sums.reciprocated <= 0;
  let strength = Math.max(warm, P.longMemoryShare * history);
  if (unconfirmed) strength = Math.min(strength, P.unconfirmedCap);
  strength = Math.round(strength);
  const dormant = !unconfirmed && history >= P.dormantHistory && P.longMemoryShare * history > warm;
  return { strength, label: labelOf(strength), dormant, unconfirmed, trend: trendOf(a30, a90) };
}

function trendOf(a30: number, a90: number): Trend {
  // rates per day: r_H = A_H·ln2/H
  const r30 = (a30 * Math.LN2) / P.halfLifeMs.short;
  const r90 = (a90 * Math.LN2) / P.halfLifeMs.warm;
  if (r90 <= 0) return r30 > 0 ? 'up' : 'steady';
  if (r30 > P.trendUp * r90) return 'up';
  if (r30 < P.trendDown * r90) return 'down';
  return 'steady';
}

/** An employee's tie to a company: noisy-OR over their strongest contacts there. */
export function companyStrength(contactStrengths: readonly number[]): number {
  const top = [...contactStrengths].sort((a, b) => b - a).slice(0, P.companyTopContacts);
  const miss = top.reduce((product, s) => product * (1 - Math.min(100, Math.max(0, s)) / 100), 1);
  return Math.round(100 * (1 - miss));
}

/** Roles and answers as the model reads them. */
export function participantFrom(row: {
  personId: number;
  kind: 'internal' | 'external';
  domain: string;
  isPersonalDomain: boolean;
  role: AttendeeRole;
  response: ResponseStatus | null;
}): Participant {
  const internal = row.kind === 'internal';
  return {
    personId: row.personId,
    internal,
    companyDomain: internal || row.isPersonalDomain ? null : row.domain,
    organizer: row.role === 'organizer',
    response: row.response,
  };
}
