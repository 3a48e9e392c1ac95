// Brings the store's view of the tenant up to date with its directory: the tenant row (verified
// domains), the internal people (name, department, job title, enabled; gone → left) and the
// addresses that are never people (rooms, equipment, shared and group mailboxes).
import type { Logger } from '../log/index.js';
import {
  listResourceIdentities,
  markPeopleLeft,
  upsertPeople,
  upsertResourceIdentities,
  upsertTenant,
  type PersonInput,
  type Store,
  type StoreDb,
} from '../store/index.js';
import { emailHost, normalizeEmailAddress, registrableDomain } from './mail-domains.js';
import { buildResourceDirectory, type ResourceDirectory } from './resource-directory.js';
import type {
  DirectoryOrganization,
  DirectoryUser,
  MailboxPurposes,
  TenantDirectory,
} from './tenant-directory.js';

export interface TenantDirectorySnapshot {
  organization: DirectoryOrganization;
  usersById: Map<string, DirectoryUser>;
  /** userPurpose of the mailboxes asked about so far (see refreshTenantDirectory) */
  purposes: MailboxPurposes;
  resources: ResourceDirectory;
  /** person id of each internal user, by user id */
  personIds: Map<string, number>;
}

export interface RefreshTenantDirectoryProps {
  store: Pick<Store, 'db'>;
  directory: TenantDirectory;
  /** the store's tenant id */
  tenantId: string;
  /** when people who left the directory are recorded as gone; default now */
  now?: number;
  logger?: Logger;
}

/** People the directory brought in earlier and who have not left, by Entra object id. */
async function listDirectoryPeople(
  db: StoreDb,
  tenantId: string,
): Promise<Map<string, { personId: number; email: string }>> {
  const rows = await db
    .selectFrom('people')
    .select(['person_id', 'email', 'aad_object_id'])
    .where('tenant_id', '=', tenantId)
    .where('aad_object_id', 'is not', null)
    .execute();
  return new Map(
    rows.map((row) => [row.aad_object_id as string, { personId: row.person_id, email: row.email }]),
  );
}

/** A user whose mail changed keeps the old address as a separate person without the object id. */
async function releaseObjectIds(db: StoreDb, tenantId: string, personIds: number[]): Promise<void> {
  for (let i = 0; i < personIds.length; i += 500) {
    await db
      .updateTable('people')
      .set({ aad_object_id: null, updated_at: Date.now() })
      .where('tenant_id', '=', tenantId)
      .where('person_id', 'in', personIds.slice(i, i + 500))
      .execute();
  }
}

/**
 * Reads the directory and writes what it says. userPurpose is asked only for users with mail
 * whose account is disabled: Exchange creates room, equipment and shared mailboxes that way, and
 * asking every user would cost one call per mailbox per refresh.
 */
export async function refreshTenantDirectory(
  props: RefreshTenantDirectoryProps,
): Promise<TenantDirectorySnapshot> {
  const { store, directory, tenantId } = props;
  const now = props.now ?? Date.now();
  const organization = await directory.organization();
  await upsertTenant(store.db, tenantId, {
    displayName: organization.displayName,
    verifiedDomains: organization.verifiedDomains,
  });
  const [users, groups, rooms, known] = await Promise.all([
    directory.listUsers(),
    directory.listMailGroups(),
    directory.listRooms(),
    listResourceIdentities(store.db, tenantId),
  ]);
  const usersById = new Map(users.map((user) => [user.id, user]));
  const resourceCandidates = users.filter((u) => u.mail !== null && u.accountEnabled === false);
  const purposes = await directory.mailboxPurposes(resourceCandidates.map((user) => user.id));

  const resources = buildResourceDirectory({
    known,
    groups,
    rooms: rooms.map((room) => ({ emailAddress: room.email, displayName: room.displayName })),
    mailboxes: resourceCandidates.map((user) => ({
      email: user.mail as string,
      userPurpose: purposes.get(user.id),
    })),
  });
  await upsertResourceIdentities(store.db, tenantId, resources.entries());

  const people: PersonInput[] = [];
  const emailOfUser = new Map<string, string>();
  for (const user of users) {
    const email = normalizeEmailAddress(user.mail ?? '');
    if (email === undefined || user.userType?.toLowerCase() === 'guest') continue;
    if (resources.kindOf(email) !== undefined) continue;
    emailOfUser.set(user.id, email);
    people.push({
      email,
      kind: 'internal',
      domain: registrableDomain(emailHost(email)),
      isPersonalDomain: false,
      aadObjectId: user.id,
      displayName: user.displayName,
      department: user.department,
      jobTitle: user.jobTitle,
      companyName: user.companyName,
      accountEnabled: user.accountEnabled,
    });
  }

  const before = await listDirectoryPeople(store.db, tenantId);
  const moved = [...emailOfUser]
    .map(([userId, email]) => ({ previous: before.get(userId), email }))
    .filter(({ previous, email }) => previous !== undefined && previous.email !== email)
    .map(({ previous }) => previous?.personId as number);
  if (moved.length > 0) await releaseObjectIds(store.db, tenantId, moved);

  const idsByEmail = await upsertPeople(store.db, tenantId, people);
  const personIds = new Map<string, number>();
  for (const [userId, email] of emailOfUser) {
    const personId = idsByEmail.get(email);
    if (personId !== undefined) personIds.set(userId, personId);
  }
  const gone = [...before]
    .filter(([userId]) => !emailOfUser.has(userId))
    .map(([, person]) => person.personId);
  const left = gone.length > 0 ? await markPeopleLeft(store.db, tenantId, gone, now) : 0;
  props.logger?.info(
    {
      tenantId,
      users: users.length,
      people: people.length,
      left,
      resources: resources.size,
    },
    'directory refreshed',
  );
  return { organization, usersById, purposes, resources, personIds };
}
