// Who is asking, in WarmPath's terms: the tenant the Teams user belongs to and their directory person.
import type { Activity } from 'botbuilder';
import type { StoreDb } from '@warmpath/shared/store';

export interface TeamsCaller {
  tenantId: string;
  /** the Teams user's Entra object id, when Teams gave one */
  aadObjectId: string | undefined;
  /** the directory person the Teams user is; undefined when the directory does not know them */
  personId: number | undefined;
  displayName: string | undefined;
}

export type CallerLookup = { ok: true; caller: TeamsCaller } | { ok: false; message: string };

export interface IdentifyCallerOptions {
  /**
   * Local mode: the simulator's tenant answers for any Teams tenant it does not know, so the
   * Agents Playground (which makes up its own tenant id) works out of the box.
   */
  localTenantId?: string | undefined;
}

/** The Teams tenant of an activity: conversation.tenantId, else channelData.tenant.id. */
export function teamsTenantOf(activity: Partial<Activity>): string | undefined {
  const channelData = activity.channelData as { tenant?: { id?: unknown } } | undefined;
  const id = activity.conversation?.tenantId ?? channelData?.tenant?.id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

async function findPersonByObjectId(
  db: StoreDb,
  tenantId: string,
  aadObjectId: string,
): Promise<{ personId: number; displayName: string | null } | undefined> {
  const ids = [...new Set([aadObjectId, aadObjectId.toLowerCase()])];
  const person = await db
    .selectFrom('people')
    .select(['person_id', 'display_name'])
    .where('tenant_id', '=', tenantId)
    .where('aad_object_id', 'in', ids)
    .executeTakeFirst();
  if (person !== undefined) return { personId: person.person_id, displayName: person.display_name };
  // a mailbox's user id is the owner's object id, and carries the person once synced
  const mailbox = await db
    .selectFrom('mailboxes')
    .innerJoin('people', (join) =>
      join
        .onRef('people.tenant_id', '=', 'mailboxes.tenant_id')
        .onRef('people.person_id', '=', 'mailboxes.person_id'),
    )
    .select(['people.person_id', 'people.display_name'])
    .where('mailboxes.tenant_id', '=', tenantId)
    .where('mailboxes.user_id', 'in', ids)
    .executeTakeFirst();
  return mailbox === undefined
    ? undefined
    : { personId: mailbox.person_id, displayName: mailbox.display_name };
}

/** Maps the activity's Teams tenant and user to a WarmPath tenant and directory person. */
export async function identifyCaller(
  db: StoreDb,
  activity: Partial<Activity>,
  options: IdentifyCallerOptions = {},
): Promise<CallerLookup> {
  const teamsTenant = teamsTenantOf(activity);
  let tenantId: string | undefined;
  if (teamsTenant !== undefined) {
    const known = await db
      .selectFrom('tenants')
      .select('tenant_id')
      .where('tenant_id', '=', teamsTenant)
      .executeTakeFirst();
    tenantId = known?.tenant_id;
  }
  tenantId ??= options.localTenantId;
  if (tenantId === undefined) {
    return {
      ok: false,
      message:
        'WarmPath is not set up for your organisation yet: an administrator installs it and grants consent, then picks whose calendars to include.',
    };
  }
  const aadObjectId = activity.from?.aadObjectId || undefined;
  const person =
    aadObjectId === undefined ? undefined : await findPersonByObjectId(db, tenantId, aadObjectId);
  return {
    ok: true,
    caller: {
      tenantId,
      aadObjectId,
      personId: person?.personId,
      displayName: person?.displayName ?? activity.from?.name ?? undefined,
    },
  };
}
