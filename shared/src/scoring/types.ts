// The answer every front end shows (contracts.md, REST `GET /api/intros`), and what the scorer
// says about one tie.

export type TieLabel = 'strong' | 'medium' | 'weak' | 'cold';
export type Trend = 'up' | 'down' | 'steady';

/** How well one employee knows one person or company, as of a moment. */
export interface TieScore {
  /** 0–100 */
  strength: number;
  label: TieLabel;
  /** was strong over the long memory and has gone quiet */
  dormant: boolean;
  /** the other side never accepted or organised a shared meeting: capped at weak */
  unconfirmed: boolean;
  trend: Trend;
}

export interface PersonRef {
  /** people.person_id as text */
  id: string;
  displayName: string;
  email: string;
}

/** What the target text was taken to mean. */
export type IntroTarget =
  | { kind: 'company'; name: string; domain: string }
  | { kind: 'person'; name: string; email: string; domain?: string };

/** One contact at the target the connector has met, with the evidence. */
export interface ContactEvidence {
  email: string;
  displayName: string;
  strength: number;
  label: TieLabel;
  meetings: number;
  oneOnOnes: number;
  /** ISO 8601 instants */
  firstMet: string | null;
  lastMet: string | null;
  trend: Trend;
  dormant: boolean;
  unconfirmed: boolean;
}

export interface IntroPath {
  connector: PersonRef & { reachable: boolean };
  /** the connector's tie to the target (company: noisy-OR of their top contacts), 0–100 */
  strength: number;
  label: TieLabel;
  /** what the ranking used: the tie, the caller's tie to the connector, hub damping; 0–100 */
  pathScore: number;
  /** 1: the caller's own tie or a colleague's; 2: caller → colleague (via) → contact */
  hops: 1 | 2;
  /** the colleague a 2-hop path goes through, with the caller's tie to them */
  via?: PersonRef & { strength: number; label: TieLabel };
  /** the connector is the caller */
  isCaller: boolean;
  contacts: ContactEvidence[];
  /** one sentence a person can read, e.g. "Dana met 2 people at Acme 14 times (5 one-on-ones), last 12 days ago" */
  explanation: string;
}

export interface Coverage {
  mailboxesSynced: number;
  mailboxesTracked: number;
  /** ISO 8601, the newest successful mailbox sync; null before any */
  lastSyncAt: string | null;
}

export interface IntroCandidate {
  kind: 'company' | 'person';
  name: string;
  domain?: string;
  email?: string;
  /** 0–1, how well the text matched */
  score: number;
}

export interface IntroAnswer {
  /** null when the text matched nothing or is ambiguous (see candidates) */
  target: IntroTarget | null;
  candidates?: IntroCandidate[];
  paths: IntroPath[];
  coverage: Coverage;
  /** why there are no paths, in words, when there are none */
  reason?: string;
}
