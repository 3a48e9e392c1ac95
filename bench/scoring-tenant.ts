// A synthetic tenant for the scoring benchmark (issue 4), written straight into the store (not
// through the simulator or the sync): 10,000 employees with synced mailboxes, 200,000 external
// contacts over 20,000 company domains and a few personal mail domains, and meetings with
// 5,000,000 attendance rows in all. Every choice comes from a seeded PRNG (and a seeded Faker), so
// the same spec gives the same tenant row for row, on either engine.
//
// The shape of the ties: each employee works with a few dozen companies picked by a heavy-tailed
// popularity (a few companies are known across the organisation, most by a handful of people),
// knows a few contacts at each, and meets them with heavy-tailed frequency (a few frequent
// contacts, a long tail of one-offs); their own team fills the internal meetings.
import { Faker, base, en } from '@faker-js/faker';
import { sql } from 'kysely';
import {
  allocateIds,
  EVENT_COLUMNS,
  upsertTenant,
  type AttendeeRole,
  type EventType,
  type ResponseStatus,
  type Store,
  type StoreDb,
  type TableName,
  bulkInsert,
  BULK_ROWS_PER_STATEMENT,
  type BulkColumnType,
} from '@warmpath/shared/store';
import { isPersonalMailDomain, registrableDomain } from '../shared/src/sync/mail-domains.js';

const DAY_MS = 86_400_000;

export interface ScoringTenantSpec {
  seed: number;
  employees: number;
  /** external people, company and personal domains together */
  contacts: number;
  /** company domains */
  companies: number;
  /** attendance rows in all, exactly */
  attendanceRows: number;
  /** the instant the tenant is "as of": history runs 24 months back from it, a little ahead */
  now: number;
}

/** The tenant the issue describes. BENCH_SCORING_SCALE=0.1 shrinks every count, for trying things out. */
export function scoringTenantSpec(scale = 1): ScoringTenantSpec {
  const scaled = (n: number) => Math.max(10, Math.round(n * scale));
  return {
    seed: 4,
    employees: scaled(10_000),
    contacts: scaled(200_000),
    companies: scaled(20_000),
    attendanceRows: scaled(5_000_000),
    // fixed, so the data is identical run to run (and day to day)
    now: Date.UTC(2026, 10, 1),
  };
}

export const TENANT_DOMAIN = 'fabrikam.com';
export const TENANT_NAME = 'Fabrikam';

// ---------------------------------------------------------------------------------------------
// randomness

function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** sfc32 seeded through splitmix32: fast, small state, and the same stream on every platform. */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  constructor(seed: number, stream: string) {
    let s = (seed ^ hashString(stream)) >>> 0;
    const mix = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = mix();
    this.#b = mix();
    this.#c = mix();
    this.#d = mix();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) >>> 0;
    return t / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    return Math.sqrt(-2 * Math.log(1 - this.next())) * Math.cos(2 * Math.PI * this.next());
  }

  /** Exponential with this mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** An index drawn by the cumulative weights cdf[from, to) (the slice's own running sums). */
  cdfPick(cdf: Float64Array, from = 0, to = cdf.length): number {
    const base = from === 0 ? 0 : cdf[from - 1]!;
    const roll = base + this.next() * (cdf[to - 1]! - base);
    let lo = from;
    let hi = to - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! > roll) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += '0123456789abcdef'[this.int(16)];
    return out;
  }

  guid(): string {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-${'89ab'[this.int(4)]}${this.hex(3)}-${this.hex(12)}`;
  }
}

/** Running sums of weights[i] = f(i), i < n. */
function cumulative(n: number, f: (i: number) => number): Float64Array {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += f(i);
  return cdf;
}

// ---------------------------------------------------------------------------------------------
// the tenant in memory

export interface SyntheticPerson {
  email: string;
  displayName: string | null;
  internal: boolean;
  aadObjectId: string | null;
  domain: string;
  isPersonalDomain: boolean;
  companyName: string | null;
  jobTitle: string | null;
  department: string | null;
}

export interface SyntheticCompany {
  name: string;
  domain: string;
  /** person indices of its contacts, most-met first */
  contacts: number[];
  /** employees who have it among their companies */
  knownBy: number;
}

/** Codes of the columnar event and attendance arrays. */
export const ROLE_CODES: readonly AttendeeRole[] = ['organizer', 'required', 'optional'];
export const RESPONSE_CODES: ReadonlyArray<ResponseStatus | null> = [
  null,
  'none',
  'organizer',
  'tentativelyAccepted',
  'accepted',
  'declined',
  'notResponded',
];
const TYPE_CODES: readonly EventType[] = ['singleInstance', 'occurrence', 'exception'];
const R_ORGANIZER = 2;
const R_TENTATIVE = 3;
const R_ACCEPTED = 4;
const R_DECLINED = 5;

export type MeetingKind = 'external1on1' | 'external' | 'internal1on1' | 'internal' | 'webinar';
export const MEETING_KINDS: readonly MeetingKind[] = [
  'external1on1',
  'external',
  'internal1on1',
  'internal',
  'webinar',
];
const KIND_WEIGHTS = cumulative(5, (i) => [0.14, 0.4, 0.13, 0.32, 0.01][i]!);
/** colleagues the host brings to an external meeting: none 40 %, one 30 %, two 20 %, three 10 % */
const COLLEAGUES_CDF = cumulative(4, (i) => [4, 3, 2, 1][i]!);

const F_ALL_DAY = 1;
const F_CANCELLED = 2;
const F_PRIVATE = 4;
const F_ONLINE = 8;

export interface SyntheticTenant {
  spec: ScoringTenantSpec;
  tenantId: string;
  /** employees first (indices 0 … employees−1), then contacts */
  people: SyntheticPerson[];
  companies: SyntheticCompany[];
  /** person index → company index; −1 for employees and personal-domain contacts */
  companyOf: Int32Array;
  /** employee index → team; teams are consecutive runs of employees */
  teamOf: Int32Array;
  teams: Array<{ first: number; size: number }>;
  events: {
    count: number;
    startAt: Float64Array;
    endAt: Float64Array;
    kind: Uint8Array;
    type: Uint8Array;
    flags: Uint8Array;
    /** person index */
    organizer: Int32Array;
    series: Int32Array;
  };
  /** attendance of event e: rows attStart[e] … attStart[e+1]−1 */
  attendance: {
    start: Int32Array;
    person: Int32Array;
    role: Uint8Array;
    response: Uint8Array;
  };
  /** distinct external contacts each employee has in their portfolio (median), for the detail */
  portfolioContactsMedian: number;
  portfolioCompaniesMedian: number;
  generatedSeconds: number;
}

// prettier-ignore
const STEMS = [
  'Acme', 'Blue Harbor', 'Northstar', 'Ironwood', 'Brightline', 'Summit', 'Redwood', 'Silverline',
  'Keystone', 'Evergreen', 'Granite', 'Pioneer', 'Beacon', 'Cobalt', 'Crescent', 'Falcon',
  'Horizon', 'Juniper', 'Meridian', 'Orion', 'Pinnacle', 'Riverbend', 'Sterling', 'Tidewater',
  'Vantage', 'Willow', 'Atlas', 'Bluebird', 'Cedar', 'Copperleaf', 'Driftwood', 'Everest',
  'Foxglove', 'Goldcrest', 'Highland', 'Lakeside', 'Maple', 'Nimbus', 'Oakridge', 'Polaris',
  'Redstone', 'Sable', 'Trident', 'Upland', 'Vertex', 'Westbrook', 'Zenith', 'Alder', 'Amber',
  'Arcadia', 'Bayview', 'Birchwood', 'Blackstone', 'Boulder', 'Canyon', 'Cardinal', 'Castle',
  'Clearwater', 'Coastal', 'Compass', 'Cypress', 'Delta', 'Eastgate', 'Ember', 'Fairway',
  'Fernhill', 'Frontier', 'Gateway', 'Glacier', 'Greenfield', 'Harbourside', 'Hawthorn',
  'Heritage', 'Ivory', 'Kestrel', 'Lantern', 'Larkspur', 'Linden', 'Lumen', 'Magnolia', 'Marble',
  'Mistral', 'Monarch', 'Mosaic', 'Nautilus', 'Nova', 'Obsidian', 'Onyx', 'Osprey', 'Pacific',
  'Paragon', 'Peregrine', 'Prairie', 'Prism', 'Quarry', 'Radiant', 'Raven', 'Ridgeline',
  'Sapphire', 'Sequoia', 'Shoreline', 'Skyline', 'Solstice', 'Spruce', 'Stonebridge', 'Sunrise',
  'Tamarack', 'Thistle', 'Timberline', 'Topaz', 'Tundra', 'Valley', 'Verdant', 'Wayfarer',
  'Whitewater', 'Wildflower', 'Windward',
];
// prettier-ignore
const INDUSTRIES = [
  'Logistics', 'Health', 'Capital', 'Foods', 'Analytics', 'Energy', 'Robotics', 'Insurance',
  'Retail', 'Systems', 'Pharma', 'Media', 'Motors', 'Bank', 'Biosciences', 'Manufacturing',
  'Software', 'Telecom', 'Hotels', 'Consulting', 'Materials', 'Semiconductors', 'Mobility',
  'Payments', 'Security', 'Labs', 'Networks', 'Aerospace', 'Freight', 'Clinics', 'Brewing',
  'Property', 'Learning', 'Travel', 'Solar', 'Water', 'Diagnostics', 'Partners', 'Advisors',
];
const LEGAL_FORMS = ['Inc.', 'Ltd', 'LLC', 'Group', 'Corporation', 'plc', 'AG', 'GmbH', 'SA', 'BV'];
const TLDS: ReadonlyArray<readonly [string, number]> = [
  ['com', 60],
  ['io', 5],
  ['co', 3],
  ['net', 4],
  ['co.uk', 8],
  ['de', 5],
  ['fr', 3],
  ['nl', 2],
  ['com.au', 3],
  ['ca', 3],
  ['co.jp', 2],
  ['sg', 1],
  ['ie', 1],
];
const TLD_CDF = cumulative(TLDS.length, (i) => TLDS[i]![1]);
export const PERSONAL_DOMAINS = [
  'gmail.com',
  'outlook.com',
  'hotmail.com',
  'yahoo.com',
  'icloud.com',
  'proton.me',
  'gmx.de',
];
// prettier-ignore
const DEPARTMENTS = [
  'Sales', 'Customer Success', 'Engineering', 'Product', 'Marketing', 'Finance', 'Legal',
  'Operations', 'Procurement', 'Partnerships', 'Consulting', 'Support', 'People', 'Research',
];

const asciiWord = (text: string): string =>
  text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

function pickTld(rng: Rng): string {
  return TLDS[rng.cdfPick(TLD_CDF)]![0];
}

function companies(rng: Rng, faker: Faker, count: number): Array<{ name: string; domain: string }> {
  const names = new Set<string>();
  const domains = new Set<string>([TENANT_DOMAIN, ...PERSONAL_DOMAINS]);
  const out: Array<{ name: string; domain: string }> = [];
  while (out.length < count) {
    const style = rng.next();
    const industry = rng.pick(INDUSTRIES);
    let name: string;
    let stem: string;
    if (style < 0.35) {
      const word = rng.pick(STEMS);
      name = `${word} ${industry}`;
      stem = rng.chance(0.5) ? `${asciiWord(word)}${asciiWord(industry)}` : asciiWord(word);
      if (rng.chance(0.3)) stem = `${asciiWord(word)}-${asciiWord(industry)}`;
    } else if (style < 0.45) {
      const word = rng.pick(STEMS);
      name = `${word} ${rng.pick(LEGAL_FORMS)}`;
      stem = asciiWord(word);
    } else if (style < 0.8) {
      const surname = faker.person.lastName().replace(/[-\s].*/, '');
      name = rng.chance(0.4) ? `${surname} ${rng.pick(LEGAL_FORMS)}` : `${surname} ${industry}`;
      stem = rng.chance(0.5) ? asciiWord(surname) : `${asciiWord(surname)}${asciiWord(industry)}`;
    } else {
      const a = faker.person.lastName().replace(/[-\s].*/, '');
      const b = faker.person.lastName().replace(/[-\s].*/, '');
      name = rng.chance(0.5) ? `${a} & ${b}` : `${a}, ${b} & Partners`;
      stem = rng.chance(0.5) ? `${asciiWord(a)}${asciiWord(b)}` : `${asciiWord(a)}-${asciiWord(b)}`;
    }
    if (stem.replace(/-/g, '').length < 3 || names.has(name)) continue;
    let domain = `${stem}.${pickTld(rng)}`;
    for (let attempt = 0; domains.has(domain) && attempt < 4; attempt++) {
      domain = `${stem}.${pickTld(rng)}`;
    }
    if (domains.has(domain)) domain = `${stem}${rng.hex(2)}.${pickTld(rng)}`;
    if (
      domains.has(domain) ||
      isPersonalMailDomain(domain) ||
      registrableDomain(domain) !== domain
    ) {
      continue;
    }
    names.add(name);
    domains.add(domain);
    out.push({ name, domain });
  }
  return out;
}

type AddressFormat = (first: string, last: string) => string;
const ADDRESS_FORMATS: AddressFormat[] = [
  (f, l) => `${f}.${l}`,
  (f, l) => `${f}.${l}`,
  (f, l) => `${f.charAt(0)}${l}`,
  (f, l) => `${f}${l.charAt(0)}`,
  (f, l) => `${f}_${l}`,
  (f) => f,
];

function contactDisplayName(rng: Rng, first: string, last: string, company: string | null) {
  const roll = rng.next();
  if (roll < 0.62) return `${first} ${last}`;
  if (roll < 0.72) return `${last}, ${first}`;
  if (roll < 0.8 && company !== null) return `${first} ${last} (${company})`;
  if (roll < 0.84 && company !== null) return `${first} ${last} | ${company}`;
  if (roll < 0.9) return `${first} ${last} (External)`;
  if (roll < 0.95) return null;
  return undefined; // the address itself
}

/** Generates the tenant in memory (about 20 s and 300 MB for the full spec). */
export function generateScoringTenant(spec: ScoringTenantSpec): SyntheticTenant {
  const began = performance.now();
  const rng = new Rng(spec.seed, 'scoring-tenant');
  const faker = new Faker({ locale: [en, base] });
  faker.seed(spec.seed);
  const people: SyntheticPerson[] = [];
  const usedEmails = new Set<string>();
  const unique = (local: string, domain: string): string => {
    let email = `${local}@${domain}`;
    for (let n = 2; usedEmails.has(email); n++) email = `${local}${n}@${domain}`;
    usedEmails.add(email);
    return email;
  };

  // employees in teams of 6–12, teams in departments
  const teams: Array<{ first: number; size: number }> = [];
  const teamOf = new Int32Array(spec.employees);
  for (let first = 0; first < spec.employees;) {
    const size = Math.min(6 + rng.int(7), spec.employees - first);
    teams.push({ first, size });
    first += size;
  }
  for (const [t, team] of teams.entries()) {
    const department = DEPARTMENTS[Math.floor(t / 12) % DEPARTMENTS.length]!;
    for (let e = team.first; e < team.first + team.size; e++) {
      teamOf[e] = t;
      const first = faker.person.firstName();
      const last = faker.person.lastName();
      people.push({
        email: unique(`${asciiWord(first)}.${asciiWord(last)}`, TENANT_DOMAIN),
        displayName: `${first} ${last}`,
        internal: true,
        aadObjectId: rng.guid(),
        domain: TENANT_DOMAIN,
        isPersonalDomain: false,
        companyName: TENANT_NAME,
        jobTitle: faker.person.jobTitle(),
        department,
      });
    }
  }

  // companies, with contacts by a heavy-tailed size that follows their popularity (index order)
  const named = companies(rng, faker, spec.companies);
  const companyContacts = Math.round(spec.contacts * 0.92);
  const extra = companyContacts - 2 * spec.companies;
  const popularity = (c: number) => (c + 30) ** -0.9;
  let popularitySum = 0;
  for (let c = 0; c < spec.companies; c++) popularitySum += popularity(c);
  const sizes = named.map((_, c) => 2 + Math.floor((extra * popularity(c)) / popularitySum));
  for (let c = 0; sizes.reduce((a, b) => a + b, 0) < companyContacts; c++) sizes[c]!++;
  const companyOf = new Int32Array(spec.employees + spec.contacts).fill(-1);
  const companyList: SyntheticCompany[] = [];
  for (const [c, company] of named.entries()) {
    const format = rng.pick(ADDRESS_FORMATS);
    const contacts: number[] = [];
    for (let k = 0; k < sizes[c]!; k++) {
      const first = faker.person.firstName();
      const last = faker.person.lastName();
      const local = format(asciiWord(first), asciiWord(last)) || 'info';
      const email = unique(local, company.domain);
      const display = contactDisplayName(rng, first, last, company.name);
      companyOf[people.length] = c;
      contacts.push(people.length);
      people.push({
        email,
        displayName: display === undefined ? email : display,
        internal: false,
        aadObjectId: null,
        domain: company.domain,
        isPersonalDomain: false,
        companyName: null,
        jobTitle: null,
        department: null,
      });
    }
    companyList.push({ name: company.name, domain: company.domain, contacts, knownBy: 0 });
  }
  const personal: number[] = [];
  while (people.length < spec.employees + spec.contacts) {
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const f = asciiWord(first);
    const l = asciiWord(last);
    const local = rng.pick([
      `${f}.${l}`,
      `${f}${l}${rng.int(99)}`,
      `${f.charAt(0)}${l}${70 + rng.int(30)}`,
    ]);
    const domain = rng.pick(PERSONAL_DOMAINS);
    const display = contactDisplayName(rng, first, last, null);
    personal.push(people.length);
    people.push({
      email: unique(local, domain),
      displayName: display === undefined ? null : display,
      internal: false,
      aadObjectId: null,
      domain,
      isPersonalDomain: true,
      companyName: null,
      jobTitle: null,
      department: null,
    });
  }

  // each employee's companies (a few dozen, by popularity) and contacts there (a few, key ones first)
  const companyCdf = cumulative(spec.companies, popularity);
  const contactCdfs = companyList.map((company) =>
    cumulative(company.contacts.length, (j) => (j + 1) ** -0.8),
  );
  interface Portfolio {
    companies: Int32Array;
    companyCdf: Float64Array;
    /** contacts of portfolio company k: contacts[start[k] … start[k+1]−1] */
    start: Int32Array;
    contacts: Int32Array;
    contactCdf: Float64Array;
    personal: Int32Array;
  }
  const portfolios: Portfolio[] = [];
  const portfolioContacts: number[] = [];
  const portfolioCompanies: number[] = [];
  for (let e = 0; e < spec.employees; e++) {
    const want = Math.min(
      spec.companies,
      Math.max(8, Math.min(120, Math.round(28 * Math.exp(0.5 * rng.normal())))),
    );
    const chosen = new Set<number>();
    for (let tries = 0; chosen.size < want && tries < want * 20; tries++) {
      chosen.add(rng.cdfPick(companyCdf));
    }
    const list = Int32Array.from(chosen);
    const start = new Int32Array(list.length + 1);
    const contacts: number[] = [];
    const contactWeights: number[] = [];
    for (const [k, c] of list.entries()) {
      const company = companyList[c]!;
      company.knownBy++;
      const m = Math.min(company.contacts.length, 1 + Math.floor(rng.exponential(4)));
      const picked = new Set<number>();
      for (let tries = 0; picked.size < m && tries < m * 20; tries++) {
        picked.add(company.contacts[rng.cdfPick(contactCdfs[c]!)]!);
      }
      let j = 0;
      for (const person of picked) {
        contacts.push(person);
        contactWeights.push((j + 1) ** -1.2);
        j++;
      }
      start[k + 1] = contacts.length;
    }
    let running = 0;
    const contactCdf = new Float64Array(contactWeights.length);
    for (let k = 0; k < list.length; k++) {
      // each company's slice has its own running sums, for cdfPick(cdf, from, to)
      running = 0;
      for (let i = start[k]!; i < start[k + 1]!; i++) contactCdf[i] = running += contactWeights[i]!;
    }
    const own: number[] = [];
    for (let n = rng.int(7); n > 0; n--) own.push(rng.pick(personal));
    portfolios.push({
      companies: list,
      companyCdf: cumulative(list.length, (k) => (k + 1) ** -1.1),
      start,
      contacts: Int32Array.from(contacts),
      contactCdf,
      personal: Int32Array.from(own),
    });
    portfolioContacts.push(contacts.length + own.length);
    portfolioCompanies.push(list.length);
  }

  // meetings, until the attendance reaches its total exactly
  const capacity = Math.ceil(spec.attendanceRows / 2) + 2;
  const events = {
    count: 0,
    startAt: new Float64Array(capacity),
    endAt: new Float64Array(capacity),
    kind: new Uint8Array(capacity),
    type: new Uint8Array(capacity),
    flags: new Uint8Array(capacity),
    organizer: new Int32Array(capacity),
    series: new Int32Array(capacity),
  };
  const attendance = {
    start: new Int32Array(capacity + 1),
    person: new Int32Array(spec.attendanceRows),
    role: new Uint8Array(spec.attendanceRows),
    response: new Uint8Array(spec.attendanceRows),
  };
  const activity = cumulative(spec.employees, () => Math.exp(0.7 * rng.normal()));
  const colleague = (e: number): number => {
    const roll = rng.next();
    if (roll < 0.75) {
      const team = teams[teamOf[e]!]!;
      return team.first + rng.int(team.size);
    }
    if (roll < 0.95) {
      // the department: a dozen teams around this one
      const t = Math.min(teams.length - 1, Math.max(0, teamOf[e]! - 6 + rng.int(12)));
      const team = teams[t]!;
      return team.first + rng.int(team.size);
    }
    return rng.int(spec.employees);
  };
  const contactOf = (e: number, k: number): number => {
    const p = portfolios[e]!;
    if (rng.chance(0.1)) {
      // someone new at that company
      const company = companyList[p.companies[k]!]!;
      return rng.pick(company.contacts);
    }
    return p.contacts[rng.cdfPick(p.contactCdf, p.start[k]!, p.start[k + 1]!)]!;
  };
  const externalResponse = (): number => {
    const roll = rng.next();
    if (roll < 0.45) return R_ACCEPTED;
    if (roll < 0.52) return R_TENTATIVE;
    if (roll < 0.6) return R_DECLINED;
    if (roll < 0.9) return 1; // none
    return 6; // notResponded
  };
  const internalResponse = (): number => {
    const roll = rng.next();
    if (roll < 0.62) return R_ACCEPTED;
    if (roll < 0.7) return R_TENTATIVE;
    if (roll < 0.78) return R_DECLINED;
    if (roll < 0.9) return 1;
    return 6;
  };

  let rows = 0;
  const members: number[] = [];
  while (rows < spec.attendanceRows) {
    const e = events.count;
    const host = rng.cdfPick(activity);
    const kindIndex = rng.cdfPick(KIND_WEIGHTS);
    const kind = MEETING_KINDS[kindIndex]!;
    const p = portfolios[host]!;
    members.length = 0;
    members.push(host);
    const add = (person: number) => {
      if (!members.includes(person)) members.push(person);
    };
    let externalOrganizer = false;
    if (kind === 'external1on1') {
      if (p.personal.length > 0 && rng.chance(0.08)) add(p.personal[rng.int(p.personal.length)]!);
      else if (p.companies.length > 0) add(contactOf(host, rng.cdfPick(p.companyCdf)));
      externalOrganizer = rng.chance(0.25);
    } else if (kind === 'external') {
      const colleagues = rng.cdfPick(COLLEAGUES_CDF);
      for (let i = 0; i < colleagues; i++) add(colleague(host));
      const first = rng.cdfPick(p.companyCdf);
      const second = rng.chance(0.25) ? rng.cdfPick(p.companyCdf) : first;
      const externals = Math.min(8, 1 + Math.floor(rng.exponential(1.6)));
      for (let i = 0; i < externals; i++) add(contactOf(host, i % 2 === 0 ? first : second));
      externalOrganizer = rng.chance(0.3);
    } else if (kind === 'internal1on1') {
      for (let tries = 0; members.length < 2 && tries < 10; tries++) add(colleague(host));
    } else if (kind === 'internal') {
      const size = Math.min(12, 3 + Math.floor(rng.exponential(2.5)));
      for (let tries = 0; members.length < size && tries < size * 4; tries++) add(colleague(host));
    } else {
      for (let i = 0; i < 2; i++) add(rng.int(spec.employees));
      for (let tries = 0; members.length < 40 && tries < 200; tries++) {
        add(spec.employees + rng.int(spec.contacts));
      }
      externalOrganizer = rng.chance(0.5);
    }
    if (members.length > spec.attendanceRows - rows) members.length = spec.attendanceRows - rows;
    const organizerAt =
      externalOrganizer && members.length > 1 && !people[members[members.length - 1]!]!.internal
        ? members.length - 1
        : 0;

    // when, how long, and what sort of meeting
    const future = rng.chance(0.04);
    const day = future
      ? Math.floor(spec.now / DAY_MS) + 1 + rng.int(90)
      : Math.floor(spec.now / DAY_MS) - 1 - Math.floor(730 * rng.next() ** 1.3);
    const weekday = (day + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    const workday = weekday === 0 ? day + 1 : weekday === 6 ? day - 1 : day;
    const allDay = (kind === 'internal' || kind === 'external') && rng.chance(0.005);
    const minutes =
      kind === 'webinar'
        ? rng.pick([60, 60, 90])
        : kind === 'internal1on1' || kind === 'external1on1'
          ? rng.pick([30, 30, 30, 25, 45, 60])
          : rng.pick([30, 30, 45, 60, 60, 60, 90, 120]);
    const startAt = allDay ? workday * DAY_MS : workday * DAY_MS + (7 + rng.int(20)) * 1_800_000;
    const endAt = allDay ? startAt + DAY_MS : startAt + minutes * 60_000;
    const recurring = [0.3, 0.2, 0.6, 0.45, 0][kindIndex]!;
    const type = rng.chance(recurring) ? (rng.chance(0.03) ? 2 : 1) : 0;
    let flags = rng.chance(kind === 'webinar' ? 1 : 0.75) ? F_ONLINE : 0;
    if (allDay) flags |= F_ALL_DAY;
    if (rng.chance(0.03)) flags |= F_CANCELLED;
    if (kind === 'internal1on1' && rng.chance(0.01)) flags |= F_PRIVATE;

    events.startAt[e] = startAt;
    events.endAt[e] = endAt;
    events.kind[e] = kindIndex;
    events.type[e] = type;
    events.flags[e] = flags;
    events.organizer[e] = members[organizerAt]!;
    events.series[e] = type === 0 ? -1 : host * 8 + kindIndex + 5 * rng.int(2);
    attendance.start[e] = rows;
    for (const [i, person] of members.entries()) {
      const organizer = i === organizerAt;
      attendance.person[rows] = person;
      attendance.role[rows] = organizer ? 0 : rng.chance(0.15) ? 2 : 1;
      attendance.response[rows] = organizer
        ? R_ORGANIZER
        : people[person]!.internal
          ? internalResponse()
          : externalResponse();
      rows++;
    }
    events.count++;
  }
  attendance.start[events.count] = rows;

  const sortedMedian = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  return {
    spec,
    // a GUID as Entra gives tenants: it leads every key, so its length is in every row's size
    tenantId: `5c0a1b2e-0000-4000-8000-${String(spec.seed).padStart(12, '0')}`,
    people,
    companies: companyList,
    companyOf,
    teamOf,
    teams,
    events: {
      count: events.count,
      startAt: events.startAt.subarray(0, events.count),
      endAt: events.endAt.subarray(0, events.count),
      kind: events.kind.subarray(0, events.count),
      type: events.type.subarray(0, events.count),
      flags: events.flags.subarray(0, events.count),
      organizer: events.organizer.subarray(0, events.count),
      series: events.series.subarray(0, events.count),
    },
    attendance: { ...attendance, start: attendance.start.subarray(0, events.count + 1) },
    portfolioContactsMedian: sortedMedian(portfolioContacts),
    portfolioCompaniesMedian: sortedMedian(portfolioCompanies),
    generatedSeconds: (performance.now() - began) / 1000,
  };
}

// ---------------------------------------------------------------------------------------------
// writing

const PEOPLE_COLUMNS = [
  ['person_id', 'integer'],
  ['email', 'text'],
  ['display_name', 'text'],
  ['kind', 'text'],
  ['aad_object_id', 'text'],
  ['domain', 'text'],
  ['is_personal_domain', 'integer'],
  ['company_name', 'text'],
  ['job_title', 'text'],
  ['department', 'text'],
  ['account_enabled', 'integer'],
  ['first_seen_at', 'bigint'],
  ['updated_at', 'bigint'],
] as const;

const MAILBOX_COLUMNS = [
  ['user_id', 'text'],
  ['person_id', 'integer'],
  ['user_principal_name', 'text'],
  ['purpose', 'text'],
  ['state', 'text'],
  ['tracked_via', 'text'],
  ['events_stored', 'integer'],
  ['last_success_at', 'bigint'],
  ['created_at', 'bigint'],
  ['updated_at', 'bigint'],
] as const;

export const ATTENDANCE_COLUMNS = [
  ['event_id', 'integer'],
  ['person_id', 'integer'],
  ['role', 'text'],
  ['response', 'text'],
] as const;

/** Where the tenant's ids landed in the store: person index i is person_id personIdBase + i. */
export interface LoadedTenant {
  tenantId: string;
  personIdBase: number;
  eventIdBase: number;
  people: number;
  events: number;
  attendanceRows: number;
  seconds: number;
}

/** Meetings written per transaction (with their attendance). */
const EVENTS_PER_TRANSACTION = 100_000;

const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Writes the tenant into an empty, migrated store; progress goes to `log`. */
export async function writeScoringTenant(
  store: Store,
  tenant: SyntheticTenant,
  log: (line: string) => void = () => undefined,
): Promise<LoadedTenant> {
  const began = performance.now();
  const { db, dialect } = store;
  const { spec, tenantId, people, events, attendance } = tenant;
  const perStatement = BULK_ROWS_PER_STATEMENT[dialect];
  const insert = async (
    trx: StoreDb,
    table: TableName,
    columns: ReadonlyArray<readonly [string, BulkColumnType]>,
    rows: unknown[][],
  ) => {
    for (let i = 0; i < rows.length; i += perStatement) {
      await bulkInsert(trx, dialect, table, tenantId, columns, rows.slice(i, i + perStatement));
    }
  };

  await upsertTenant(db, tenantId, {
    displayName: TENANT_NAME,
    verifiedDomains: [TENANT_DOMAIN],
    consentGrantedAt: spec.now - 800 * DAY_MS,
  });
  const personIdBase = await allocateIds(db, tenantId, 'people', people.length);
  const eventIdBase = await allocateIds(db, tenantId, 'events', events.count);
  const personId = (index: number) => personIdBase + index;
  const groupId = '00000000-0000-4000-8000-00000000a11e';

  // people, the tracked group and every employee's mailbox, synced
  const eventsStored = new Int32Array(spec.employees);
  for (let row = 0; row < attendance.person.length; row++) {
    const person = attendance.person[row]!;
    if (person < spec.employees) eventsStored[person]!++;
  }
  await db.transaction().execute(async (trx) => {
    await insert(
      trx,
      'people',
      PEOPLE_COLUMNS,
      people.map((p, i) => [
        personId(i),
        p.email,
        p.displayName,
        p.internal ? 'internal' : 'external',
        p.aadObjectId,
        p.domain,
        p.isPersonalDomain ? 1 : 0,
        p.companyName,
        p.jobTitle,
        p.department,
        p.internal ? 1 : null,
        spec.now - 700 * DAY_MS,
        spec.now - DAY_MS,
      ]),
    );
    await trx
      .insertInto('tracked_principals')
      .values({
        tenant_id: tenantId,
        principal_id: groupId,
        kind: 'group',
        display_name: 'All employees',
        email: `everyone@${TENANT_DOMAIN}`,
        added_at: spec.now - 800 * DAY_MS,
        added_by: 'bench',
      })
      .execute();
    await insert(
      trx,
      'mailboxes',
      MAILBOX_COLUMNS,
      people
        .slice(0, spec.employees)
        .map((p, i) => [
          p.aadObjectId,
          personId(i),
          p.email,
          'user',
          'synced',
          JSON.stringify([groupId]),
          eventsStored[i],
          spec.now - 3_600_000,
          spec.now - 800 * DAY_MS,
          spec.now - 3_600_000,
        ]),
    );
  });
  log(`    ${people.length.toLocaleString('en')} people, ${spec.employees} mailboxes`);

  // meetings and attendance, a transaction per 100,000 meetings
  const timeZones = ['UTC', 'Pacific Standard Time', 'Eastern Standard Time', 'GMT Standard Time'];
  let reported = 0;
  for (let from = 0; from < events.count; from += EVENTS_PER_TRANSACTION) {
    const to = Math.min(events.count, from + EVENTS_PER_TRANSACTION);
    const eventRows: unknown[][] = [];
    const attendanceRows: unknown[][] = [];
    for (let e = from; e < to; e++) {
      const flags = events.flags[e]!;
      const allDay = (flags & F_ALL_DAY) !== 0;
      const online = (flags & F_ONLINE) !== 0;
      const series = events.series[e]!;
      const startAt = events.startAt[e]!;
      const endAt = events.endAt[e]!;
      const eventId = eventIdBase + e;
      const count = attendance.start[e + 1]! - attendance.start[e]!;
      eventRows.push([
        eventId,
        `040000008200E00074C5B7101A82E00800000000${eventId.toString(16).padStart(12, '0').toUpperCase()}`,
        series < 0 ? null : `040000008200E00074C5B7101A82E008SERIES${series.toString(16)}`,
        TYPE_CODES[events.type[e]!],
        startAt,
        endAt,
        allDay ? 1 : 0,
        allDay ? dateOf(startAt) : null,
        allDay ? dateOf(endAt) : null,
        timeZones[e % timeZones.length],
        (flags & F_CANCELLED) !== 0 ? 1 : 0,
        (flags & F_PRIVATE) !== 0 ? 'private' : 'normal',
        (flags & F_PRIVATE) !== 0 ? 1 : 0,
        online ? 1 : 0,
        online ? 'teamsForBusiness' : null,
        personId(events.organizer[e]!),
        count,
        // no attendance digest: these meetings are written straight in, never synced
        null,
        Math.min(startAt, spec.now) - 7 * DAY_MS,
        Math.min(startAt, spec.now),
      ]);
      for (let row = attendance.start[e]!; row < attendance.start[e + 1]!; row++) {
        attendanceRows.push([
          eventId,
          personId(attendance.person[row]!),
          ROLE_CODES[attendance.role[row]!],
          RESPONSE_CODES[attendance.response[row]!],
        ]);
      }
    }
    await db.transaction().execute(async (trx) => {
      await insert(trx, 'events', EVENT_COLUMNS, eventRows);
      await insert(trx, 'attendance', ATTENDANCE_COLUMNS, attendanceRows);
    });
    const written = attendance.start[to]!;
    if (written - reported >= 1_000_000 || to === events.count) {
      reported = written;
      log(
        `    ${to.toLocaleString('en')} meetings, ${written.toLocaleString('en')} attendance rows ` +
          `(${((performance.now() - began) / 1000).toFixed(0)} s)`,
      );
    }
  }
  if (dialect === 'postgres') {
    // what autovacuum would do soon after a load this size: statistics and the visibility map
    for (const table of ['people', 'mailboxes', 'events', 'attendance'] as const) {
      await sql`vacuum analyze ${sql.table(table)}`.execute(db);
    }
  }
  return {
    tenantId,
    personIdBase,
    eventIdBase,
    people: people.length,
    events: events.count,
    attendanceRows: attendance.start[events.count]!,
    seconds: (performance.now() - began) / 1000,
  };
}
