import { describe, expect, it } from 'vitest';
import {
  companyStrength,
  labelOf,
  meetingTerms,
  meetingWeight,
  scoreTie,
  type MeetingFacts,
  type Participant,
  type TieSums,
} from './model.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 21);
const RULES = { scoredUntil: NOW, allowPrivate: false };

function meeting(overrides: Partial<MeetingFacts> = {}): MeetingFacts {
  return {
    startAt: NOW - 7 * DAY,
    endAt: NOW - 7 * DAY + 30 * 60_000,
    isAllDay: false,
    isCancelled: false,
    isPrivate: false,
    isOnline: true,
    type: 'singleInstance',
    participantCount: 2,
    ...overrides,
  };
}

const dana: Participant = {
  personId: 1,
  internal: true,
  companyDomain: null,
  organizer: true,
  response: 'organizer',
};
const jane: Participant = {
  personId: 2,
  internal: false,
  companyDomain: 'acme.com',
  organizer: false,
  response: 'accepted',
};

/** Dana's tie to Jane after these meetings (each a 1:1 unless said otherwise). */
function danaToJane(meetings: MeetingFacts[], people: Participant[] = [dana, jane]): TieSums {
  const sums = { g30: 0, g90: 0, g365: 0, reciprocated: 0 };
  for (const m of meetings) {
    for (const term of meetingTerms(
      m.startAt,
      meetingWeight(m, RULES),
      m.participantCount,
      people,
    )) {
      if (term.personId !== dana.personId || term.otherId !== jane.personId) continue;
      sums.g30 += term.g30;
      sums.g90 += term.g90;
      sums.g365 += term.g365;
      if (term.reciprocated) sums.reciprocated++;
    }
  }
  return sums;
}

/** A steady cadence of 30-minute 1:1s ending `endedDaysAgo` days ago, over `spanDays`. */
function cadence(everyDays: number, spanDays = 365, endedDaysAgo = 0): MeetingFacts[] {
  const list: MeetingFacts[] = [];
  for (let d = endedDaysAgo; d < spanDays + endedDaysAgo; d += everyDays) {
    list.push(meeting({ startAt: NOW - d * DAY, endAt: NOW - d * DAY + 30 * 60_000 }));
  }
  return list;
}

const strength = (meetings: MeetingFacts[], people?: Participant[]) =>
  scoreTie(danaToJane(meetings, people), NOW).strength;

describe('meetingWeight', () => {
  it('gives cancelled, future, oversized and disallowed private meetings nothing', () => {
    expect(meetingWeight(meeting({ isCancelled: true }), RULES)).toBe(0);
    expect(meetingWeight(meeting({ startAt: NOW + DAY, endAt: NOW + 2 * DAY }), RULES)).toBe(0);
    expect(meetingWeight(meeting({ participantCount: 31 }), RULES)).toBe(0);
    expect(meetingWeight(meeting({ isPrivate: true }), RULES)).toBe(0);
    expect(meetingWeight(meeting({ isPrivate: true }), { ...RULES, allowPrivate: true })).toBe(1);
  });

  it('weighs a 1:1 above a small meeting above a 40-person webinar', () => {
    const oneOnOne = meetingWeight(meeting(), RULES);
    const five = meetingWeight(meeting({ participantCount: 5 }), RULES);
    const webinar = meetingWeight(meeting({ participantCount: 40 }), RULES);
    expect(oneOnOne).toBeGreaterThan(five);
    expect(five).toBeGreaterThan(webinar);
  });

  it('counts duration sub-linearly, recurring occurrences and online meetings less', () => {
    const half = meetingWeight(meeting(), RULES);
    const twoHours = meetingWeight(meeting({ endAt: NOW - 7 * DAY + 120 * 60_000 }), RULES);
    const allDay = meetingWeight(meeting({ endAt: NOW - 7 * DAY + 10 * 3_600_000 }), RULES);
    expect(twoHours).toBeCloseTo(2 * half);
    expect(allDay).toBeCloseTo(Math.sqrt(8) * half);
    expect(meetingWeight(meeting({ type: 'occurrence' }), RULES)).toBeLessThan(half);
    expect(meetingWeight(meeting({ isOnline: false }), RULES)).toBeGreaterThan(half);
  });
});

describe('meetingTerms', () => {
  it('ties every employee to everyone else, never an external person to anyone', () => {
    const bob: Participant = { ...jane, personId: 3, companyDomain: 'fabrikam.com' };
    const lee: Participant = { ...dana, personId: 4, organizer: false, response: 'accepted' };
    const terms = meetingTerms(NOW, 1, 4, [dana, jane, bob, lee]);
    const pairs = terms.map((t) => `${t.personId}>${t.otherId}`).sort();
    expect(pairs).toEqual(['1>2', '1>3', '1>4', '4>1', '4>2', '4>3']);
    expect(terms.find((t) => t.personId === 1 && t.otherId === 4)?.otherDomain).toBeNull();
    expect(terms.find((t) => t.otherId === 3)?.otherDomain).toBe('fabrikam.com');
  });

  it('adds nothing for a person who declined', () => {
    const declined = { ...jane, response: 'declined' as const };
    expect(meetingTerms(NOW, 1, 2, [dana, declined])).toEqual([]);
    expect(
      meetingTerms(NOW, 1, 2, [{ ...dana, organizer: false, response: 'declined' }, jane]),
    ).toEqual([]);
  });
});

describe('scoreTie', () => {
  it('ranks the more recent of two equal histories higher', () => {
    expect(strength(cadence(14, 180, 0))).toBeGreaterThan(strength(cadence(14, 180, 200)));
  });

  it('scores more meetings higher with diminishing returns', () => {
    const one = strength(cadence(365, 1));
    const four = strength(cadence(7, 28));
    const twelve = strength(cadence(7, 84));
    const fortyEight = strength(cadence(7, 336));
    expect(four).toBeGreaterThan(one);
    expect(twelve).toBeGreaterThan(four);
    expect(fortyEight).toBeGreaterThanOrEqual(twelve);
    expect(fortyEight - twelve).toBeLessThan(twelve - four);
    expect(fortyEight).toBeLessThanOrEqual(100);
  });

  it('puts steady cadences on the documented ladder', () => {
    expect(labelOf(strength(cadence(7)))).toBe('strong');
    expect(strength(cadence(14))).toBeGreaterThanOrEqual(80);
    expect(labelOf(strength(cadence(30)))).toBe('medium');
    expect(labelOf(strength(cadence(91)))).toBe('weak');
    const tenPeople = meeting({ participantCount: 10 });
    expect(labelOf(strength([tenPeople]))).toBe('cold');
  });

  it('flags a strong tie that went quiet as dormant, keeping part of it', () => {
    const quiet = scoreTie(danaToJane(cadence(7, 540, 300)), NOW);
    expect(quiet.dormant).toBe(true);
    expect(quiet.strength).toBeGreaterThanOrEqual(15);
    expect(quiet.trend).not.toBe('up');
    expect(scoreTie(danaToJane(cadence(7)), NOW).dormant).toBe(false);
  });

  it('caps one-way contact at weak and says it is unconfirmed', () => {
    const ignored = { ...jane, response: 'none' as const };
    const score = scoreTie(danaToJane(cadence(7), [dana, ignored]), NOW);
    expect(score.unconfirmed).toBe(true);
    expect(score.strength).toBeLessThanOrEqual(39);
  });

  it('sees a relationship picking up as trending up', () => {
    const recentBurst = [...cadence(60, 360, 60), ...cadence(3, 21)];
    expect(scoreTie(danaToJane(recentBurst), NOW).trend).toBe('up');
    expect(scoreTie(danaToJane(cadence(7, 360, 40)), NOW).trend).toBe('down');
  });
});

describe('companyStrength', () => {
  it('combines the strongest contacts by noisy-OR, never above 100', () => {
    expect(companyStrength([50])).toBe(50);
    expect(companyStrength([50, 50])).toBe(75);
    expect(companyStrength([90, 80, 70, 60])).toBe(99);
    expect(companyStrength([])).toBe(0);
  });
});
