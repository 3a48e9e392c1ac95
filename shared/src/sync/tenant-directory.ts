// Who is in the tenant: users, groups, rooms and what each mailbox is for. The sync reads the
// directory through this interface, so a source without Entra (EWS on-premises) can bring its own.

export interface DirectoryOrganization {
  /** the directory (tenant) id */
  tenantId: string;
  displayName: string;
  verifiedDomains: string[];
}

export interface DirectoryUser {
  id: string;
  userPrincipalName: string;
  /** primary SMTP address; null for users without mail */
  mail: string | null;
  displayName: string | null;
  department: string | null;
  jobTitle: string | null;
  companyName: string | null;
  accountEnabled: boolean | null;
  /** 'Member' or 'Guest' */
  userType: string | null;
}

export interface DirectoryGroup {
  id: string;
  displayName: string | null;
  mail: string | null;
}

export interface DirectoryRoom {
  email: string;
  displayName: string | null;
}

/**
 * mailboxSettings.userPurpose by user id: null when the user has no mailbox, absent when it could
 * not be read (an access policy, an outage).
 */
export type MailboxPurposes = Map<string, string | null>;

export interface TenantDirectory {
  organization(): Promise<DirectoryOrganization>;
  listUsers(): Promise<DirectoryUser[]>;
  /** Groups that have a mail address (their mailboxes get invited to meetings). */
  listMailGroups(): Promise<DirectoryGroup[]>;
  /** undefined when no group has that id */
  findGroup(id: string): Promise<DirectoryGroup | undefined>;
  /** undefined when no group has that mail address */
  findGroupByMail(mail: string): Promise<DirectoryGroup | undefined>;
  /** The users under a group, nested groups expanded; undefined when the group is gone. */
  listGroupUsers(groupId: string): Promise<DirectoryUser[] | undefined>;
  /** Room places; empty when the app may not read them. */
  listRooms(): Promise<DirectoryRoom[]>;
  mailboxPurposes(userIds: readonly string[]): Promise<MailboxPurposes>;
}

/** mailboxSettings.userPurpose values of mailboxes that belong to no person. */
export const NON_PERSON_PURPOSES: ReadonlySet<string> = new Set(['room', 'equipment', 'shared']);
