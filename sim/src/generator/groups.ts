// Security groups with nested membership, and Microsoft 365 groups whose mailboxes get invited.
import type { TenantFileGroup } from '../graph-types.js';
import { mailLocalPart } from './mail-addresses.js';
import {
  type Department,
  type Employee,
  type Participant,
  REGION_LABEL,
  type Team,
} from './model.js';
import type { Random } from './random.js';

export interface GroupMailboxes {
  allCompany: Participant;
  leadership: Participant;
  dealDesk: Participant;
  customerSuccess: Participant;
  marketing: Participant;
  partners: Participant;
  engineering: Participant;
}

export function buildGroups(args: {
  rng: Random;
  primaryDomain: string;
  employees: Employee[];
  teams: Team[];
  leadershipTeams: Team[];
  departmentHeads: Map<Department, Employee>;
}): { groups: TenantFileGroup[]; groupMailboxes: GroupMailboxes } {
  const { rng, primaryDomain, employees, teams, leadershipTeams, departmentHeads } = args;
  const groups: TenantFileGroup[] = [];
  const ids = (people: Employee[]): string[] => people.map((person) => person.id);
  const security = (
    displayName: string,
    description: string,
    members: string[],
  ): TenantFileGroup => {
    const group: TenantFileGroup = {
      id: rng.guid(),
      displayName,
      description,
      mail: null,
      mailNickname: mailLocalPart(displayName.replace(/\s+/g, '-')) || rng.hex(8),
      mailEnabled: false,
      securityEnabled: true,
      groupTypes: [],
      visibility: null,
      members,
    };
    groups.push(group);
    return group;
  };
  const mailEnabledSecurity = (
    displayName: string,
    nickname: string,
    description: string,
    members: string[],
  ): TenantFileGroup => {
    const group = security(displayName, description, members);
    group.mail = `${nickname}@${primaryDomain}`;
    group.mailNickname = nickname;
    group.mailEnabled = true;
    return group;
  };
  const unified = (
    displayName: string,
    nickname: string,
    description: string,
    members: Employee[],
    visibility: 'Public' | 'Private',
  ): Participant => {
    const mail = `${nickname}@${primaryDomain}`;
    groups.push({
      id: rng.guid(),
      displayName,
      description,
      mail,
      mailNickname: nickname,
      mailEnabled: true,
      securityEnabled: false,
      groupTypes: ['Unified'],
      visibility,
      members: ids(members),
    });
    return { displayName, address: mail, kind: 'group' };
  };
  const inDepartment = (department: Department): Employee[] =>
    employees.filter((employee) => employee.department === department);

  const regional = (['americas', 'emea', 'apac'] as const).map((region) =>
    security(
      `Sales ${REGION_LABEL[region]}`,
      `Sales team for ${REGION_LABEL[region]}`,
      ids(teams.filter((team) => team.region === region).flatMap((team) => team.members)),
    ),
  );
  const salesHead = departmentHeads.get('Sales');
  const sales = security('Sales', 'All of Sales, by region', [
    ...regional.map((group) => group.id),
    ...(salesHead ? [salesHead.id] : []),
  ]);
  const success = security(
    'Customer Success',
    'Customer Success Managers',
    ids(inDepartment('Customer Success')),
  );
  const partnerships = security(
    'Partnerships',
    'Alliances and channel',
    ids(inDepartment('Partnerships')),
  );
  const customerFacing = mailEnabledSecurity(
    'Customer Facing',
    'customer-facing',
    'Everyone who works with customers and partners',
    [sales.id, success.id, partnerships.id],
  );
  const marketing = security('Marketing', 'Marketing department', ids(inDepartment('Marketing')));
  const engineeringTeamGroups = teams
    .filter((team) => team.department === 'Engineering')
    .map((team) => security(team.name, `${team.name} team`, ids(team.members)));
  const engineeringHead = departmentHeads.get('Engineering');
  const engineering = security('Engineering', 'Engineering department', [
    ...engineeringTeamGroups.map((group) => group.id),
    ...(engineeringHead ? [engineeringHead.id] : []),
  ]);
  const executives = security(
    'Executives',
    'Executive leadership',
    ids(inDepartment('Executives')),
  );
  security('All Staff', 'Every employee', [
    executives.id,
    customerFacing.id,
    marketing.id,
    engineering.id,
  ]);
  mailEnabledSecurity(
    'WarmPath Tracked Mailboxes',
    'warmpath-tracked',
    'Mailboxes WarmPath may read (application access policy scope)',
    [customerFacing.id, executives.id],
  );

  const leaders = leadershipTeams.flatMap((team) =>
    team.department === 'Executives' ? team.members : [team.manager],
  );
  const withMailbox = (people: Array<Employee | undefined>): Employee[] =>
    people.filter((person): person is Employee => Boolean(person?.mail));
  const groupMailboxes: GroupMailboxes = {
    allCompany: unified(
      'All Company',
      'allcompany',
      'Company-wide announcements',
      withMailbox(employees),
      'Public',
    ),
    leadership: unified(
      'Leadership Team',
      'leadership',
      'Executives and department heads',
      withMailbox(leaders),
      'Private',
    ),
    dealDesk: unified(
      'Deal Desk',
      'dealdesk',
      'Pricing approvals and non-standard terms',
      withMailbox([
        salesHead,
        ...teams.filter((team) => team.department === 'Sales').map((team) => team.manager),
        ...inDepartment('Executives').filter(
          (person) => person.role === 'cfo' || person.role === 'cro',
        ),
      ]),
      'Private',
    ),
    customerSuccess: unified(
      'Customer Success Team',
      'cs-team',
      'Customer Success Managers',
      withMailbox(inDepartment('Customer Success')),
      'Public',
    ),
    marketing: unified(
      'Marketing Campaigns',
      'marketing-campaigns',
      'Webinars, events and campaigns',
      withMailbox(inDepartment('Marketing')),
      'Public',
    ),
    partners: unified(
      'Partner Program',
      'partner-program',
      'Partner programme and co-selling',
      withMailbox(inDepartment('Partnerships')),
      'Public',
    ),
    engineering: unified(
      'Engineering Platform',
      'eng-platform',
      'Engineering announcements and on-call',
      withMailbox(inDepartment('Engineering')),
      'Private',
    ),
  };
  return { groups, groupMailboxes };
}
