// External organisations: the companies whose relationships are planted, their contacts (some on
// personal mail domains), and a pool of webinar leads who only ever appear in large events.
import type { Faker } from '@faker-js/faker';
import { mailLocalPart } from './mail-addresses.js';
import type { ExternalCompany, ExternalContact, Region } from './model.js';
import { Random, seededFaker } from './random.js';

export const PERSONAL_MAIL_DOMAINS = [
  'gmail.com',
  'outlook.com',
  'yahoo.com',
  'icloud.com',
] as const;

// prettier-ignore
const NAME_STEMS = [
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
  'Payments', 'Security', 'Group', 'Holdings', 'Labs', 'Networks', 'Aerospace', 'Freight',
  'Clinics', 'Brewing', 'Property', 'Learning', 'Travel', 'Solar', 'Water', 'Diagnostics',
];

interface RegionProfile {
  tlds: ReadonlyArray<readonly [string, number]>;
  offices: ReadonlyArray<{
    city: string;
    timeZone: string;
    streets: readonly string[];
    tld?: string;
  }>;
}

const REGIONS: Record<Region, RegionProfile> = {
  americas: {
    tlds: [
      ['com', 14],
      ['io', 2],
      ['ca', 1],
      ['co', 1],
    ],
    offices: [
      {
        city: 'New York',
        timeZone: 'Eastern Standard Time',
        streets: ['350 Fifth Avenue', '1 Liberty Plaza', '200 Park Avenue'],
      },
      {
        city: 'Boston',
        timeZone: 'Eastern Standard Time',
        streets: ['100 Summer Street', '1 Federal Street'],
      },
      {
        city: 'Chicago',
        timeZone: 'Central Standard Time',
        streets: ['233 S Wacker Dr', '444 W Lake St'],
      },
      {
        city: 'Austin',
        timeZone: 'Central Standard Time',
        streets: ['500 W 2nd St', '301 Congress Ave'],
      },
      {
        city: 'San Francisco',
        timeZone: 'Pacific Standard Time',
        streets: ['535 Mission St', '101 California St'],
      },
      {
        city: 'Denver',
        timeZone: 'Mountain Standard Time',
        streets: ['1700 Lincoln St', '1801 California St'],
      },
      {
        city: 'Toronto',
        timeZone: 'Eastern Standard Time',
        streets: ['100 King St W', '200 Bay St'],
        tld: 'ca',
      },
      { city: 'Atlanta', timeZone: 'Eastern Standard Time', streets: ['1180 Peachtree St NE'] },
    ],
  },
  emea: {
    tlds: [
      ['co.uk', 6],
      ['com', 5],
      ['de', 3],
      ['fr', 2],
      ['nl', 2],
      ['ie', 1],
      ['se', 1],
    ],
    offices: [
      {
        city: 'London',
        timeZone: 'GMT Standard Time',
        streets: ['1 Canada Square', '30 St Mary Axe', '22 Bishopsgate'],
        tld: 'co.uk',
      },
      {
        city: 'Manchester',
        timeZone: 'GMT Standard Time',
        streets: ['1 Spinningfields', '3 Hardman Street'],
        tld: 'co.uk',
      },
      {
        city: 'Munich',
        timeZone: 'W. Europe Standard Time',
        streets: ['Leopoldstraße 180', 'Arnulfstraße 59'],
        tld: 'de',
      },
      {
        city: 'Hamburg',
        timeZone: 'W. Europe Standard Time',
        streets: ['Am Sandtorkai 50'],
        tld: 'de',
      },
      {
        city: 'Paris',
        timeZone: 'Romance Standard Time',
        streets: ['12 Rue de la Paix', '40 Avenue des Terroirs de France'],
        tld: 'fr',
      },
      {
        city: 'Amsterdam',
        timeZone: 'W. Europe Standard Time',
        streets: ['Herengracht 450', 'Gustav Mahlerplein 2'],
        tld: 'nl',
      },
      {
        city: 'Dublin',
        timeZone: 'GMT Standard Time',
        streets: ['2 Grand Canal Square'],
        tld: 'ie',
      },
      {
        city: 'Stockholm',
        timeZone: 'W. Europe Standard Time',
        streets: ['Regeringsgatan 25'],
        tld: 'se',
      },
    ],
  },
  apac: {
    tlds: [
      ['com.au', 4],
      ['co.jp', 3],
      ['com', 3],
      ['sg', 2],
    ],
    offices: [
      {
        city: 'Sydney',
        timeZone: 'AUS Eastern Standard Time',
        streets: ['1 Martin Place', '200 George Street'],
        tld: 'com.au',
      },
      {
        city: 'Melbourne',
        timeZone: 'AUS Eastern Standard Time',
        streets: ['80 Collins Street'],
        tld: 'com.au',
      },
      {
        city: 'Tokyo',
        timeZone: 'Tokyo Standard Time',
        streets: ['1-1-2 Otemachi, Chiyoda-ku', '6-10-1 Roppongi, Minato-ku'],
        tld: 'co.jp',
      },
      {
        city: 'Osaka',
        timeZone: 'Tokyo Standard Time',
        streets: ['3-3-3 Umeda, Kita-ku'],
        tld: 'co.jp',
      },
      {
        city: 'Singapore',
        timeZone: 'Singapore Standard Time',
        streets: ['8 Marina View', '1 Raffles Place'],
        tld: 'sg',
      },
    ],
  },
};

// prettier-ignore
const CONTACT_TITLES = [
  'VP Operations', 'Head of Procurement', 'IT Director', 'Chief Information Officer',
  'Chief Digital Officer', 'Director of Engineering', 'Head of Revenue Operations',
  'Procurement Manager', 'Programme Manager', 'VP Sales', 'Head of Data', 'Finance Director',
  'Chief Technology Officer', 'Product Lead', 'Head of Partnerships', 'Solutions Architect',
  'Director of Customer Experience', 'Operations Manager', 'General Counsel',
  'Chief Operating Officer',
];

type EmailFormat = 'first.last' | 'flast' | 'first' | 'firstl' | 'first_last';

function formatAddress(format: EmailFormat, first: string, last: string): string {
  const f = mailLocalPart(first);
  const l = mailLocalPart(last).replace(/-/g, '');
  switch (format) {
    case 'first.last':
      return `${f}.${l}`;
    case 'flast':
      return `${f.charAt(0)}${l}`;
    case 'first':
      return f;
    case 'firstl':
      return `${f}${l.charAt(0)}`;
    case 'first_last':
      return `${f}_${l}`;
  }
}

function personalAddress(rng: Random, first: string, last: string): string {
  const f = mailLocalPart(first);
  const l = mailLocalPart(last).replace(/-/g, '');
  const local = rng.pick([
    `${f}.${l}`,
    `${f}${l}${rng.int(1, 99)}`,
    `${f.charAt(0)}${l}${rng.int(70, 99)}`,
    `${f}.${l}.${rng.int(1, 9)}`,
  ]);
  return `${local}@${rng.pick(PERSONAL_MAIL_DOMAINS)}`;
}

export interface ExternalWorld {
  companies: ExternalCompany[];
  /** Companies that only send people to webinars and events (not in the planted truth). */
  leads: ExternalCompany[];
  /** People on personal domains with no company: friends, candidates, webinar sign-ups. */
  individuals: ExternalContact[];
}

class CompanyFactory {
  private readonly usedNames = new Set<string>();
  private readonly usedDomains: Set<string>;
  private readonly usedAddresses = new Set<string>();

  constructor(
    private readonly rng: Random,
    private readonly faker: Faker,
    reservedDomains: readonly string[],
  ) {
    this.usedDomains = new Set([...reservedDomains, ...PERSONAL_MAIL_DOMAINS]);
  }

  private uniqueAddress(make: () => string): string {
    for (let attempt = 0; ; attempt++) {
      const address = make();
      const candidate = attempt === 0 ? address : address.replace('@', `${attempt + 1}@`);
      if (!this.usedAddresses.has(candidate)) {
        this.usedAddresses.add(candidate);
        return candidate;
      }
    }
  }

  private companyName(): { name: string; domainStem: string } {
    const { rng, faker } = this;
    for (;;) {
      const style = rng.weighted([
        ['stem-industry', 6],
        ['stem', 2],
        ['surname', 2],
        ['surnames', 1],
      ] as const);
      let name: string;
      let domainStem: string;
      const stem = rng.pick(NAME_STEMS);
      const industry = rng.pick(INDUSTRIES);
      switch (style) {
        case 'stem-industry':
          name = `${stem} ${industry}`;
          domainStem = rng.chance(0.5)
            ? mailLocalPart(stem.replace(/\s+/g, ''))
            : mailLocalPart(`${stem}${industry}`.replace(/\s+/g, ''));
          break;
        case 'stem':
          name = `${stem} ${rng.pick(['Inc.', 'Ltd', 'Group', 'Corporation', 'plc', 'AG'])}`;
          domainStem = mailLocalPart(stem.replace(/\s+/g, ''));
          break;
        case 'surname': {
          const surname = faker.person.lastName().replace(/-.*/, '');
          name = `${surname} ${industry}`;
          domainStem = mailLocalPart(`${surname}${industry}`);
          break;
        }
        case 'surnames': {
          const a = faker.person.lastName().replace(/-.*/, '');
          const b = faker.person.lastName().replace(/-.*/, '');
          name = `${a} & ${b}`;
          domainStem = mailLocalPart(`${a}${b}`);
          break;
        }
      }
      if (domainStem.length >= 3 && !this.usedNames.has(name)) {
        this.usedNames.add(name);
        return { name, domainStem };
      }
    }
  }

  company(region: Region, contactCount: number, personalShare: number): ExternalCompany {
    const { rng, faker } = this;
    const profile = REGIONS[region];
    const office = rng.pick(profile.offices);
    let domain = '';
    let name = '';
    for (;;) {
      const naming = this.companyName();
      name = naming.name;
      const tld = office.tld && rng.chance(0.6) ? office.tld : rng.weighted(profile.tlds);
      const hyphenate = naming.domainStem.length > 14 || rng.chance(0.1);
      const stem =
        hyphenate && /[A-Z].*\s/.test(name)
          ? mailLocalPart(name.split(/\s+/).slice(0, 2).join('-'))
          : naming.domainStem;
      domain = `${stem}.${tld}`;
      if (!this.usedDomains.has(domain)) break;
    }
    this.usedDomains.add(domain);
    const format = rng.weighted([
      ['first.last', 6],
      ['flast', 3],
      ['first', 1],
      ['firstl', 1],
      ['first_last', 1],
    ] as const);
    const contacts: ExternalContact[] = [];
    for (let i = 0; i < contactCount; i++) {
      const first = faker.person.firstName();
      const last = faker.person.lastName();
      const personal = i > 0 && rng.chance(personalShare);
      contacts.push({
        displayName: `${first} ${last}`,
        email: this.uniqueAddress(() =>
          personal
            ? personalAddress(rng, first, last)
            : `${formatAddress(format, first, last)}@${domain}`,
        ),
        title: rng.pick(CONTACT_TITLES),
        personalDomain: personal,
      });
    }
    return {
      name,
      domain,
      region,
      timeZone: office.timeZone,
      city: office.city,
      street: rng.pick(office.streets),
      contacts,
      keyAccount: false,
    };
  }

  individual(): ExternalContact {
    const first = this.faker.person.firstName();
    const last = this.faker.person.lastName();
    return {
      displayName: `${first} ${last}`,
      email: this.uniqueAddress(() => personalAddress(this.rng, first, last)),
      title: '',
      personalDomain: true,
    };
  }
}

export function buildExternalWorld(options: {
  seed: number;
  companies: number;
  reservedDomains: readonly string[];
}): ExternalWorld {
  const { seed, reservedDomains } = options;
  if (!Number.isInteger(options.companies) || options.companies < 1) {
    throw new RangeError(
      `companies must be a whole number of at least 1, got ${options.companies}`,
    );
  }
  const rng = new Random(seed, 'companies');
  const factory = new CompanyFactory(rng, seededFaker(seed, 'companies'), reservedDomains);
  const regionFor = (index: number): Region =>
    index % 10 < 5 ? 'americas' : index % 10 < 8 ? 'emea' : 'apac';

  const companies: ExternalCompany[] = [];
  for (let index = 0; index < options.companies; index++) {
    const company = factory.company(regionFor(index), rng.int(3, 8), 0);
    company.keyAccount = rng.chance(0.4);
    // About a third of companies have one person who writes from a personal address.
    if (rng.chance(0.35)) {
      const contact = factory.individual();
      contact.title = rng.pick([
        'Founder',
        'Advisor',
        'Independent Consultant',
        'Board Member',
        'Interim CTO',
      ]);
      company.contacts.splice(1, 0, contact);
    }
    companies.push(company);
  }
  const leads: ExternalCompany[] = [];
  const leadCount = Math.max(60, options.companies * 3);
  for (let index = 0; index < leadCount; index++) {
    leads.push(factory.company(regionFor(index + 3), rng.int(1, 3), 0.08));
  }
  const individuals: ExternalContact[] = [];
  for (let index = 0; index < Math.max(40, Math.round(options.companies * 1.5)); index++) {
    individuals.push(factory.individual());
  }
  return { companies, leads, individuals };
}
