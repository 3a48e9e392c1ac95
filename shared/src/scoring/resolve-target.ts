// The first step of "who knows Acme?": what "Acme" is. Typed text becomes a company (a domain the
// tenant's external contacts write from), a person the tenant has met, a short list when several
// fit about equally well, or nothing, with a sentence saying why.
import { sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import SearchableMap from 'minisearch/SearchableMap';
import { parse as parseHost } from 'tldts';
import { findPeopleByEmail } from '../store/people.js';
import { findResourceIdentities } from '../store/resource-identities.js';
import type { Store, StoreDb } from '../store/index.js';
import {
  emailHost,
  isPersonalMailDomain,
  normalizeEmailAddress,
  registrableDomain,
} from '../sync/mail-domains.js';
import {
  bestSimilarity,
  companyFromDisplayName,
  companyKeys,
  companyNameFromDomain,
  editDistance,
  nameTokens,
  personKeys,
  personName,
  typoAllowance,
  type NameKey,
} from './company-names.js';
import type { IntroCandidate } from './types.js';

export type TargetResolution =
  | { kind: 'company'; domain: string; name: string }
  | { kind: 'person'; personId: number; email: string; name: string; domain: string | null }
  | { kind: 'ambiguous'; candidates: IntroCandidate[] }
  | { kind: 'none'; reason: string };

/** Below this similarity (0–1) a name is not taken to mean the typed text. */
export const MIN_MATCH_SCORE = 0.6;
/** Matches this close to the best one are "about equally good": the answer is ambiguous. */
export const AMBIGUITY_MARGIN = 0.04;
/** Most candidates an ambiguous answer lists. */
export const MAX_CANDIDATES = 8;
// once ambiguous, also list weaker matches this close to the best, so the list reads as "did you mean"
const CANDIDATE_WINDOW = 0.25;
// the quick score's best hits that get the finer 0–1 score; the right one is always among the top few
const RETRIEVED = 64;
// a full rebuild picks up changed names and kinds, which new-id catch-up cannot see
const REBUILD_AFTER_MS = 10 * 60_000;
// more new people than this since the last look: rebuild instead of adding them one by one
const CATCH_UP_LIMIT = 20_000;
const LOAD_PAGE = 10_000;
// cached indexes per store, bounded by entries held (a 200,000-contact tenant is ~220,000, ~40 MB)
const CACHE_MAX_ENTRIES = 1_000_000;
const CACHE_MAX_TENANTS = 64;
// names per company it is findable by; more only repeat the same words
const NAMES_PER_COMPANY = 6;

/** What resolveTarget needs to know about a person; the store's Person carries much more. */
interface PersonEntry {
  personId: number;
  email: string;
  name: string;
  /** registrable domain, or null on a personal mail domain */
  domain: string | null;
  internal: boolean;
}

/** One company domain and what the tenant's contacts there say it is called. */
interface CompanyEntry {
  slot: number;
  domain: string;
  contacts: number;
  /** company names seen for it, with weights: the directory's company_name 2, a display-name note 1 */
  names: Map<string, number> | undefined;
  /** the words it is findable by, so a new name adds only new ones */
  terms: string[];
  /** its names as comparison keys, made on first use and dropped when a name is added */
  keys: NameKey[] | undefined;
}

interface PersonLoadRow {
  person_id: number;
  email: string;
  display_name: string | null;
  kind: 'internal' | 'external';
  domain: string;
  is_personal_domain: 0 | 1;
  company_name: string | null;
}

/** The tenant's own organisation: never a target, but worth recognising to say so. */
interface OwnOrganisation {
  displayName: string;
  domains: ReadonlySet<string>;
  names: NameKey[];
}

interface TenantState {
  displayName: string;
  verifiedDomains: string[];
  extraInternalDomains: string[];
  maxPersonId: number;
}

// MiniSearch's Levenshtein counts a swap of two letters as 2: companies retrieve wide (few words,
// 20,000 domains); people, 200,000 of them, as wide as the typo score forgives
const companyFuzziness = (term: string): number =>
  term.length <= 2 ? 0 : term.length <= 3 ? 1 : 2;
const personFuzziness = (term: string): number => (term.length <= 2 ? 0 : term.length <= 4 ? 1 : 2);

/**
 * Words → the entries (by slot) whose names hold them. MiniSearch's radix tree (SearchableMap)
 * finds the words with prefix and fuzzy search; the postings are plain arrays, because a full
 * MiniSearch document index costs ~75 MB per 200,000 people and this ~5 MB.
 */
class TermIndex {
  readonly #postings = new SearchableMap<number[]>();

  add(slot: number, terms: Iterable<string>): void {
    for (const term of terms) {
      const posting = this.#postings.get(term);
      if (posting === undefined) this.#postings.set(term, [slot]);
      else if (posting[posting.length - 1] !== slot) posting.push(slot);
    }
  }

  /**
   * Slots whose words match the typed words exactly, by prefix or within `fuzziness` typos,
   * best `limit` first by a quick score; the first `matchingEvery` of them match every typed word
   * (a slot matching more words always ranks above one matching fewer).
   */
  search(
    typed: readonly string[],
    fuzziness: (term: string) => number,
    limit: number,
  ): { slots: number[]; matchingEvery: number } {
    const words = [...new Set(typed)];
    // per slot: WORD_MATCHED per typed word it matches plus the match qualities (each ≤ 1)
    const totals = new Map<number, number>();
    for (const word of words) {
      const quality = new Map<string, number>();
      if (this.#postings.has(word)) quality.set(word, 1);
      if (word.length >= 3) {
        for (const term of this.#postings.atPrefix(word).keys()) {
          if (!quality.has(term)) quality.set(term, 0.5 + (0.5 * word.length) / term.length);
        }
      }
      const typos = fuzziness(word);
      if (typos > 0) {
        for (const [term, [, distance]] of this.#postings.fuzzyGet(word, typos)) {
          if (quality.has(term)) continue;
          // only typos the fine score forgives: the rest would retrieve names it then scores 0
          // ("water" ~ "baxter"), and common short words retrieve thousands of them
          if (!forgiven(word, term, distance)) continue;
          quality.set(term, 1 - distance / Math.max(word.length, term.length));
        }
      }
      // best terms first, so a slot counts its best match for this word and no other
      const seen = new Set<number>();
      for (const [term, score] of [...quality].sort((a, b) => b[1] - a[1])) {
        for (const slot of this.#postings.get(term) ?? []) {
          if (seen.has(slot)) continue;
          seen.add(slot);
          totals.set(slot, (totals.get(slot) ?? 0) + WORD_MATCHED + score);
        }
      }
    }
    const { slots, scores } = topSlots(totals, limit);
    const everyWord = words.length * WORD_MATCHED;
    let matchingEvery = 0;
    while (matchingEvery < scores.length && scores[matchingEvery]! >= everyWord) matchingEvery++;
    return { slots, matchingEvery };
  }
}

/** A term fuzzy search found within `distance` (Levenshtein) that wordSimilarity would accept as a typo. */
function forgiven(word: string, term: string, distance: number): boolean {
  const allowance = typoAllowance(Math.min(word.length, term.length));
  // Levenshtein counts a swap of two letters as 2, the fine score as 1
  return distance <= allowance || editDistance(word, term) <= allowance;
}

// larger than any sum of match qualities, so slots matching more words always rank first
const WORD_MATCHED = 100;

/** The `limit` best-scoring slots and their scores, best first, without sorting them all. */
function topSlots(
  totals: ReadonlyMap<number, number>,
  limit: number,
): { slots: number[]; scores: number[] } {
  const slots: number[] = [];
  const scores: number[] = [];
  for (const [slot, score] of totals) {
    if (slots.length === limit && score <= (scores[limit - 1] as number)) continue;
    let at = slots.length === limit ? limit - 1 : slots.length;
    while (at > 0 && (scores[at - 1] as number) < score) {
      slots[at] = slots[at - 1] as number;
      scores[at] = scores[at - 1] as number;
      at--;
    }
    slots[at] = slot;
    scores[at] = score;
  }
  return { slots, scores };
}

function mostWeighted(names: Map<string, number> | undefined): string[] {
  if (names === undefined) return [];
  return [...names]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name]) => name)
    .slice(0, NAMES_PER_COMPANY);
}

function companyDisplayName(company: CompanyEntry): string {
  return mostWeighted(company.names)[0] ?? companyNameFromDomain(company.domain);
}

function companyNameKeys(company: CompanyEntry): NameKey[] {
  if (company.keys === undefined) {
    const names = [companyNameFromDomain(company.domain), ...mostWeighted(company.names)];
    company.keys = names.flatMap(companyKeys);
  }
  return company.keys;
}

/** One tenant's people and company domains, searchable by name with typos. */
class TenantIndex {
  readonly builtAt = Date.now();
  maxPersonId = 0;
  readonly people: PersonEntry[] = [];
  readonly companies = new Map<string, CompanyEntry>();
  readonly companiesBySlot: CompanyEntry[] = [];
  /** domains the tenant's own (internal) people write from */
  readonly internalDomains = new Set<string>();
  /** company names the directory gives the tenant's own people ("Contoso", a subsidiary's name) */
  readonly internalCompanyNames = new Set<string>();
  readonly #personTerms = new TermIndex();
  readonly #companyTerms = new TermIndex();

  get size(): number {
    return this.people.length + this.companies.size;
  }

  /** Adds people with ids above any seen before, and the company domains they write from. */
  ingest(rows: readonly PersonLoadRow[]): void {
    const touched = new Set<CompanyEntry>();
    for (const row of rows) {
      if (row.person_id <= this.maxPersonId) continue;
      this.maxPersonId = row.person_id;
      // the flag comes from sync; the list check guards rows written before it knew the provider
      const personal = row.is_personal_domain === 1 || isPersonalMailDomain(row.domain);
      const internal = row.kind === 'internal';
      const name = personName(row.display_name, row.email);
      this.#personTerms.add(
        this.people.length,
        personKeys(name).flatMap((key) => key.tokens),
      );
      this.people.push({
        personId: row.person_id,
        email: row.email,
        name,
        domain: personal ? null : row.domain,
        internal,
      });
      if (internal) {
        this.internalDomains.add(row.domain);
        if (row.company_name) this.internalCompanyNames.add(row.company_name);
        continue;
      }
      if (personal) continue;
      const company = this.#company(row.domain);
      company.contacts++;
      const hints: Array<[string | null | undefined, number]> = [
        [row.company_name?.trim(), 2],
        [companyFromDisplayName(row.display_name)?.trim(), 1],
      ];
      for (const [hint, weight] of hints) {
        if (!hint) continue;
        company.names ??= new Map();
        company.names.set(hint, (company.names.get(hint) ?? 0) + weight);
        company.keys = undefined;
        touched.add(company);
      }
    }
    for (const company of touched) this.#indexCompany(company);
  }

  #company(domain: string): CompanyEntry {
    let company = this.companies.get(domain);
    if (company === undefined) {
      company = {
        slot: this.companiesBySlot.length,
        domain,
        contacts: 0,
        names: undefined,
        terms: [],
        keys: undefined,
      };
      this.companies.set(domain, company);
      this.companiesBySlot.push(company);
      this.#indexCompany(company);
    }
    return company;
  }

  #indexCompany(company: CompanyEntry): void {
    const keys = companyNameKeys(company);
    const fresh = [...new Set(keys.flatMap((key) => [...key.tokens, key.compact]))].filter(
      (term) => !company.terms.includes(term),
    );
    this.#companyTerms.add(company.slot, fresh);
    company.terms.push(...fresh);
  }

  /** Companies whose names match, scored 0–1. */
  searchCompanies(typed: NameKey[]): Array<{ company: CompanyEntry; score: number }> {
    const words = typed.flatMap((key) => [...key.tokens, key.compact]);
    return this.#companyTerms.search(words, companyFuzziness, RETRIEVED).slots.map((slot) => {
      const company = this.companiesBySlot[slot] as CompanyEntry;
      return { company, score: bestSimilarity(typed, companyNameKeys(company)) };
    });
  }

  /** People whose names match, scored 0–1. */
  searchPeople(typed: NameKey[]): Array<{ person: PersonEntry; score: number }> {
    const words = (typed[0] as NameKey).tokens;
    const { slots, matchingEvery } = this.#personTerms.search(words, personFuzziness, RETRIEVED);
    const hits = slots.map((slot) => {
      const person = this.people[slot] as PersonEntry;
      return { person, score: bestSimilarity(typed, personKeys(person.name)) };
    });
    // every typed word should match a name word; if no one matches well that way, any word may
    // (one search serves both: the slots matching every word come first)
    const matchingAll = hits.slice(0, matchingEvery);
    return matchingAll.some((hit) => hit.score >= MIN_MATCH_SCORE) || words.length < 2
      ? matchingAll
      : hits;
  }
}

async function loadPeople(
  db: StoreDb,
  tenantId: string,
  afterPersonId: number,
  limit: number,
): Promise<PersonLoadRow[]> {
  return (
    db
      .selectFrom('people')
      .select([
        'person_id',
        'email',
        'display_name',
        'kind',
        'domain',
        'is_personal_domain',
        'company_name',
      ])
      .where('people.tenant_id', '=', tenantId)
      .where('people.person_id', '>', afterPersonId)
      // sync keeps rooms and shared mailboxes out of people; this guards rows from before it knew them
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('resource_identities')
              .select('resource_identities.email')
              .where('resource_identities.tenant_id', '=', tenantId)
              .whereRef('resource_identities.email', '=', 'people.email'),
          ),
        ),
      )
      .orderBy('people.person_id')
      .limit(limit)
      .execute()
  );
}

async function buildIndex(db: StoreDb, tenantId: string): Promise<TenantIndex> {
  const index = new TenantIndex();
  let after = 0;
  for (;;) {
    // pages by id keep the rows held at once small on a 200,000-person tenant
    const rows = await loadPeople(db, tenantId, after, LOAD_PAGE);
    index.ingest(rows);
    const last = rows[rows.length - 1];
    if (last === undefined || rows.length < LOAD_PAGE) break;
    after = last.person_id;
  }
  return index;
}

/** One tenant's cached index; lookups for it run one after another through `#queue`. */
class CachedIndex {
  index: TenantIndex | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #rebuilding = false;

  constructor(
    private readonly db: StoreDb,
    private readonly tenantId: string,
    private readonly onResize: () => void,
  ) {}

  /** The index with everyone up to `maxPersonId`; builds it the first time. */
  current(maxPersonId: number): Promise<TenantIndex> {
    const next = this.#queue.then(async () => {
      if (this.index === undefined) {
        this.index = await buildIndex(this.db, this.tenantId);
        this.onResize();
      } else if (maxPersonId > this.index.maxPersonId) {
        await this.#catchUp(this.index);
      }
      if (Date.now() - this.index.builtAt > REBUILD_AFTER_MS) this.#rebuildInBackground();
      return this.index;
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }

  // people are never deleted and ids only grow, so the new ones are those past the highest seen
  async #catchUp(index: TenantIndex): Promise<void> {
    const rows = await loadPeople(this.db, this.tenantId, index.maxPersonId, CATCH_UP_LIMIT + 1);
    if (rows.length > CATCH_UP_LIMIT) {
      this.index = await buildIndex(this.db, this.tenantId);
    } else {
      index.ingest(rows);
    }
    this.onResize();
  }

  #rebuildInBackground(): void {
    if (this.#rebuilding) return;
    this.#rebuilding = true;
    buildIndex(this.db, this.tenantId)
      .then((fresh) => {
        // queued so a catch-up in flight finishes on the old index before the swap
        this.#queue = this.#queue.then(() => {
          this.index = fresh;
          this.onResize();
        });
      })
      // a failed rebuild keeps the old index; the next lookup after the interval tries again
      .catch(() => undefined)
      .finally(() => {
        this.#rebuilding = false;
      });
  }
}

const caches = new WeakMap<StoreDb, LRUCache<string, CachedIndex>>();

function cacheFor(db: StoreDb): LRUCache<string, CachedIndex> {
  let cache = caches.get(db);
  if (cache === undefined) {
    cache = new LRUCache<string, CachedIndex>({
      max: CACHE_MAX_TENANTS,
      maxSize: CACHE_MAX_ENTRIES,
      // capped so a tenant larger than the whole budget is still kept, alone, not rebuilt per lookup
      sizeCalculation: (entry) => Math.min(CACHE_MAX_ENTRIES, Math.max(1, entry.index?.size ?? 1)),
    });
    caches.set(db, cache);
  }
  return cache;
}

async function tenantIndex(
  db: StoreDb,
  tenantId: string,
  state: TenantState,
): Promise<TenantIndex> {
  const cache = cacheFor(db);
  let entry = cache.get(tenantId);
  if (entry === undefined) {
    const created: CachedIndex = new CachedIndex(db, tenantId, () => {
      // re-set so the cache weighs the entry at its new size
      if (cache.peek(tenantId) === created) cache.set(tenantId, created);
    });
    entry = created;
    cache.set(tenantId, entry);
  }
  return entry.current(state.maxPersonId);
}

function parseDomainList(text: string | null | undefined): string[] {
  if (!text) return [];
  const value: unknown = JSON.parse(text);
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

// one round trip per lookup: the tenant's own domains and whether anyone new has been seen (SQL
// text: it runs on every question, and the query builder cost more than the query)
async function readTenantState(db: StoreDb, tenantId: string): Promise<TenantState | undefined> {
  const { rows } = await sql<{
    display_name: string;
    verified_domains: string | null;
    extra_internal_domains: string | null;
    max_person_id: number | null;
  }>`
    select tenants.display_name, tenants.verified_domains, tenant_settings.extra_internal_domains,
      (select max(people.person_id) from people where people.tenant_id = ${tenantId}) as max_person_id
    from tenants
    left join tenant_settings on tenant_settings.tenant_id = tenants.tenant_id
    where tenants.tenant_id = ${tenantId}`.execute(db);
  const row = rows[0];
  if (row === undefined) return undefined;
  return {
    displayName: row.display_name,
    verifiedDomains: parseDomainList(row.verified_domains),
    extraInternalDomains: parseDomainList(row.extra_internal_domains),
    maxPersonId: Number(row.max_person_id ?? 0),
  };
}

// the last OwnOrganisation made per index, reused while the settings and the index stay the same
const ownOrganisations = new WeakMap<TenantIndex, { key: string; own: OwnOrganisation }>();

function ownOrganisation(state: TenantState, index: TenantIndex): OwnOrganisation {
  // ingest (which bumps maxPersonId) is the only change to the index's internal domains and names
  const key = JSON.stringify([
    state.displayName,
    state.verifiedDomains,
    state.extraInternalDomains,
    index.maxPersonId,
  ]);
  const known = ownOrganisations.get(index);
  if (known?.key === key) return known.own;
  const own = makeOwnOrganisation(state, index);
  ownOrganisations.set(index, { key, own });
  return own;
}

function makeOwnOrganisation(state: TenantState, index: TenantIndex): OwnOrganisation {
  const domains = new Set(index.internalDomains);
  for (const domain of [...state.verifiedDomains, ...state.extraInternalDomains]) {
    const host = domain
      .trim()
      .toLowerCase()
      .replace(/^\.+|\.+$/g, '');
    if (host !== '') domains.add(registrableDomain(host));
  }
  const names = [
    state.displayName,
    ...index.internalCompanyNames,
    ...[...domains].map(companyNameFromDomain),
  ];
  return { displayName: state.displayName, domains, names: names.flatMap(companyKeys) };
}

type ParsedText =
  | { kind: 'email'; email: string }
  | { kind: 'domain'; host: string }
  | { kind: 'name'; text: string }
  | { kind: 'invalid'; reason: string };

const URL_WITH_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const HOST_NAME = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,}$/u;

// the host of "acme.com", "www.acme.com:443" or "https://jane@www.acme.com/about?x=1", lowercased
function hostOf(text: string): string | undefined {
  // not URL(): it turns an accented host into punycode, which stored domains are not
  const authority = text.replace(URL_WITH_SCHEME, '').split(/[/?#]/)[0] ?? '';
  const host = authority
    .replace(/^[^@]*@/, '')
    .replace(/:\d+$/, '')
    .replace(/\.$/, '')
    .toLowerCase();
  return HOST_NAME.test(host) ? host : undefined;
}

/** What kind of thing the text is: an address, a domain or URL, or a name. */
function parseText(raw: string): ParsedText {
  const text = raw
    .trim()
    .replace(/^["'“”‘’]+|["'“”‘’]+$/g, '')
    .trim();
  if (nameTokens(text).length === 0) {
    return {
      kind: 'invalid',
      reason: "Type a company, a person's name, a domain or an email address.",
    };
  }
  // "Jane Doe <jane@acme.com>" as pasted from a mail client
  const bracketed = /<([^<>\s]+@[^<>\s]+)>/.exec(text)?.[1];
  const single = /\s/.test(text) ? undefined : text.replace(/^mailto:/i, '').split('?')[0];
  const address = bracketed ?? (single?.includes('@') ? single : undefined);
  if (address !== undefined && !URL_WITH_SCHEME.test(address)) {
    const email = normalizeEmailAddress(address);
    if (email !== undefined) return { kind: 'email', email };
    return { kind: 'invalid', reason: `"${text}" is not a complete email address.` };
  }
  if (!/\s/.test(text)) {
    const host = hostOf(text);
    const parsed = host === undefined ? undefined : parseHost(host);
    // a known public suffix tells "acme.com" from a name with dots in it
    if (host !== undefined && parsed !== undefined && (parsed.isIcann || parsed.isPrivate)) {
      return { kind: 'domain', host };
    }
  }
  return { kind: 'name', text };
}

interface Match {
  candidate: IntroCandidate;
  target: Extract<TargetResolution, { kind: 'company' | 'person' }>;
  /** the tenant's own organisation or one of its people: recognised, never a target */
  own: boolean;
  /** breaks ties between equal scores: contacts at a company */
  weight: number;
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}

function companyMatch(company: CompanyEntry, score: number, own: boolean): Match {
  const name = companyDisplayName(company);
  return {
    candidate: { kind: 'company', name, domain: company.domain, score: round(score) },
    target: { kind: 'company', domain: company.domain, name },
    own,
    weight: company.contacts,
  };
}

function personMatch(person: PersonEntry, score: number, own: boolean): Match {
  return {
    candidate: {
      kind: 'person',
      name: person.name,
      email: person.email,
      ...(person.domain === null ? {} : { domain: person.domain }),
      score: round(score),
    },
    target: {
      kind: 'person',
      personId: person.personId,
      email: person.email,
      name: person.name,
      domain: person.domain,
    },
    own,
    weight: 0,
  };
}

function none(reason: string): TargetResolution {
  return { kind: 'none', reason };
}

function ownReason(match: Match): string {
  return match.target.kind === 'person'
    ? `${match.target.name} is in your own organisation; WarmPath finds introductions to people outside it.`
    : `${match.target.name} is your own organisation; WarmPath finds introductions to companies and people outside it.`;
}

function resolveName(text: string, index: TenantIndex, own: OwnOrganisation): TargetResolution {
  const companyTyped = companyKeys(text);
  const personTyped = personKeys(text);
  const matches: Match[] = [];
  for (const { company, score } of index.searchCompanies(companyTyped)) {
    matches.push(companyMatch(company, score, own.domains.has(company.domain)));
  }
  for (const { person, score } of index.searchPeople(personTyped)) {
    const isOwn = person.internal || (person.domain !== null && own.domains.has(person.domain));
    matches.push(personMatch(person, score, isOwn));
  }
  const ownScore = bestSimilarity(companyTyped, own.names);
  if (ownScore >= MIN_MATCH_SCORE) {
    const domain = [...own.domains][0] ?? '';
    matches.push({
      candidate: { kind: 'company', name: own.displayName, domain, score: round(ownScore) },
      target: { kind: 'company', domain, name: own.displayName },
      own: true,
      weight: Number.MAX_SAFE_INTEGER,
    });
  }

  const ranked = matches
    .filter((match) => match.candidate.score >= MIN_MATCH_SCORE)
    .sort(
      (a, b) =>
        b.candidate.score - a.candidate.score ||
        b.weight - a.weight ||
        a.candidate.name.localeCompare(b.candidate.name) ||
        (a.candidate.domain ?? '').localeCompare(b.candidate.domain ?? '') ||
        (a.candidate.email ?? '').localeCompare(b.candidate.email ?? ''),
    );
  const best = ranked[0];
  if (best === undefined) {
    return none(`Nobody in your organisation's meetings matches "${text}".`);
  }
  const bestScore = best.candidate.score;
  const close = ranked.filter(
    (match) => !match.own && match.candidate.score >= bestScore - AMBIGUITY_MARGIN,
  );
  const only = close[0];
  if (only === undefined) return none(ownReason(best));
  if (close.length === 1) return only.target;
  const candidates = ranked
    .filter((match) => !match.own && match.candidate.score >= bestScore - CANDIDATE_WINDOW)
    .slice(0, MAX_CANDIDATES)
    .map((match) => match.candidate);
  return { kind: 'ambiguous', candidates };
}

function resolveDomain(host: string, index: TenantIndex, own: OwnOrganisation): TargetResolution {
  const domain = registrableDomain(host);
  if (isPersonalMailDomain(domain)) {
    return none(
      `${domain} is a personal mail provider, not a company; search for the person's name or email address instead.`,
    );
  }
  if (own.domains.has(domain)) {
    return none(
      `${domain} is your own organisation's domain; WarmPath finds introductions to people outside it.`,
    );
  }
  const company = index.companies.get(domain);
  if (company === undefined) {
    return none(`Nobody at ${domain} appears in your organisation's meetings.`);
  }
  return companyMatch(company, 1, false).target;
}

async function resolveEmail(
  store: Pick<Store, 'db'>,
  tenantId: string,
  email: string,
  index: TenantIndex,
  own: OwnOrganisation,
): Promise<TargetResolution> {
  const resources = await findResourceIdentities(store.db, tenantId, [email]);
  if (resources.size > 0) return none(`${email} is a room or shared mailbox, not a person.`);
  const domain = registrableDomain(emailHost(email));
  const [person] = await findPeopleByEmail(store.db, tenantId, [email]);
  if (person !== undefined) {
    const entry: PersonEntry = {
      personId: person.personId,
      email: person.email,
      name: personName(person.displayName, person.email),
      domain: person.isPersonalDomain || isPersonalMailDomain(person.domain) ? null : person.domain,
      internal: person.kind === 'internal',
    };
    const match = personMatch(entry, 1, entry.internal || own.domains.has(person.domain));
    return match.own ? none(ownReason(match)) : match.target;
  }
  if (isPersonalMailDomain(domain)) {
    return none(
      `Nobody with the address ${email} appears in your organisation's meetings, and ${domain} is a personal mail provider, not a company.`,
    );
  }
  if (own.domains.has(domain)) {
    return none(
      `${email} is an address in your own organisation; WarmPath finds introductions to people outside it.`,
    );
  }
  const company = index.companies.get(domain);
  if (company === undefined) {
    return none(
      `Nobody with the address ${email}, or anyone else at ${domain}, appears in your organisation's meetings.`,
    );
  }
  // an unknown address at a known company: the company is the target
  return companyMatch(company, 1, false).target;
}

/**
 * Builds the tenant's name index ahead of its first question, which would otherwise wait for it
 * (~7 s at 200,000 people); later calls only catch up with new people.
 */
export async function prepareTargetIndex(
  store: Pick<Store, 'db'>,
  tenantId: string,
): Promise<void> {
  const state = await readTenantState(store.db, tenantId);
  if (state !== undefined) await tenantIndex(store.db, tenantId, state);
}

/**
 * Resolves what a user typed ("Acme", "acme corp", "acme.com", "https://www.acme.com/about",
 * "jane@acme.com", "Jane Doe", with small typos) into a company or person of the tenant, a ranked
 * shortlist when several fit about equally well, or none with a sentence saying why.
 */
export async function resolveTarget(
  store: Pick<Store, 'db' | 'dialect'>,
  tenantId: string,
  text: string,
): Promise<TargetResolution> {
  const parsed = parseText(text);
  if (parsed.kind === 'invalid') return none(parsed.reason);
  const state = await readTenantState(store.db, tenantId);
  if (state === undefined) return none('This organisation is not set up in WarmPath yet.');
  const index = await tenantIndex(store.db, tenantId, state);
  const own = ownOrganisation(state, index);
  switch (parsed.kind) {
    case 'email':
      return resolveEmail(store, tenantId, parsed.email, index, own);
    case 'domain':
      return resolveDomain(parsed.host, index, own);
    case 'name':
      return resolveName(parsed.text, index, own);
  }
}
