// The organisation itself: tenant and domains, departments and teams of employees, departed and
// unlicensed accounts; then its mailboxes, rooms and groups (mailboxes.ts, groups.ts).
import type { Faker } from '@faker-js/faker';
import type {
  GraphOrganization,
  GraphRoom,
  GraphUser,
  MailboxSettings,
  TenantFileGroup,
} from '../graph-types.js';
import type { Day } from './calendar-days.js';
import { type GroupMailboxes, buildGroups } from './groups.js';
import { mailLocalPart } from './mail-addresses.js';
import {
  buildRooms,
  personalMailboxSettings,
  resourceMailboxSettings,
  specialMailbox,
} from './mailboxes.js';
import {
  type Department,
  type Employee,
  type Office,
  type Participant,
  REGION_LABEL,
  type Region,
  type Role,
  type RoomMailbox,
  type Team,
} from './model.js';
import { OFFICES, officeLocationText } from './offices.js';
import { Random, seededFaker } from './random.js';

/** The smallest organisation that still has every department and sales region. */
export const MIN_USERS = 25;

const ORGANISATION_STEMS = [
  'Northwind',
  'Fabrikam',
  'Contoso',
  'Tailspin',
  'Litware',
  'Proseware',
  'Woodgrove',
  'Wingtip',
  'Lucerne',
  'Adatum',
  'Coho',
  'Alpine',
] as const;

export interface Organisation {
  tenantId: string;
  displayName: string;
  primaryDomain: string;
  subsidiaryDomain: string;
  subsidiaryName: string;
  organization: GraphOrganization;
  employees: Employee[];
  teams: Team[];
  /** Department heads' staff teams ("Sales Leadership") and the executive team. */
  leadershipTeams: Team[];
  executive: {
    ceo: Employee;
    cro: Employee;
    cfo: Employee;
    cto: Employee;
    cmo?: Employee;
    assistant?: Employee;
  };
  departmentHeads: Map<Department, Employee>;
  rooms: RoomMailbox[];
  sharedMailbox: Participant;
  equipment: Participant;
  groupMailboxes: GroupMailboxes;
  users: GraphUser[];
  groups: TenantFileGroup[];
  mailboxSettings: Record<string, MailboxSettings>;
  graphRooms: GraphRoom[];
}

interface TeamPlan {
  key: string;
  name: string;
  department: Department;
  region?: Region;
  offices: Office[];
  subsidiary: boolean;
  standup: boolean;
  size: number;
  /** Employees beyond the manager's seat get these roles in order, then `defaultRole`. */
  leadingRoles: Role[];
  defaultRole: Role;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function pickWord(faker: Faker, used: Set<string>): string {
  for (;;) {
    const word = faker.word.noun().toLowerCase();
    if (/^[a-z]{4,9}$/.test(word) && !used.has(word)) {
      used.add(word);
      return word;
    }
  }
}

function splitCount(total: number, shares: readonly number[]): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  const raw = shares.map((share) => (total * share) / sum);
  const counts = raw.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = raw
    .map((value, index) => ({ index, rest: value - Math.floor(value) }))
    .sort((a, b) => b.rest - a.rest || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    counts[index] = (counts[index] ?? 0) + 1;
    left--;
  }
  return counts;
}

function chunkSizes(total: number, maxSize: number): number[] {
  if (total <= 0) return [];
  const chunks = Math.ceil(total / maxSize);
  return splitCount(total, new Array<number>(chunks).fill(1));
}

const SALES_PODS: Record<Region, Array<{ name: string; office: Office }>> = {
  americas: [
    { name: 'West', office: OFFICES.seattle },
    { name: 'East', office: OFFICES.newYork },
    { name: 'Central', office: OFFICES.chicago },
    { name: 'Enterprise', office: OFFICES.newYork },
  ],
  emea: [
    { name: 'UK & Ireland', office: OFFICES.london },
    { name: 'DACH', office: OFFICES.berlin },
    { name: 'Benelux & Nordics', office: OFFICES.london },
  ],
  apac: [
    { name: 'Japan', office: OFFICES.tokyo },
    { name: 'ANZ', office: OFFICES.sydney },
  ],
};

const ENGINEERING_TEAMS = [
  'Platform',
  'Integrations',
  'Data Platform',
  'Reliability',
  'Identity',
  'Web App',
  'Insights',
  'Mobile',
  'Search',
  'Billing',
  'Developer Experience',
  'Connectors',
  'Security',
  'Notifications',
] as const;

const MARKETING_TEAMS = [
  'Events & Community',
  'Demand Generation',
  'Product Marketing',
  'Brand & Content',
  'Marketing Operations',
] as const;

const CUSTOMER_SUCCESS_TEAMS = [
  'Enterprise',
  'Growth',
  'Onboarding',
  'Strategic Accounts',
  'Renewals',
  'Digital',
] as const;

function planTeams(users: number): { executives: number; plans: TeamPlan[] } {
  const executives = users < 40 ? 4 : users < 120 ? 6 : 7;
  const rest = users - executives;
  const [sales = 0, success = 0, partnerships = 0, marketing = 0, engineering = 0] = splitCount(
    rest,
    [28, 15, 6, 10, 41],
  );
  const plans: TeamPlan[] = [];
  const push = (
    department: Department,
    names: readonly string[],
    count: number,
    offices: readonly Office[],
    options: Partial<Pick<TeamPlan, 'standup' | 'leadingRoles' | 'defaultRole'>> & {
      prefix: string;
      /** Teams based in Berlin belong to the subsidiary (an acquisition). */
      berlinIsSubsidiary?: boolean;
    },
  ): void => {
    // One seat is the department head; the rest form teams of at most eight.
    chunkSizes(count - 1, 8).forEach((size, index) => {
      const base = names[index % names.length] ?? `Team ${index + 1}`;
      const name =
        names.length === 0
          ? options.prefix
          : `${options.prefix}${base}${index >= names.length ? ` ${Math.floor(index / names.length) + 1}` : ''}`;
      const office = offices[index % offices.length] ?? OFFICES.seattle;
      plans.push({
        key: `${department}:${index}`,
        name,
        department,
        offices: office.key === OFFICES.berlin.key ? [office] : [office, ...offices],
        subsidiary: Boolean(options.berlinIsSubsidiary) && office.key === OFFICES.berlin.key,
        standup: options.standup ?? false,
        size,
        leadingRoles: options.leadingRoles ?? [],
        defaultRole: options.defaultRole ?? 'engineer',
      });
    });
  };

  // Sales: regional sub-teams, each with pods of at most nine.
  const regionCounts = splitCount(Math.max(6, sales) - 1, [45, 35, 20]);
  (['americas', 'emea', 'apac'] as const).forEach((region, regionIndex) => {
    const regionTotal = Math.max(2, regionCounts[regionIndex] ?? 2);
    const pods = chunkSizes(regionTotal, 9);
    pods.forEach((size, podIndex) => {
      const pod = SALES_PODS[region][podIndex % SALES_PODS[region].length];
      if (!pod) return;
      const name =
        pods.length === 1
          ? `Sales ${REGION_LABEL[region]}`
          : `Sales ${REGION_LABEL[region]} - ${pod.name}`;
      plans.push({
        key: `Sales:${region}:${podIndex}`,
        name,
        department: 'Sales',
        region,
        offices:
          pods.length === 1 ? SALES_PODS[region].map((p) => p.office) : [pod.office, pod.office],
        subsidiary: false,
        standup: false,
        size,
        leadingRoles:
          size >= 5
            ? ['sales-development', 'solutions-engineer']
            : size >= 4
              ? ['sales-development']
              : [],
        defaultRole: 'account-executive',
      });
    });
  });
  push(
    'Customer Success',
    CUSTOMER_SUCCESS_TEAMS,
    Math.max(3, success),
    [OFFICES.seattle, OFFICES.london, OFFICES.newYork, OFFICES.sydney],
    { prefix: 'Customer Success - ', defaultRole: 'customer-success' },
  );
  push(
    'Partnerships',
    ['Alliances', 'Channel', 'Technology Partners'],
    Math.max(3, partnerships),
    [OFFICES.newYork, OFFICES.london, OFFICES.berlin],
    { prefix: 'Partnerships - ', defaultRole: 'partner-manager', berlinIsSubsidiary: true },
  );
  push(
    'Marketing',
    MARKETING_TEAMS,
    Math.max(4, marketing),
    [OFFICES.seattle, OFFICES.newYork, OFFICES.london],
    {
      prefix: 'Marketing - ',
      leadingRoles: ['events-marketer', 'events-marketer'],
      defaultRole: 'marketer',
    },
  );
  const engineeringTotal = Math.max(4, engineering);
  push(
    'Engineering',
    ENGINEERING_TEAMS,
    engineeringTotal,
    [OFFICES.seattle, OFFICES.berlin, OFFICES.seattle, OFFICES.berlin, OFFICES.seattle],
    {
      prefix: 'Engineering - ',
      standup: true,
      leadingRoles: ['product-manager'],
      defaultRole: 'engineer',
      berlinIsSubsidiary: true,
    },
  );
  // Small organisations still have the acquired Berlin team, so the second domain is in use.
  if (!plans.some((plan) => plan.subsidiary)) {
    const lastEngineering = plans.filter((plan) => plan.department === 'Engineering').at(-1);
    if (lastEngineering) {
      lastEngineering.offices = [OFFICES.berlin];
      lastEngineering.subsidiary = true;
    }
  }
  // The reliability team does the on-call hand-over.
  for (const plan of plans) {
    if (plan.name.endsWith('Reliability')) plan.defaultRole = 'reliability-engineer';
  }
  if (!plans.some((plan) => plan.defaultRole === 'reliability-engineer')) {
    const firstEngineering = plans.find((plan) => plan.department === 'Engineering');
    if (firstEngineering) {
      firstEngineering.leadingRoles = [
        'product-manager',
        'reliability-engineer',
        'reliability-engineer',
      ];
    }
  }
  return { executives, plans };
}

const TITLES: Record<Role, readonly string[]> = {
  ceo: ['Chief Executive Officer'],
  cro: ['Chief Revenue Officer'],
  cfo: ['Chief Financial Officer'],
  cto: ['Chief Technology Officer'],
  cmo: ['Chief Marketing Officer'],
  'executive-assistant': ['Executive Assistant to the CEO'],
  'department-head': [],
  'team-manager': [],
  'account-executive': [
    'Account Executive',
    'Senior Account Executive',
    'Enterprise Account Executive',
  ],
  'sales-development': ['Sales Development Representative'],
  'solutions-engineer': ['Solutions Engineer', 'Senior Solutions Engineer'],
  'customer-success': [
    'Customer Success Manager',
    'Senior Customer Success Manager',
    'Technical Account Manager',
  ],
  'partner-manager': ['Partner Manager', 'Alliances Manager', 'Channel Account Manager'],
  marketer: [
    'Product Marketing Manager',
    'Demand Generation Manager',
    'Content Marketing Lead',
    'Marketing Operations Specialist',
  ],
  'events-marketer': ['Events Manager', 'Field Marketing Manager'],
  engineer: [
    'Software Engineer',
    'Senior Software Engineer',
    'Senior Software Engineer',
    'Staff Software Engineer',
    'QA Engineer',
  ],
  'reliability-engineer': ['Site Reliability Engineer', 'Senior Site Reliability Engineer'],
  'product-manager': ['Product Manager', 'Senior Product Manager'],
};

const HEAD_TITLES: Record<Exclude<Department, 'Executives'>, string> = {
  Sales: 'VP Sales',
  'Customer Success': 'VP Customer Success',
  Partnerships: 'Head of Partnerships',
  Marketing: 'VP Marketing',
  Engineering: 'VP Engineering',
};

const MANAGER_TITLES: Record<Department, string> = {
  Executives: 'Chief of Staff',
  Sales: 'Regional Sales Director',
  'Customer Success': 'Customer Success Lead',
  Partnerships: 'Partnerships Lead',
  Marketing: 'Marketing Manager',
  Engineering: 'Engineering Manager',
};

interface UserFactory {
  make(args: {
    department: Department;
    team: Team;
    role: Role;
    title: string;
    office: Office;
    manager?: Employee;
    subsidiary: boolean;
  }): Employee;
}

export function buildOrganisation(options: {
  seed: number;
  users: number;
  historyStart: Day;
  anchor: Day;
}): Organisation {
  const { seed, users, historyStart, anchor } = options;
  if (!Number.isInteger(users) || users < MIN_USERS) {
    throw new RangeError(`users must be a whole number of at least ${MIN_USERS}, got ${users}`);
  }
  const rng = new Random(seed, 'organisation');
  const faker = seededFaker(seed, 'organisation');
  const usedWords = new Set<string>();
  const stem = rng.pick(ORGANISATION_STEMS);
  const word = pickWord(faker, usedWords);
  const subsidiaryWord = pickWord(faker, usedWords);
  const displayName = `${stem} ${capitalise(word)}`;
  const primaryDomain = `${stem.toLowerCase()}-${word}.com`;
  const initialDomain = `${stem.toLowerCase()}${word}.onmicrosoft.com`;
  const subsidiaryDomain = `${subsidiaryWord}labs.io`;
  const subsidiaryName = `${capitalise(subsidiaryWord)} Labs GmbH`;
  const tenantId = rng.guid();
  const organization: GraphOrganization = {
    id: tenantId,
    displayName,
    verifiedDomains: [
      {
        name: primaryDomain,
        isDefault: true,
        isInitial: false,
        type: 'Managed',
        capabilities: 'Email, OfficeCommunicationsOnline',
      },
      {
        name: initialDomain,
        isDefault: false,
        isInitial: true,
        type: 'Managed',
        capabilities: 'Email, OfficeCommunicationsOnline',
      },
      {
        name: subsidiaryDomain,
        isDefault: false,
        isInitial: false,
        type: 'Managed',
        capabilities: 'Email',
      },
    ],
  };

  const employees: Employee[] = [];
  const usedLocalParts = new Set<string>();
  const factory: UserFactory = {
    make({ department, team, role, title, office: teamOffice, manager, subsidiary }) {
      const givenName = faker.person.firstName();
      const surname = faker.person.lastName();
      let local = `${mailLocalPart(givenName)}.${mailLocalPart(surname)}`;
      for (let n = 2; usedLocalParts.has(local); n++) {
        local = `${mailLocalPart(givenName)}.${mailLocalPart(surname)}${n}`;
      }
      usedLocalParts.add(local);
      const isIndividualContributor = role !== 'team-manager' && role !== 'department-head';
      const office =
        isIndividualContributor && department !== 'Executives' && rng.chance(0.07)
          ? OFFICES[teamOffice.usageLocation === 'US' ? 'remoteDenver' : 'remoteParis']
          : teamOffice;
      const domain = subsidiary ? subsidiaryDomain : primaryDomain;
      const address = `${local}@${domain}`;
      const id = rng.guid();
      const displayName = `${givenName} ${surname}`;
      const user: GraphUser = {
        id,
        businessPhones: [`${office.phonePrefix} ${rng.digits(4)}`],
        displayName,
        givenName,
        surname,
        jobTitle: title,
        mail: address,
        mobilePhone: rng.chance(0.4)
          ? `${office.phonePrefix.split(' ')[0]} ${rng.digits(3)} ${rng.digits(3)} ${rng.digits(4)}`
          : null,
        officeLocation: officeLocationText(office),
        preferredLanguage: office.locale,
        userPrincipalName: address,
        department,
        companyName: subsidiary ? subsidiaryName : organization.displayName,
        accountEnabled: true,
        usageLocation: office.usageLocation,
        userType: 'Member',
      };
      const seniorRole =
        role === 'department-head' || role === 'team-manager' || department === 'Executives';
      const hireDay =
        seniorRole || rng.chance(0.8)
          ? historyStart - rng.int(30, 2000)
          : rng.int(historyStart + 14, Math.max(historyStart + 15, anchor - 45));
      const employee: Employee = {
        user,
        id,
        displayName,
        givenName,
        surname,
        mail: address,
        department,
        team,
        role,
        office,
        timeZone: office.windowsTimeZone,
        ...(manager ? { manager } : {}),
        enabled: true,
        hireDay,
      };
      team.members.push(employee);
      employees.push(employee);
      return employee;
    },
  };

  const { executives: executiveCount, plans } = planTeams(users);
  const executiveTeam: Team = {
    key: 'Executives',
    name: 'Executive Leadership Team',
    department: 'Executives',
    members: [],
    subsidiary: false,
    standup: false,
  };
  const exec = (role: Role, office: Office, manager?: Employee): Employee =>
    factory.make({
      department: 'Executives',
      team: executiveTeam,
      role,
      title: TITLES[role][0] ?? 'Executive',
      office,
      ...(manager ? { manager } : {}),
      subsidiary: false,
    });
  const ceo = exec('ceo', OFFICES.seattle);
  executiveTeam.manager = ceo;
  const cro = exec('cro', OFFICES.newYork, ceo);
  const cfo = exec('cfo', OFFICES.seattle, ceo);
  const cto = exec('cto', OFFICES.seattle, ceo);
  const cmo = executiveCount >= 6 ? exec('cmo', OFFICES.newYork, ceo) : undefined;
  const assistant =
    executiveCount >= 6 ? exec('executive-assistant', OFFICES.seattle, ceo) : undefined;
  if (executiveCount >= 7) {
    const coo = exec('department-head', OFFICES.london, ceo);
    coo.user.jobTitle = 'Chief Operating Officer';
  }

  const teams: Team[] = [];
  const leadershipTeams: Team[] = [executiveTeam];
  const departmentHeads = new Map<Department, Employee>();
  const headReportsTo: Record<Exclude<Department, 'Executives'>, Employee> = {
    Sales: cro,
    'Customer Success': cro,
    Partnerships: cro,
    Marketing: cmo ?? ceo,
    Engineering: cto,
  };
  const headOffice: Record<Exclude<Department, 'Executives'>, Office> = {
    Sales: OFFICES.newYork,
    'Customer Success': OFFICES.seattle,
    Partnerships: OFFICES.london,
    Marketing: OFFICES.newYork,
    Engineering: OFFICES.seattle,
  };
  for (const department of [
    'Sales',
    'Customer Success',
    'Partnerships',
    'Marketing',
    'Engineering',
  ] as const) {
    const departmentPlans = plans.filter((plan) => plan.department === department);
    const leadership: Team = {
      key: `${department}:leadership`,
      name: `${department} Leadership`,
      department,
      members: [],
      subsidiary: false,
      standup: false,
    };
    const head = factory.make({
      department,
      team: leadership,
      role: 'department-head',
      title: HEAD_TITLES[department],
      office: headOffice[department],
      manager: headReportsTo[department],
      subsidiary: false,
    });
    leadership.manager = head;
    departmentHeads.set(department, head);
    leadershipTeams.push(leadership);
    for (const plan of departmentPlans) {
      const team: Team = {
        key: plan.key,
        name: plan.name,
        department,
        ...(plan.region ? { region: plan.region } : {}),
        members: [],
        subsidiary: plan.subsidiary,
        standup: plan.standup,
      };
      teams.push(team);
      const managerOffice = plan.offices[0] ?? OFFICES.seattle;
      const manager = factory.make({
        department,
        team,
        role: 'team-manager',
        title:
          department === 'Sales' && plan.name.includes(' - ')
            ? 'Sales Manager'
            : MANAGER_TITLES[department],
        office: managerOffice,
        manager: head,
        subsidiary: plan.subsidiary,
      });
      team.manager = manager;
      leadership.members.push(manager);
      for (let seat = 1; seat < plan.size; seat++) {
        const role = plan.leadingRoles[seat - 1] ?? plan.defaultRole;
        factory.make({
          department,
          team,
          role,
          title: rng.pick(TITLES[role]),
          office: plan.offices[seat % plan.offices.length] ?? managerOffice,
          manager,
          subsidiary: plan.subsidiary,
        });
      }
    }
  }
  // Department heads run the leadership team; keep managers' own team as their primary team.
  for (const team of leadershipTeams) {
    if (team.manager && !team.members.includes(team.manager)) team.members.unshift(team.manager);
  }

  // Top up or trim to the exact headcount asked for, with engineers (the largest department).
  const engineeringTeams = teams.filter((team) => team.department === 'Engineering');
  for (let index = 0; employees.length < users; index++) {
    const team = engineeringTeams[index % engineeringTeams.length];
    if (!team?.manager) break;
    factory.make({
      department: 'Engineering',
      team,
      role: 'engineer',
      title: rng.pick(TITLES.engineer),
      office: team.manager.office,
      manager: team.manager,
      subsidiary: team.subsidiary,
    });
  }
  // Department minimums can overshoot a small headcount: trim the largest teams.
  while (employees.length > users) {
    const largest = [...teams].sort((a, b) => b.members.length - a.members.length)[0];
    const removable = largest && largest.members.length > 2 ? largest.members.at(-1) : undefined;
    if (!removable || removable === largest?.manager) break;
    employees.splice(employees.indexOf(removable), 1);
    largest?.members.pop();
  }

  markSpecialAccounts(employees, rng, anchor, historyStart);

  const rooms = buildRooms(employees, rng, primaryDomain);
  const sharedMailbox = specialMailbox(rng, 'Customer Support', `support@${primaryDomain}`);
  const equipmentUser = specialMailbox(
    rng,
    'Demo Kit - Surface Hub (Seattle)',
    `equip-sea-demokit@${primaryDomain}`,
  );
  const roomUsers: GraphUser[] = rooms.map((room) => ({
    id: room.id,
    businessPhones: [],
    displayName: room.displayName,
    givenName: null,
    surname: null,
    jobTitle: null,
    mail: room.mail,
    mobilePhone: null,
    officeLocation: room.office.building,
    preferredLanguage: null,
    userPrincipalName: room.mail,
    department: null,
    companyName: null,
    accountEnabled: false,
    usageLocation: room.office.usageLocation,
    userType: 'Member',
  }));

  const mailboxSettings: Record<string, MailboxSettings> = {};
  for (const employee of employees) {
    if (employee.mail) mailboxSettings[employee.id] = personalMailboxSettings(employee, rng);
  }
  mailboxSettings[sharedMailbox.user.id] = resourceMailboxSettings(OFFICES.seattle, 'shared');
  mailboxSettings[equipmentUser.user.id] = resourceMailboxSettings(OFFICES.seattle, 'equipment');
  for (const room of rooms) mailboxSettings[room.id] = resourceMailboxSettings(room.office, 'room');

  const graphRooms: GraphRoom[] = rooms.map((room) => ({
    id: rng.guid(),
    emailAddress: room.mail,
    displayName: room.displayName,
    capacity: room.capacity,
    building: room.office.building,
    floorNumber: rng.int(1, 9),
    bookingType: 'standard',
    isWheelchairAccessible: rng.chance(0.8),
    nickname: room.displayName.replace(/^Conf Room /, '').replace(/ \(.*\)$/, ''),
    label:
      room.capacity >= 12 ? 'Boardroom' : room.capacity >= 8 ? 'Conference room' : 'Huddle room',
    tags: room.capacity >= 8 ? ['Microsoft Teams Room', 'Whiteboard', 'Display'] : ['Display'],
    address: {
      street: room.office.street,
      city: room.office.city,
      state: room.office.state,
      countryOrRegion: room.office.countryOrRegion,
      postalCode: room.office.postalCode,
    },
    phone: `${room.office.phonePrefix} ${rng.digits(4)}`,
  }));

  const { groups, groupMailboxes } = buildGroups({
    rng,
    primaryDomain,
    employees,
    teams,
    leadershipTeams,
    departmentHeads,
  });

  const executive = {
    ceo,
    cro,
    cfo,
    cto,
    ...(cmo ? { cmo } : {}),
    ...(assistant ? { assistant } : {}),
  };
  return {
    tenantId,
    displayName,
    primaryDomain,
    subsidiaryDomain,
    subsidiaryName,
    organization,
    employees,
    teams,
    leadershipTeams,
    executive,
    departmentHeads,
    rooms,
    sharedMailbox: sharedMailbox.participant,
    equipment: { ...equipmentUser.participant, kind: 'equipment' },
    groupMailboxes,
    users: [
      ...employees.map((employee) => employee.user),
      sharedMailbox.user,
      equipmentUser.user,
      ...roomUsers,
    ],
    groups,
    mailboxSettings,
    graphRooms,
  };
}

/** Contractors without a mailbox, and departed employees whose accounts are disabled. */
function markSpecialAccounts(
  employees: Employee[],
  rng: Random,
  anchor: Day,
  historyStart: Day,
): void {
  const engineers = employees.filter((employee) => employee.role === 'engineer');
  const withoutMailbox = Math.max(2, Math.round(employees.length * 0.006));
  for (const contractor of rng.sample(engineers, withoutMailbox)) {
    contractor.mail = null;
    contractor.user.mail = null;
    contractor.user.jobTitle = `${contractor.user.jobTitle ?? 'Software Engineer'} (Contractor)`;
    contractor.user.userPrincipalName = contractor.user.userPrincipalName.replace(
      '@',
      '.contractor@',
    );
  }
  const departing = Math.max(2, Math.round(employees.length / 250) + 1);
  const candidates = rng.shuffle(
    employees.filter(
      (employee) =>
        (employee.role === 'account-executive' || employee.role === 'customer-success') &&
        employee.mail !== null,
    ),
  );
  for (const leaver of candidates.slice(0, departing)) {
    leaver.enabled = false;
    leaver.user.accountEnabled = false;
    leaver.hireDay = Math.min(leaver.hireDay, historyStart - rng.int(60, 400));
    leaver.leaveDay = anchor - rng.int(75, 240);
  }
}
