// "Who is the best way into Acme?": the ties into a company or person, ranked into explained
// intro paths for a caller. One function, used by the REST API, the bot and the add-in.
import { sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import {
  mailboxGeneration,
  queryPrepared,
  type Store,
  type StoreDb,
  type TieRow,
} from '../store/index.js';
import { trackedConnectors, type ConnectorFacts } from './connectors.js';
import { companyStrength, labelOf, scoreTie, type TieSums } from './model.js';
import { SCORING_PARAMETERS as P } from './parameters.js';
import { readTieSpans, type TieSpan } from './ties.js';
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

/** A tie into the target with the numbers ranking needs about its connector, read in one query. */
export interface TieInto {
  tie: TieFacts;
  /** the connector is still in the directory and enabled */
  connectorReachable: boolean;
  /** the connector's external contacts, for hub damping */
  connectorDegree: number;
  /** the caller's own tie to the connector, when there is a caller and a tie */
  callerTie: TieSums | undefined;
}

// tiesInto's columns, in the order its statement selects them
const TIE_INTO_COLUMNS = [
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
  'caller_g30',
  'caller_g90',
  'caller_g365',
  'caller_reciprocated',
] as const;

const nullableNumber = (value: unknown) => (value === null ? null : Number(value));

function tieIntoOf(values: readonly unknown[], connector: ConnectorFacts): TieInto {
  const callerG30 = values[10];
  return {
    tie: {
      person_id: Number(values[0]),
      other_id: Number(values[1]),
      g30: Number(values[2]),
      g90: Number(values[3]),
      g365: Number(values[4]),
      meetings: Number(values[5]),
      one_on_ones: Number(values[6]),
      reciprocated: Number(values[7]),
      first_met: nullableNumber(values[8]),
      last_met: nullableNumber(values[9]),
    },
    connectorReachable: connector.reachable,
    connectorDegree: connector.degree,
    callerTie:
      callerG30 === null || callerG30 === undefined
        ? undefined
        : {
            g30: Number(callerG30),
            g90: Number(values[11]),
            g365: Number(values[12]),
            reciprocated: Number(values[13]),
          },
  };
}

/**
 * Every tie of a tracked employee into the target (a company's contacts by people_domain_idx, or
 * one person), with whether its employee is reachable, their degree and the caller's tie to them.
 * Numbers only: a large company has thousands of ties, and names are read for the few shown
 * (peopleFacts). Who is tracked, reachable and how connected comes from trackedConnectors.
 */
export async function tiesInto(
  store: Pick<Store, 'db'> & Partial<Pick<Store, 'sqlite' | 'postgres'>>,
  tenantId: string,
  target: PathTarget,
  callerId: number | undefined,
): Promise<TieInto[]> {
  const [connectors, rows] = await Promise.all([
    trackedConnectors(store.db, tenantId),
    readTiesInto(store, tenantId, target, callerId),
  ]);
  const ties: TieInto[] = [];
  for (const values of rows) {
    // only employees whose mailboxes are tracked are connectors
    const connector = connectors.get(Number(values[0]));
    if (connector !== undefined) ties.push(tieIntoOf(values, connector));
  }
  return ties;
}

/** The ties into the target as rows of TIE_INTO_COLUMNS. */
async function readTiesInto(
  store: Pick<Store, 'db'> & Partial<Pick<Store, 'sqlite' | 'postgres'>>,
  tenantId: string,
  target: PathTarget,
  callerId: number | undefined,
): Promise<unknown[][]> {
  const contacts =
    target.kind === 'person'
      ? sql`c.person_id = ${target.personId}`
      : // personal mail is no company: gmail.com's users are not one organisation
        sql`c.domain = ${target.domain} and c.kind = 'external' and c.is_personal_domain = 0`;
  // SQL text rather than the query builder: this runs on every question, and building the
  // query cost ~30 times what this does
  const query = sql<Record<(typeof TIE_INTO_COLUMNS)[number], unknown>>`
    select t.person_id, t.other_id, t.g30, t.g90, t.g365, t.meetings, t.one_on_ones,
      t.reciprocated, t.first_met, t.last_met,
      ${
        callerId === undefined
          ? sql`null as caller_g30, null as caller_g90, null as caller_g365,
            null as caller_reciprocated`
          : sql`k.g30 as caller_g30, k.g90 as caller_g90, k.g365 as caller_g365,
            k.reciprocated as caller_reciprocated`
      }
    from people c
    join ties t on t.tenant_id = ${tenantId} and t.other_id = c.person_id
    ${
      // the caller's tie to each connector, for 2-hop paths
      callerId === undefined
        ? sql``
        : sql`left join ties k on k.tenant_id = ${tenantId} and k.other_id = t.person_id
            and k.person_id = ${callerId}`
    }
    where c.tenant_id = ${tenantId} and ${contacts}`;
  const compiled = query.compile(store.db);
  const { sqlite, postgres } = store;
  if (sqlite !== undefined) {
    // rows as arrays: building an object per row cost three times reading the ties
    return store.db.connection().execute(
      async () =>
        sqlite
          .prepare(compiled.sql)
          .raw(true)
          .all(...compiled.parameters) as unknown[][],
    );
  }
  if (postgres !== undefined) {
    // planned once per connection, rows as arrays: planning the join cost up to 3 ms a question
    return queryPrepared<unknown[]>(postgres, compiled, { rowMode: 'array' });
  }
  const { rows } = await query.execute(store.db);
  return rows.map((row) => TIE_INTO_COLUMNS.map((column) => row[column]));
}

/** Email, name and whether each of these people can still be asked, by person id. */
export async function peopleFacts(
  db: StoreDb,
  tenantId: string,
  personIds: Iterable<number>,
): Promise<Map<number, PersonFacts>> {
  const facts = new Map<number, PersonFacts>();
  const ids = [...new Set(personIds)];
  for (let i = 0; i < ids.length; i += PEOPLE_PER_STATEMENT) {
    const rows = await db
      .selectFrom('people')
      .select(['person_id', 'email', 'display_name', 'account_enabled', 'left_at'])
      .where('tenant_id', '=', tenantId)
      .where('person_id', 'in', ids.slice(i, i + PEOPLE_PER_STATEMENT))
      .execute();
    for (const row of rows) {
      facts.set(row.person_id, {
        personId: row.person_id,
        email: row.email,
        displayName: row.display_name ?? row.email,
        // disabled or gone from the directory: still shown, but nobody to ask
        reachable:
          (row.account_enabled === null || Number(row.account_enabled) !== 0) &&
          row.left_at === null,
      });
    }
  }
  return facts;
}

// ids per peopleFacts statement, well under either engine's bound-parameter limit
const PEOPLE_PER_STATEMENT = 1_000;

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

// coverage changes at sync pace, and every answer carries it: reused this long per tenant
const COVERAGE_REUSE_MS = 1_000;
const coverageCaches = new WeakMap<
  StoreDb,
  LRUCache<string, { coverage: Coverage; generation: number }>
>();

/**
 * readCoverage, reused for up to a second per tenant: a mailbox write in this process
 * (mailboxGeneration) makes the next read fresh, one by another process shows within the second.
 */
export async function currentCoverage(db: StoreDb, tenantId: string): Promise<Coverage> {
  let cache = coverageCaches.get(db);
  if (cache === undefined) {
    cache = new LRUCache({ max: 10_000, ttl: COVERAGE_REUSE_MS });
    coverageCaches.set(db, cache);
  }
  const generation = mailboxGeneration(tenantId);
  const cached = cache.get(tenantId);
  if (cached !== undefined && cached.generation === generation) return { ...cached.coverage };
  const coverage = await readCoverage(db, tenantId);
  cache.set(tenantId, { coverage, generation });
  return { ...coverage };
}

interface ContactTie {
  tie: TieFacts;
  score: TieScore;
}

/** A connector ranked into the top paths, before names are read. */
export interface RankedPath {
  connectorId: number;
  reachable: boolean;
  /** their ties into the target, strongest first */
  contacts: ContactTie[];
  strength: number;
  pathScore: number;
  /** the caller's tie to the connector, when it makes this a 2-hop path */
  via: { strength: number; label: TieLabel } | undefined;
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
  path: RankedPath,
  connector: PersonFacts,
  evidence: ContactEvidence[],
  targetName: string,
  now: number,
): string {
  const who = path.isCaller ? 'You' : connector.displayName;
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
  if (path.via !== undefined) {
    text = `You know ${connector.displayName} (${path.via.label}). ${text}`;
  }
  if (!path.reachable) {
    text += ` ${connector.displayName} is no longer in the directory or is disabled.`;
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
  store: Pick<Store, 'db' | 'dialect'> & Partial<Pick<Store, 'sqlite' | 'postgres'>>,
  query: IntroPathsQuery,
): Promise<{ paths: IntroPath[]; coverage: Coverage }> {
  const [ties, coverage] = await Promise.all([
    tiesInto(store, query.tenantId, query.target, query.callerPersonId),
    currentCoverage(store.db, query.tenantId),
  ]);
  const ranked = rankIntroPaths(ties, query);
  const shown = await readShownFacts(store, query.tenantId, ranked);
  return { paths: describeIntroPaths(ranked, shown, query), coverage };
}

/** What describeIntroPaths says about the people and ties it shows, read for only those. */
export interface ShownFacts {
  people: ReadonlyMap<number, PersonFacts>;
  /** first and last met by `${connectorId}:${contactId}`, of shown ties whose span is unknown */
  spans: ReadonlyMap<string, TieSpan>;
}

/** The tie's stored first and last met, when a meeting that may have set one has not gone since. */
function storedSpan(tie: TieFacts): TieSpan | undefined {
  return tie.first_met === null || tie.first_met < 0 || tie.last_met === null
    ? undefined
    : { firstMet: tie.first_met, lastMet: tie.last_met };
}

/**
 * Names of the connectors and contacts the ranked paths show (and of `alsoPeople`), and first and
 * last met of each shown tie whose stored span is unknown; the two reads run side by side.
 */
export async function readShownFacts(
  store: Pick<Store, 'db' | 'dialect'> & Partial<Pick<Store, 'postgres'>>,
  tenantId: string,
  ranked: readonly RankedPath[],
  alsoPeople: Iterable<number> = [],
): Promise<ShownFacts> {
  const shownTies = ranked.flatMap((path) =>
    path.contacts.slice(0, P.maxContactsPerPath).map((c) => ({
      personId: path.connectorId,
      otherId: c.tie.other_id,
      known: storedSpan(c.tie) !== undefined,
    })),
  );
  const [people, spans] = await Promise.all([
    peopleFacts(store.db, tenantId, [
      ...ranked.map((path) => path.connectorId),
      ...shownTies.map((tie) => tie.otherId),
      ...alsoPeople,
    ]),
    readTieSpans(
      store,
      tenantId,
      shownTies.filter((tie) => !tie.known),
    ),
  ]);
  return { people, spans };
}

/** The top paths for a caller over ties already read with tiesInto for the same target and caller. */
export function rankIntroPaths(
  ties: readonly TieInto[],
  query: Pick<IntroPathsQuery, 'target' | 'callerPersonId' | 'now'>,
): RankedPath[] {
  const { target } = query;
  const now = query.now ?? Date.now();
  const callerId = query.callerPersonId;
  if (ties.length === 0) return [];

  const byConnector = new Map<number, { first: TieInto; contacts: ContactTie[] }>();
  for (const into of ties) {
    const contact = { tie: into.tie, score: scoreTie(into.tie, now) };
    const seen = byConnector.get(into.tie.person_id);
    if (seen === undefined)
      byConnector.set(into.tie.person_id, { first: into, contacts: [contact] });
    else seen.contacts.push(contact);
  }

  // hub damping against the typical candidate for this target, not the whole tenant
  const sortedDegrees = [...byConnector.values()]
    .map(({ first }) => first.connectorDegree)
    .sort((a, b) => a - b);
  const medianDegree = sortedDegrees[Math.floor(sortedDegrees.length / 2)] ?? 0;
  const candidates: RankedPath[] = [];
  for (const [connectorId, { first, contacts }] of byConnector) {
    // equal scores in a steady order: by contact id, as the ties are keyed
    contacts.sort(
      (a, b) =>
        b.score.strength - a.score.strength ||
        b.tie.meetings - a.tie.meetings ||
        a.tie.other_id - b.tie.other_id,
    );
    const strength =
      target.kind === 'company'
        ? companyStrength(contacts.map((c) => c.score.strength))
        : (contacts[0]?.score.strength ?? 0);
    const degree = first.connectorDegree;
    const hub = Math.min(
      1,
      (Math.log1p(medianDegree) / Math.log1p(Math.max(degree, 1))) ** P.hubExponent,
    );
    const isCaller = connectorId === callerId;
    let via: RankedPath['via'];
    let social = 1;
    if (!isCaller && callerId !== undefined) {
      const internal = first.callerTie;
      const t = internal === undefined ? 0 : scoreTie(internal, now).strength;
      social = P.pathFloor + (1 - P.pathFloor) * (t / 100);
      if (t >= P.viaMinimum) via = { strength: t, label: labelOf(t) };
    }
    const reachable = first.connectorReachable;
    const pathScore = reachable ? strength * (isCaller ? 1 : social * hub) : 0;
    candidates.push({ connectorId, reachable, contacts, strength, pathScore, via, isCaller });
  }
  return diversify(candidates).slice(0, P.maxPaths);
}

/** The ranked paths as answers, with what readShownFacts read for them. */
export function describeIntroPaths(
  ranked: readonly RankedPath[],
  { people, spans }: ShownFacts,
  query: Pick<IntroPathsQuery, 'target' | 'now'>,
): IntroPath[] {
  const now = query.now ?? Date.now();
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const factsOf = (personId: number): PersonFacts =>
    // a person deleted between the two reads keeps their place, by id
    people.get(personId) ?? {
      personId,
      email: '',
      displayName: `person ${personId}`,
      reachable: false,
    };
  return ranked.map((path): IntroPath => {
    const connector = factsOf(path.connectorId);
    const evidence = path.contacts
      .slice(0, P.maxContactsPerPath)
      .map(({ tie, score }): ContactEvidence => {
        const contact = factsOf(tie.other_id);
        const span = storedSpan(tie) ?? spans.get(`${path.connectorId}:${tie.other_id}`);
        return {
          email: contact.email,
          displayName: contact.displayName,
          strength: score.strength,
          label: score.label,
          meetings: tie.meetings,
          oneOnOnes: tie.one_on_ones,
          firstMet: iso(span?.firstMet),
          lastMet: iso(span?.lastMet),
          trend: score.trend,
          dormant: score.dormant,
          unconfirmed: score.unconfirmed,
        };
      });
    return {
      connector: { ...personRef(connector), reachable: path.reachable },
      strength: path.strength,
      label: labelOf(path.strength),
      pathScore: Math.round(path.pathScore),
      hops: path.via === undefined ? 1 : 2,
      ...(path.via === undefined ? {} : { via: { ...personRef(connector), ...path.via } }),
      isCaller: path.isCaller,
      contacts: evidence,
      explanation: explain(path, connector, evidence, query.target.name, now),
    };
  });
}

/**
 * Maximal marginal relevance over the candidates: a path whose best contact a higher path already
 * leads to gives way to a comparable path through someone else. Unreachable connectors go last.
 */
function diversify(candidates: RankedPath[]): RankedPath[] {
  const pool = [...candidates].sort(
    (a, b) => b.pathScore - a.pathScore || b.strength - a.strength || a.connectorId - b.connectorId,
  );
  const chosen: RankedPath[] = [];
  const contactsShown = new Set<number>();
  while (pool.length > 0 && chosen.length < P.maxPaths) {
    let bestIndex = 0;
    let bestValue = -Infinity;
    for (let i = 0; i < pool.length; i++) {
      const candidate = pool[i]!;
      const top = candidate.contacts[0]?.tie.other_id;
      const similarity = top !== undefined && contactsShown.has(top) ? P.sameContactSimilarity : 0;
      // relative to the path's own score: only a comparable path through someone else moves up,
      // never a cold one above a medium one
      const value = candidate.pathScore * (P.mmrLambda - (1 - P.mmrLambda) * similarity);
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
