// What every mailbox of a tenant is synced against: its settings, internal domains and resource
// addresses. Private appointments turned off since calendars were last read are purged here, so
// no sync path (round, queue job) stores or keeps one a moment longer.
import type { Logger } from '../log/index.js';
import {
  getPerson,
  getTenant,
  getTenantSettings,
  listResourceIdentities,
  StoreNotFoundError,
  type Mailbox,
  type Store,
  type StoreDb,
  type TenantSettings,
} from '../store/index.js';
import { internalDomainsOf, normalizeEmailAddress } from './mail-domains.js';
import { purgePrivateAppointments } from './purge-private-appointments.js';
import { ResourceDirectory } from './resource-directory.js';
import type { TenantSyncContext } from './sync-calendar.js';

/** Whether some selected calendar has not re-read its mailbox since the settings last changed. */
async function settingsNotYetApplied(
  db: StoreDb,
  tenantId: string,
  settings: TenantSettings,
): Promise<boolean> {
  const row = await db
    .selectFrom('calendars')
    .innerJoin('mailboxes', (join) =>
      join
        .onRef('mailboxes.tenant_id', '=', 'calendars.tenant_id')
        .onRef('mailboxes.user_id', '=', 'calendars.user_id'),
    )
    .select('calendars.calendar_id')
    .where('calendars.tenant_id', '=', tenantId)
    .where('calendars.selected', '=', 1)
    .where('mailboxes.state', '!=', 'removed')
    .where((eb) =>
      eb.or([
        eb('calendars.round_started_at', 'is', null),
        eb('calendars.round_started_at', '<', settings.updatedAt),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function prepareTenantSync(props: {
  store: Pick<Store, 'db'>;
  tenantId: string;
  /** resources just read from the directory; default what the store knows */
  resources?: ResourceDirectory;
  logger?: Logger;
}): Promise<TenantSyncContext> {
  const { store, tenantId } = props;
  const tenant = await getTenant(store.db, tenantId);
  if (tenant === undefined) {
    throw new StoreNotFoundError(
      'tenant',
      `Tenant ${tenantId} is not in the store yet: refresh its directory first (runSyncRound does).`,
    );
  }
  const settings = await getTenantSettings(store.db, tenantId);
  if (
    !settings.syncPrivateAppointments &&
    (await settingsNotYetApplied(store.db, tenantId, settings))
  ) {
    const purged = await purgePrivateAppointments(store, tenantId);
    if (purged.eventsRemoved > 0) {
      props.logger?.info({ tenantId, ...purged }, 'private appointments purged');
    }
  }
  return {
    tenantId,
    settings,
    internalDomains: internalDomainsOf(tenant.verifiedDomains, settings.extraInternalDomains),
    resources:
      props.resources ?? new ResourceDirectory(await listResourceIdentities(store.db, tenantId)),
  };
}

/** The mailbox owner's primary SMTP address, as the directory gave it; else the UPN. */
export async function mailboxOwnerEmail(
  db: StoreDb,
  tenantId: string,
  mailbox: Pick<Mailbox, 'personId' | 'userPrincipalName'>,
): Promise<string> {
  const person =
    mailbox.personId === null ? undefined : await getPerson(db, tenantId, mailbox.personId);
  return (
    person?.email ?? normalizeEmailAddress(mailbox.userPrincipalName) ?? mailbox.userPrincipalName
  );
}
