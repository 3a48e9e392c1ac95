// The tenant directory through Microsoft Graph with application permissions (graph-facts §3).
import { GraphError, type GraphClient } from '../graph/index.js';
import type {
  DirectoryGroup,
  DirectoryOrganization,
  DirectoryRoom,
  DirectoryUser,
  MailboxPurposes,
  TenantDirectory,
} from './tenant-directory.js';

const USER_FIELDS =
  'id,userPrincipalName,mail,displayName,department,jobTitle,companyName,accountEnabled,userType';
const GROUP_FIELDS = 'id,displayName,mail';

interface GraphUser {
  id: string;
  userPrincipalName?: string | null;
  mail?: string | null;
  displayName?: string | null;
  department?: string | null;
  jobTitle?: string | null;
  companyName?: string | null;
  accountEnabled?: boolean | null;
  userType?: string | null;
  '@odata.type'?: string;
}

interface GraphGroup {
  id: string;
  displayName?: string | null;
  mail?: string | null;
}

const text = (value: string | null | undefined): string | null =>
  value === undefined || value === null || value.trim() === '' ? null : value;

function toUser(user: GraphUser): DirectoryUser {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName ?? user.id,
    mail: text(user.mail),
    displayName: text(user.displayName),
    department: text(user.department),
    jobTitle: text(user.jobTitle),
    companyName: text(user.companyName),
    accountEnabled: user.accountEnabled ?? null,
    userType: text(user.userType),
  };
}

function toGroup(group: GraphGroup): DirectoryGroup {
  return { id: group.id, displayName: text(group.displayName), mail: text(group.mail) };
}

/** OData string literal: single quotes doubled. */
const literal = (value: string): string => `'${value.replace(/'/g, "''")}'`;

function purposeOf(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const value = (body as { value?: unknown }).value;
  // v1.0 answers { value: "user" }; some answers nest it as { value: { value: "user" } }
  if (typeof value === 'string') return value.toLowerCase();
  if (typeof value === 'object' && value !== null) {
    const inner = (value as { value?: unknown }).value;
    if (typeof inner === 'string') return inner.toLowerCase();
  }
  return null;
}

export function createGraphTenantDirectory(graph: GraphClient): TenantDirectory {
  async function collect<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    for await (const page of graph.getAllPages<T>(path)) items.push(...page.value);
    return items;
  }

  return {
    async organization(): Promise<DirectoryOrganization> {
      const answer = await graph.get<{
        value?: {
          id: string;
          displayName?: string | null;
          verifiedDomains?: { name: string }[] | null;
        }[];
      }>('/organization?$select=id,displayName,verifiedDomains');
      const org = answer.value?.[0];
      if (org === undefined) {
        throw new GraphError({
          status: 200,
          code: 'noOrganization',
          message: 'Graph GET /organization returned no organization for this tenant.',
        });
      }
      return {
        tenantId: org.id,
        displayName: org.displayName ?? org.id,
        verifiedDomains: (org.verifiedDomains ?? []).map((domain) => domain.name.toLowerCase()),
      };
    },

    async listUsers() {
      return (await collect<GraphUser>(`/users?$select=${USER_FIELDS}&$top=999`)).map(toUser);
    },

    async listMailGroups() {
      const groups = await collect<GraphGroup>(`/groups?$select=${GROUP_FIELDS}&$top=999`);
      return groups.map(toGroup).filter((group) => group.mail !== null);
    },

    async findGroup(id) {
      try {
        const group = await graph.get<GraphGroup>(
          `/groups/${encodeURIComponent(id)}?$select=${GROUP_FIELDS}`,
        );
        return toGroup(group);
      } catch (error) {
        if (error instanceof GraphError && error.status === 404) return undefined;
        throw error;
      }
    },

    async findGroupByMail(mail) {
      const groups = await collect<GraphGroup>(
        `/groups?$select=${GROUP_FIELDS}&$filter=${encodeURIComponent(`mail eq ${literal(mail)}`)}`,
      );
      const found = groups[0];
      return found === undefined ? undefined : toGroup(found);
    },

    async listGroupUsers(groupId) {
      try {
        const members = await collect<GraphUser>(
          `/groups/${encodeURIComponent(groupId)}/transitiveMembers?$select=${USER_FIELDS}&$top=999`,
        );
        // transitive members also hold groups, devices and contacts
        return members
          .filter((member) => member['@odata.type'] === '#microsoft.graph.user')
          .map(toUser);
      } catch (error) {
        if (error instanceof GraphError && error.status === 404) return undefined;
        throw error;
      }
    },

    async listRooms() {
      try {
        const rooms = await collect<{ emailAddress?: string | null; displayName?: string | null }>(
          '/places/microsoft.graph.room?$top=999',
        );
        return rooms.flatMap((room): DirectoryRoom[] =>
          room.emailAddress
            ? [{ email: room.emailAddress, displayName: text(room.displayName) }]
            : [],
        );
      } catch (error) {
        // Place.Read.All is optional: rooms are then learned from attendees and userPurpose
        if (error instanceof GraphError && (error.status === 403 || error.status === 401)) {
          return [];
        }
        throw error;
      }
    },

    async mailboxPurposes(userIds) {
      const purposes: MailboxPurposes = new Map();
      if (userIds.length === 0) return purposes;
      const answers = await graph.batch(
        userIds.map((id) => ({
          id,
          method: 'GET',
          url: `/users/${encodeURIComponent(id)}/mailboxSettings/userPurpose`,
        })),
      );
      for (const id of userIds) {
        const answer = answers.get(id);
        if (answer === undefined) continue;
        if (answer.status >= 200 && answer.status < 300) {
          purposes.set(id, purposeOf(answer.body));
        } else if (answer.status === 404) {
          // no Exchange Online mailbox (MailboxNotEnabledForRESTAPI) or no such user
          purposes.set(id, null);
        }
        // other failures (access policy, outages) leave the purpose unknown
      }
      return purposes;
    },
  };
}
