// "Who is the best way into Acme?": the ties into a company or person, ranked into explained
// intro paths for a caller. One function, used by the REST API, the bot and the add-in.
import { chunked, rowsPerStatement } from '../store/batch.js';
import type { Store, StoreDb, TieRow } from '../store/index.js';
import { companyStrength, labelOf, scoreTie } from './model.js';
import { SCORING_PARAMETERS as P } from './parameters.js';
import type {
  ContactEvidence,
  Coverage,
  IntroPath,
  PersonRef,
  TieLabel,
  TieScore,
} from './types.js';

const DAY_MS = 86_400_000;

/** What the paths lead into: a company by domain, or one person. */
export type PathTarget =
  | { kind: 'company'; domain: string; name: string }
  | { kind: 'person'; personId: number; name: string };

export interface IntroPathsQuery {
  tenantId: string;
  target: PathTarget;
  /** people.person_id of who asks; without one, paths are colleagues' ties only */
  callerPersonId?: number | undefined;
  /** epoch ms the scores are read at; default now */
  now?: number | undefined;
}

interface PersonFacts {
  personId: number;
  email: string;
  displayName: string;
  reachable: boolean;
}

type TieFacts = Pick<
  TieRow,
  | 'person_id'
  | 'other_id'
  | 'g30'
  | 'g90'
  | 'g365'
  | 'meetings'
  | 'one_on_ones'
  | 'reciprocated'
  | 'first_met'
  | 'last_met'
>;

const TIE_COLUMNS = [
  'person_id',
  'other_id',
  'g30',
  'g90',
  'g365',
  'meetings',
  'one_on_ones',
  'reciprocated',
  'first_met',
  'last_met',
] as const;

function numeric(tie: TieFacts): TieFacts {
  // PostgreSQL returns doubles as numbers and integers as numbers; SQLite too: normalise anyway
  return {
    person_id: Number(tie.person_id),
    other_id: Number(tie.other_id),
    g30: Number(tie.g30),
    g90: Number(tie.g90),
    g365: Number(tie.g365),
    meetings: Number(tie.meetings),
    one_on_ones: Number(tie.one_on_ones),
    reciprocated: Number(tie.reciprocated),
    first_met: tie.first_met === null ? null : Number(tie.first_met),
    last_met: tie.last_met === null ? null : Number(tie.last_met),
  };
}

/** Every tie into the target: a company's contacts by domain, then each contact's ties. */
async function tiesInto(db: StoreDb, tenantId: string, target: PathTarget): Promise<TieFacts[]> {
  const contactIds =
    target.kind === 'person'
      ? [target.personId]
      : await companyContactIds(db, tenantId, target.domain);
  const ties: TieFacts[] = [];
  for (const slice of chunked(contactIds, rowsPerStatement(1))) {
    const rows = await db
      .selectFrom('ties')
      .select(TIE_COLUMNS)
      .where('tenant_id', '=', tenantId)
      .where('other_id', 'in', slice)
      .execute();
    for (const row of rows) ties.push(numeric(row));
  }
  return ties;
}

/** The external people at a company domain (never personal mail: gmail.com is no company). */
export async function companyContactIds(
  db: StoreDb,
  tenantId: string,
  domain: string,
): Promise<number[]> {
  const rows = await db
    .selectFrom('people')
    .select('person_id')
    .where('tenant_id', '=', tenantId)
    .where('domain', '=', domain)
    .where('kind', '=', 'external')
    .where('is_personal_domain', '=', 0)
    .execute();
  return rows.map((row) => Number(row.person_id));
}

/** Employees among `personIds` whose mailboxes are tracked: only they can be connectors. */
export async function trackedAmong(
  db: StoreDb,
  tenantId: string,
  personIds: readonly number[],
): Promise<Set<number>> {
  const tracked = new Set<number>();
  for (const slice of chunked(personIds, rowsPerStatement(1))) {
    const rows = await db
      .selectFrom('mailboxes')
      .select('person_id')
      .where('tenant_id', '=', tenantId)
      .where('state', '<>', 'removed')
      .where('person_id', 'in', slice)
      .execute();
    for (const row of rows) if (row.person_id !== null) tracked.add(Number(row.person_id));
  }
  return tracked;
}

async function peopleFacts(
  db: StoreDb,
  tenantId: string,
  personIds: readonly number[],
): Promise<Map<number, PersonFacts>> {
  const facts = new Map<number, PersonFacts>();
  for (const slice of chunked([...new Set(personIds)], rowsPerStatement(1))) {
    const rows = await db
      .selectFrom('people')
      .select(['person_id', 'email', 'display_name', 'account_enabled', 'left_at'])
      .where('tenant_id', '=', tenantId)
      .where('person_id', 'in', slice)
      .execute();
    for (const row of rows) {
      facts.set(Number(row.person_id), {
        personId: Number(row.person_id),
        email: row.email,
        displayName: row.display_name ?? row.email,
        // disabled or gone from the directory: still shown, but nobody to ask
        reachable: row.account_enabled !== 0 && row.left_at === null,
      });
    }
  }
  return facts;
}

/** The caller's own ties to these colleagues. */
async function callerTies(
  db: StoreDb,
  tenantId: string,
  callerId: number,
  colleagueIds: readonly number[],
): Promise<Map<number, TieFacts>> {
  const ties = new Map<number, TieFacts>();
  for (const slice of chunked(colleagueIds, rowsPerStatement(1))) {
    const rows = await db
      .selectFrom('ties')
      .select(TIE_COLUMNS)
      .where('tenant_id', '=', tenantId)
      .where('person_id', '=', callerId)
      .where('other_id', 'in', slice)
      .execute();
    for (const row of rows) ties.set(Number(row.other_id), numeric(row));
  }
  return ties;
}

/** External contacts each connector has, for hub damping. */
async function externalDegrees(
  db: StoreDb,
  tenantId: string,
  personIds: readonly number[],
): Promise<Map<number, number>> {
  const degrees = new Map<number, number>();
  for (const slice of chunked(personIds, rowsPerStatement(1))) {
    const rows = await db
      .selectFrom('tie_degrees')
      .select(['person_id', 'external_contacts'])
      .where('tenant_id', '=', tenantId)
      .where('person_id', 'in', slice)
      .execute();
    for (const row of rows) degrees.set(Number(row.person_id), Number(row.external_contacts));
  }
  return degrees;
}

/** Mailboxes tracked and synced, and the newest successful sync. */
export async function readCoverage(db: StoreDb, tenantId: string): Promise<Coverage> {
  const row = await db
    .selectFrom('mailboxes')
    .select([
      (eb) => eb.fn.countAll<number>().as('tracked'),
      (eb) => eb.fn.count<number>('last_success_at').as('synced'),
      (eb) => eb.fn.max('last_success_at').as('last'),
    ])
    .where('tenant_id', '=', tenantId)
    .where('state', '<>', 'removed')
    .executeTakeFirst();
  const last = row?.last;
  return {
    mailboxesTracked: Number(row?.tracked ?? 0),
    mailboxesSynced: Number(row?.synced ?? 0),
    lastSyncAt: last === null || last === undefined ? null : new Date(Number(last)).toISOString(),
  };
}

interface Candidate {
  connector: PersonFacts;
  contacts: { tie: TieFacts; score: TieScore }[];
  strength: number;
  pathScore: number;
  via: (PersonRef & { strength: number; label: TieLabel }) | undefined;
  isCaller: boolean;
}

function personRef(person: PersonFacts): PersonRef {
  return { id: String(person.personId), displayName: person.displayName, email: person.email };
}

function ago(days: number): string {
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 60) return `${days} days ago`;
  if (days < 730) return `${Math.round(days / 30.4)} months ago`;
  return `${Math.round(days / 365)} years ago`;
}

function explain(
  candidate: Candidate,
  evidence: ContactEvidence[],
  targetName: string,
  now: number,
): string {
  const who = candidate.isCaller ? 'You' : candidate.connector.displayName;
  const meetings = evidence.reduce((sum, c) => sum + c.meetings, 0);
  const oneOnOnes = evidence.reduce((sum, c) => sum + c.oneOnOnes, 0);
  const last = evidence.reduce<string | null>(
    (latest, c) =>
      c.lastMet !== null && (latest === null || c.lastMet > latest) ? c.lastMet : latest,
    null,
  );
  const people =
    evidence.length === 1 ? (evidence[0]?.displayName ?? '1 person') : `${evidence.length} people`;
  const at = evidence.length === 1 ? '' : ` at ${targetName}`;
  let text = `${who} met ${people}${at} ${meetings} time${meetings === 1 ? '' : 's'}`;
  if (oneOnOnes > 0) text += ` (${oneOnOnes} one-on-one${oneOnOnes === 1 ? '' : 's'})`;
  if (last !== null) text += `, last ${ago(Math.floor((now - Date.parse(last)) / DAY_MS))}`;
  text += '.';
  const trend = evidence[0]?.trend;
  if (evidence.every((c) => c.dormant)) text += ' The relationship has gone quiet.';
  else if (trend === 'up') text += ' Meeting more often lately.';
  else if (trend === 'down') text += ' Meeting less often lately.';
  if (evidence.every((c) => c.unconfirmed)) {
    text += ` ${targetName} has not accepted or organised any of these meetings.`;
  }
  if (candidate.via !== undefined) {
    text = `You know ${candidate.connector.displayName} (${candidate.via.label}). ${text}`;
  }
  if (!candidate.connector.reachable) {
    text += ` ${candidate.connector.displayName} is no longer in the directory or is disabled.`;
  }
  return text;
}

/**
 * Ranked, explained paths into a company or a person for a caller, with coverage. Only employees
 * whose mailboxes are tracked are connectors; those who left are marked not reachable and ranked
 * last. The caller's own ties come first among equals; a colleague the caller knows turns a path
 * into a 2-hop one whose score combines both ties; connectors with far more contacts than the
 * other candidates are damped, and the top paths are diversified by their best contact.
 */
export async function introPathsFor(
  store: Pick<Store, 'db'>,
  query: IntroPathsQuery,
): Promise<{ paths: IntroPath[]; coverage: Coverage }> {
  const { tenantId, target } = query;
  const now = query.now ?? Date.now();
  const db = store.db;
  const [ties, coverage] = await Promise.all([
    tiesInto(db, tenantId, target),
    readCoverage(db, tenantId),
  ]);
  const connectorIds = [...new Set(ties.map((tie) => tie.person_id))];
  const tracked = await trackedAmong(db, tenantId, connectorIds);
  const counted = ties.filter((tie) => tracked.has(tie.person_id));
  if (counted.length === 0) return { paths: [], coverage };

  const byConnector = new Map<number, { tie: TieFacts; score: TieScore }[]>();
  for (const tie of counted) {
    const list = byConnector.get(tie.person_id) ?? [];
    list.push({ tie, score: scoreTie(tie, now) });
    byConnector.set(tie.person_id, list);
  }
  const ids = [...byConnector.keys()];
  const callerId = query.callerPersonId;
  const [people, degrees, known] = await Promise.all([
    peopleFacts(db, tenantId, [
      ...ids,
      ...counted.map((tie) => tie.other_id),
      ...(callerId === undefined ? [] : [callerId]),
    ]),
    externalDegrees(db, tenantId, ids),
    callerId === undefined
      ? Promise.resolve(new Map<number, TieFacts>())
      : callerTies(db, tenantId, callerId, ids),
  ]);

  // hub damping against the typical candidate for this target, not the whole tenant
  const sortedDegrees = ids.map((id) => degrees.get(id) ?? 0).sort((a, b) => a - b);
  const medianDegree = sortedDegrees[Math.floor(sortedDegrees.length / 2)] ?? 0;
  const candidates: Candidate[] = [];
  for (const [connectorId, contacts] of byConnector) {
    const connector = people.get(connectorId);
    if (connector === undefined) continue;
    contacts.sort((a, b) => b.score.strength - a.score.strength || b.tie.meetings - a.tie.meetings);
    const strength =
      target.kind === 'company'
        ? companyStrength(contacts.map((c) => c.score.strength))
        : (contacts[0]?.score.strength ?? 0);
    const degree = degrees.get(connectorId) ?? 0;
    const hub = Math.min(
      1,
      (Math.log1p(medianDegree) / Math.log1p(Math.max(degree, 1))) ** P.hubExponent,
    );
    const isCaller = connectorId === callerId;
    let via: Candidate['via'];
    let social = 1;
    if (!isCaller && callerId !== undefined) {
      const internal = known.get(connectorId);
      const t = internal === undefined ? 0 : scoreTie(internal, now).strength;
      social = P.pathFloor + (1 - P.pathFloor) * (t / 100);
      if (t >= P.viaMinimum) via = { ...personRef(connector), strength: t, label: labelOf(t) };
    }
    const pathScore = connector.reachable ? strength * (isCaller ? 1 : social * hub) : 0;
    candidates.push({ connector, contacts, strength, pathScore, via, isCaller });
  }

  const ranked = diversify(candidates).slice(0, P.maxPaths);
  const paths = ranked.map((candidate): IntroPath => {
    const evidence = candidate.contacts
      .slice(0, P.maxContactsPerPath)
      .map(({ tie, score }): ContactEvidence => {
        const person = people.get(tie.other_id);
        return {
          email: person?.email ?? '',
          displayName: person?.displayName ?? '',
          strength: score.strength,
          label: score.label,
          meetings: tie.meetings,
          oneOnOnes: tie.one_on_ones,
          firstMet: tie.first_met === null ? null : new Date(tie.first_met).toISOString(),
          lastMet: tie.last_met === null ? null : new Date(tie.last_met).toISOString(),
          trend: score.trend,
          dormant: score.dormant,
          unconfirmed: score.unconfirmed,
        };
      });
    return {
      connector: { ...personRef(candidate.connector), reachable: candidate.connector.reachable },
      strength: candidate.strength,
      label: labelOf(candidate.strength),
      pathScore: Math.round(candidate.pathScore),
      hops: candidate.via === undefined ? 1 : 2,
      ...(candidate.via === undefined ? {} : { via: candidate.via }),
      isCaller: candidate.isCaller,
      contacts: evidence,
      explanation: explain(candidate, evidence, target.name, now),
    };
  });
  return { paths, coverage };
}

/**
 * Maximal marginal relevance over the candidates: a path whose best contact a higher path already
 * leads to gives way to a comparable path through someone else. Unreachable connectors go last.
 */
function diversify(candidates: Candidate[]): Candidate[] {
  const pool = [...candidates].sort(
    (a, b) =>
      b.pathScore - a.pathScore ||
      b.strength - a.strength ||
      a.connector.personId - b.connector.personId,
  );
  const chosen: Candidate[] = [];
  const contactsShown = new Set<number>();
  while (pool.length > 0 && chosen.length < P.maxPaths) {
    let bestIndex = 0;
    let bestValue = -Infinity;
    for (let i = 0; i < pool.length; i++) {
      const candidate = pool[i]!;
      const top = candidate.contacts[0]?.tie.other_id;
      const similarity = top !== undefined && contactsShown.has(top) ? P.sameContactSimilarity : 0;
      const value = P.mmrLambda * candidate.pathScore - (1 - P.mmrLambda) * similarity * 100;
      if (value > bestValue) {
        bestValue = value;
        bestIndex = i;
      }
    }
    const [picked] = pool.splice(bestIndex, 1);
    if (picked === undefined) break;
    chosen.push(picked);
    const top = picked.contacts[0]?.tie.other_id;
    if (top !== undefined) contactsShown.add(top);
  }
  return chosen;
}
