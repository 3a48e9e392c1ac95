// Turns the tracked users and groups into the set of mailboxes to sync: groups expand transitively
// to users; rooms, equipment and shared mailboxes are left out; mailboxes nobody tracks any more
// are retired (their meetings leave the store) and new ones start as pending.
import type { Logger } from '../log/index.js';
import {
  listCalendars,
  listMailboxes,
  listTrackedPrincipals,
  removeMailboxCopies,
  resetCalendarCursor,
  setMailboxState,
  upsertMailboxes,
  type Store,
} from '../store/index.js';
import type { TenantDirectorySnapshot } from './refresh-tenant-directory.js';
import {
  NON_PERSON_PURPOSES,
  type DirectoryUser,
  type TenantDirectory,
} from './tenant-directory.js';

export interface ExpandTrackedPrincipalsProps {
  store: Pick<Store, 'db'>;
  directory: TenantDirectory;
  tenantId: string;
  /** what refreshTenantDirectory just read */
  snapshot: TenantDirectorySnapshot;
  logger?: Logger;
}

export interface ExpansionResult {
  /** mailboxes to sync now */
  mailboxes: number;
  /** user ids that were not being synced before (new or back) */
  added: string[];
  /** user ids no longer tracked, now in state 'removed' */
  removed: string[];
  /** tracked groups the directory no longer has */
  missingGroups: string[];
}

/** Stops syncing a mailbox: its copies leave the store and its calendars start over if it returns. */
export async function retireMailbox(
  store: Pick<Store, 'db'>,
  tenantId: string,
  userId: string,
): Promise<void> {
  await removeMailboxCopies(store, tenantId, userId);
  for (const calendar of await listCalendars(store.db, tenantId, userId)) {
    await resetCalendarCursor(store.db, tenantId, userId, calendar.calendarId);
  }
  // last, so a crash before it leaves the mailbox to be retired again
  await setMailboxState(store.db, tenantId, userId, { state: 'removed' });
}

export async function expandTrackedPrincipals(
  props: ExpandTrackedPrincipalsProps,
): Promise<ExpansionResult> {
  const { store, directory, tenantId, snapshot } = props;
  const wanted = new Map<string, { user: DirectoryUser; via: Set<string> }>();
  const want = (user: DirectoryUser, principalId: string) => {
    const known = snapshot.usersById.get(user.id) ?? user;
    const entry = wanted.get(user.id) ?? { user: known, via: new Set<string>() };
    entry.via.add(principalId);
    wanted.set(user.id, entry);
  };
  const missingGroups: string[] = [];
  for (const principal of await listTrackedPrincipals(store.db, tenantId)) {
    if (principal.kind === 'user') {
      const user = snapshot.usersById.get(principal.principalId);
      if (user !== undefined) want(user, principal.principalId);
      continue;
    }
    const members = await directory.listGroupUsers(principal.principalId);
    if (members === undefined) missingGroups.push(principal.principalId);
    for (const member of members ?? []) want(member, principal.principalId);
  }

  const unasked = [...wanted.keys()].filter((id) => !snapshot.purposes.has(id));
  const purposes = new Map(snapshot.purposes);
  for (const [id, purpose] of await directory.mailboxPurposes(unasked)) purposes.set(id, purpose);
  for (const [userId, { user }] of wanted) {
    const purpose = purposes.get(userId);
    const isResource =
      (purpose !== undefined && purpose !== null && NON_PERSON_PURPOSES.has(purpose)) ||
      (user.mail !== null && snapshot.resources.kindOf(user.mail) !== undefined);
    if (isResource) wanted.delete(userId);
  }

  const existing = new Map(
    (await listMailboxes(store.db, tenantId)).map((mailbox) => [mailbox.userId, mailbox]),
  );
  await upsertMailboxes(
    store.db,
    tenantId,
    [...wanted].map(([userId, { user, via }]) => ({
      userId,
      userPrincipalName: user.userPrincipalName,
      personId: snapshot.personIds.get(userId) ?? null,
      purpose: purposes.get(userId) ?? null,
      trackedVia: [...via],
    })),
  );
  const added = [...wanted.keys()].filter((id) => {
    const before = existing.get(id);
    return before === undefined || before.state === 'removed';
  });
  const removed: string[] = [];
  for (const [userId, mailbox] of existing) {
    if (wanted.has(userId) || mailbox.state === 'removed') continue;
    await retireMailbox(store, tenantId, userId);
    removed.push(userId);
  }
  if (missingGroups.length > 0) {
    props.logger?.warn(
      { tenantId, groups: missingGroups },
      'tracked groups are gone from the directory; their members are no longer synced through them',
    );
  }
  props.logger?.info(
    { tenantId, mailboxes: wanted.size, added: added.length, removed: removed.length },
    'tracked principals expanded',
  );
  return { mailboxes: wanted.size, added, removed, missingGroups };
}
