// Who the Agents Playground pretends to be in local chat: directory people of the local tenant.
import type { StoreDb } from '@warmpath/shared/store';
import { PLAYGROUND_MIN_USERS, type PlaygroundUser } from './agents-playground.js';

/** Where `playground-config-cli.ts` writes the Playground's config (data/ is not committed). */
export const PLAYGROUND_CONFIG_FILE = 'data/agents-playground.yml';

/**
 * The Playground's "me" (the person `asEmail` names, else the first tracked colleague by email)
 * and up to five more tracked colleagues, all directory people with an Entra object id.
 */
export async function choosePlaygroundUsers(
  db: StoreDb,
  tenantId: string,
  asEmail?: string,
): Promise<{ currentUser: PlaygroundUser; users: PlaygroundUser[] }> {
  const rows = await db
    .selectFrom('mailboxes')
    .innerJoin('people', (join) =>
      join
        .onRef('people.tenant_id', '=', 'mailboxes.tenant_id')
        .onRef('people.person_id', '=', 'mailboxes.person_id'),
    )
    .select(['people.email', 'people.display_name', 'people.aad_object_id'])
    .where('mailboxes.tenant_id', '=', tenantId)
    .where('mailboxes.state', '!=', 'removed')
    .where('people.aad_object_id', 'is not', null)
    .where('people.left_at', 'is', null)
    .orderBy('people.email')
    .execute();
  const people = rows.map((row) => ({
    email: row.email,
    name: row.display_name ?? row.email,
    aadObjectId: row.aad_object_id as string,
  }));
  const wanted = asEmail?.trim().toLowerCase();
  const me = wanted === undefined ? people[0] : people.find((p) => p.email === wanted);
  if (me === undefined) {
    throw new Error(
      wanted === undefined
        ? 'No tracked mailbox has synced yet: run npm start (or npm run sync -- --once) first.'
        : `${wanted} is not a tracked colleague: pick one of ${people
            .slice(0, 5)
            .map((p) => p.email)
            .join(', ')}…`,
    );
  }
  const others = people.filter((p) => p !== me).slice(0, PLAYGROUND_MIN_USERS);
  return {
    currentUser: { id: 'user-id-0', ...me },
    users: others.map((p, index) => ({ id: `user-id-${index + 1}`, ...p })),
  };
}
