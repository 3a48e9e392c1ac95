// Every number the relationship model uses, in one place. docs/scoring-model.md explains each one
// and where it comes from; changing any of them needs a rebuild (PARAMETERS_VERSION below).

const DAY_MS = 86_400_000;

export const SCORING_PARAMETERS = {
  /** forward-decay landmark L (2020-01-01T00:00Z); sums are Σ w·2^((t−L)/H). Re-landmark before 2100. */
  landmarkMs: Date.UTC(2020, 0, 1),
  /** half-lives: trend (30 d), warmth (90 d), history (365 d) */
  halfLifeMs: { short: 30 * DAY_MS, warm: 90 * DAY_MS, long: 365 * DAY_MS },

  /** meetings with more people than this make no person-to-person tie (webinars, all-hands) */
  maxPeople: 30,
  /** duration weight sqrt(min(d, cap)/unit): 30 min = 1, 1 h = 1.41, 4 h and more = 2.83 */
  durationUnitMinutes: 30,
  durationCapMinutes: 240,
  /** all-day events weigh as one unit */
  allDayDurationWeight: 1,
  /** each side's answer: accepted or organised 1, tentative 0.5, no answer 0.3, declined 0 */
  responseWeight: {
    organizer: 1,
    accepted: 1,
    tentativelyAccepted: 0.5,
    none: 0.3,
    notResponded: 0.3,
    declined: 0,
  },
  /** either side organised it: the initiative counts */
  organizerBonus: 1.5,
  /** an occurrence of a recurring series: attendance is less certain */
  recurringWeight: 0.75,
  /** in person (not an online meeting) */
  inPersonWeight: 1.2,

  /**
   * warmth 100·(1 − e^(−A90/κ)); κ puts steady biweekly 30-minute 1:1s at about 85. The research
   * note's κ = 5.2 assumed weight 1 per 1:1; someone always organises a 1:1, so ×1.5 here.
   */
  kappaWarm: 5.2 * 1.5,
  /** history ladder, κ scaled by 365/90 so steady cadences land alike on both */
  kappaLong: 5.2 * 1.5 * (365 / 90),
  /** the history ladder counts at this share: a dormant tie fades, it does not vanish */
  longMemoryShare: 0.6,
  /** labels: strong ≥ 70, medium ≥ 40, weak ≥ 15, else cold */
  labels: { strong: 70, medium: 40, weak: 15 },
  /** one-way contact (the other side never accepted or organised) is capped here: weak at best */
  unconfirmedCap: 39,
  /** dormant: the long memory outweighs recent warmth, and on its own ladder it reaches this */
  dormantHistory: 60,
  /** trend: 30-day rate above 1.25× (below 0.8×) the 90-day rate is up (down) */
  trendUp: 1.25,
  trendDown: 0.8,

  /** company tie: noisy-OR over the employee's strongest contacts there, this many */
  companyTopContacts: 3,

  /** 2-hop path score (0.4 + 0.6·t)·s: any colleague can be asked, a known one more readily */
  pathFloor: 0.4,
  /** the caller's tie to a colleague makes the path 2-hop from this strength (weak and up) */
  viaMinimum: 15,
  /** hub damping h = min(1, (ln(1+median)/ln(1+degree))^exponent), degree = contacts ≥ weak */
  hubExponent: 0.5,
  /** diversity (MMR): a path whose best contact is already a higher path's pays this share */
  mmrLambda: 0.7,
  sameContactSimilarity: 0.5,
  /** paths in an answer */
  maxPaths: 10,
  /** contacts listed per path */
  maxContactsPerPath: 5,
} as const;

/** Bump when any parameter above or the contribution rules change: stored ties are then rebuilt. */
export const PARAMETERS_VERSION = '2026-11-21.1';

export type ScoringParameters = typeof SCORING_PARAMETERS;
