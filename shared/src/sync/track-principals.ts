// Adds users or groups to the tracked set (what the admin page and `npm run sync -- --track` do).
// References are mail addresses, user principal names or object ids; `all` is every user who has
// a mailbox. Adding what is already tracked changes nothing.
import {
  addTrackedPrincipals,
  listTrackedPrincipals,
  type Store,
  type TrackedPrincipal,
  type TrackedPrincipalInput,
} from '../store/index.js';
import {
  NON_PERSON_PURPOSES,
  type DirectoryUser,
  type TenantDirectory,
} from './tenant-directory.js';

const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The reference that means every user with a mailbox. */
export const TRACK_ALL = 'all';

export class UnknownPrincipalError extends Error {
  override readonly name = 'UnknownPrincipalError';
  constructor(readonly references: string[]) {
    super(
      `No user or group in the directory matches ${references.map((r) => `"${r}"`).join(', ')}: give a mail address, user principal name or object id. Nothing was tracked.`,
    );
  }
}

export interface TrackPrincipalsProps {
  store: Pick<Store, 'db'>;
  directory: TenantDirectory;
  tenantId: string;
  /** mail addresses, user principal names, object ids, or 'all' */
  references: readonly string[];
  /** who asked (an admin's UPN, 'cli') */
  addedBy?: string;
}

export interface TrackPrincipalsResult {
  added: TrackedPrincipal[];
  /** principal ids that were tracked already */
  alreadyTracked: string[];
}

function userInput(user: DirectoryUser, addedBy: string | undefined): TrackedPrincipalInput {
  return {
    principalId: user.id,
    kind: 'user',
    displayName: user.displayName,
    email: user.mail,
    addedBy: addedBy ?? null,
  };
}

/** Users with mail whose mailbox exists and belongs to a person. */
async function usersWithMailbox(
  directory: TenantDirectory,
  users: DirectoryUser[],
): Promise<DirectoryUser[]> {
  const candidates = users.filter((user) => user.mail !== null && user.userType !== 'Guest');
  const purposes = await directory.mailboxPurposes(candidates.map((user) => user.id));
  return candidates.filter((user) => {
    const purpose = purposes.get(user.id);
    // unknown (an access policy, say) is tracked: the sync then shows why it cannot read it
    return purpose !== null && !(purpose !== undefined && NON_PERSON_PURPOSES.has(purpose));
  });
}

export async function trackPrincipals(props: TrackPrincipalsProps): Promise<TrackPrincipalsResult> {
  const { store, directory, tenantId, addedBy } = props;
  const users = await directory.listUsers();
  const byId = new Map(users.map((user) => [user.id.toLowerCase(), user]));
  const byAddress = new Map<string, DirectoryUser>();
  for (const user of users) {
    byAddress.set(user.userPrincipalName.toLowerCase(), user);
    if (user.mail !== null) byAddress.set(user.mail.toLowerCase(), user);
  }

  const inputs: TrackedPrincipalInput[] = [];
  const unknown: string[] = [];
  for (const raw of props.references) {
    const reference = raw.trim();
    if (reference === '') continue;
    const key = reference.toLowerCase();
    if (key === TRACK_ALL) {
      for (const user of await usersWithMailbox(directory, users))
        inputs.push(userInput(user, addedBy));
      continue;
    }
    const user = key.includes('@') ? byAddress.get(key) : byId.get(key);
    if (user !== undefined) {
      inputs.push(userInput(user, addedBy));
      continue;
    }
    const group = key.includes('@')
      ? await directory.findGroupByMail(reference)
      : OBJECT_ID.test(reference)
        ? await directory.findGroup(reference)
        : undefined;
    if (group === undefined) {
      unknown.push(reference);
      continue;
    }
    inputs.push({
      principalId: group.id,
      kind: 'group',
      displayName: group.displayName,
      email: group.mail,
      addedBy: addedBy ?? null,
    });
  }
  if (unknown.length > 0) throw new UnknownPrincipalError(unknown);

  const before = new Set(
    (await listTrackedPrincipals(store.db, tenantId)).map((principal) => principal.principalId),
  );
  const added = await addTrackedPrincipals(store.db, tenantId, inputs);
  const alreadyTracked = [...new Set(inputs.map((input) => input.principalId))].filter((id) =>
    before.has(id),
  );
  return { added, alreadyTracked };
}
