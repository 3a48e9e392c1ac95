// The generator's own picture of the organisation, richer than the Graph resources it emits
// (teams, managers, hire dates, roles), shared by the parts that plan meetings.
import type { GraphUser, ResponseType } from '../graph-types.js';
import type { Day } from './calendar-days.js';

export interface Office {
  key: string;
  city: string;
  /** Windows time zone name, as mailboxSettings and events carry it. */
  windowsTimeZone: string;
  usageLocation: string;
  locale: string;
  languageName: string;
  dateFormat: string;
  timeFormat: string;
  building: string;
  street: string;
  state: string | null;
  postalCode: string;
  countryOrRegion: string;
  phonePrefix: string;
  /** Themes for meeting room names. */
  roomNames: readonly string[];
}

export type Department =
  'Executives' | 'Sales' | 'Customer Success' | 'Partnerships' | 'Marketing' | 'Engineering';

export type Region = 'americas' | 'emea' | 'apac';

export const REGION_LABEL: Record<Region, string> = {
  americas: 'Americas',
  emea: 'EMEA',
  apac: 'APAC',
};

/** What an employee does, which decides the meetings they are in. */
export type Role =
  | 'ceo'
  | 'cro'
  | 'cfo'
  | 'cto'
  | 'cmo'
  | 'executive-assistant'
  | 'department-head'
  | 'team-manager'
  | 'account-executive'
  | 'sales-development'
  | 'solutions-engineer'
  | 'customer-success'
  | 'partner-manager'
  | 'marketer'
  | 'events-marketer'
  | 'engineer'
  | 'reliability-engineer'
  | 'product-manager';

export interface Team {
  key: string;
  name: string;
  department: Department;
  /** Sales sub-teams only. */
  region?: Region;
  members: Employee[];
  manager?: Employee;
  /** Employees of the subsidiary use its mail domain. */
  subsidiary: boolean;
  /** Whether the team holds a daily stand-up. */
  standup: boolean;
}

export interface Employee {
  user: GraphUser;
  id: string;
  displayName: string;
  givenName: string;
  surname: string;
  /** Null when the user has no mailbox. */
  mail: string | null;
  department: Department;
  team: Team;
  role: Role;
  office: Office;
  /** Windows zone of the mailbox (remote workers may differ from their office). */
  timeZone: string;
  manager?: Employee;
  enabled: boolean;
  /** First day they can be in meetings. */
  hireDay: Day;
  /** Last day they can be in meetings (departed employees). */
  leaveDay?: Day;
}

export interface RoomMailbox {
  id: string;
  displayName: string;
  mail: string;
  office: Office;
  capacity: number;
}

export interface ExternalContact {
  displayName: string;
  email: string;
  title: string;
  /** Gmail, Outlook.com …: tied to the company only in the planted truth. */
  personalDomain: boolean;
}

export interface ExternalCompany {
  name: string;
  domain: string;
  region: Region;
  /** Windows zone of the company's head office, for meetings they organise. */
  timeZone: string;
  city: string;
  street: string;
  contacts: ExternalContact[];
  /** Key accounts get business reviews with an executive sponsor. */
  keyAccount: boolean;
}

/** Anyone who can be on a meeting: an employee, an external person, a room, a group mailbox. */
export interface Participant {
  displayName: string;
  address: string;
  employee?: Employee;
  room?: RoomMailbox;
  kind: 'employee' | 'external' | 'room' | 'equipment' | 'group' | 'shared';
}

export interface AttendeePlan {
  who: Participant;
  type: 'required' | 'optional' | 'resource';
  response: ResponseType;
}
