// Local mode's first run: with nothing tracked, the demo organisation's customer-facing people are,
// so `npm start` and `npm run sync` show real paths at once (README, "Local mode").
import { listTrackedPrincipals, type Store } from '@warmpath/shared/store';
import { trackPrincipals, type TenantDirectory } from '@warmpath/shared/sync';

/** The generated demo organisation's group tracked on a first local run. */
export const DEMO_GROUP_MAIL_PREFIX = 'customer-facing@';

/** Tracks the demo organisation's Customer Facing group when nothing is tracked yet. */
export async function trackDemoGroup(
  store: Store,
  directory: TenantDirectory,
  tenantId: string,
  say: (line: string) => void,
): Promise<void> {
  if ((await listTrackedPrincipals(store.db, tenantId)).length > 0) return;
  const group = (await directory.listMailGroups()).find((g) =>
    g.mail?.toLowerCase().startsWith(DEMO_GROUP_MAIL_PREFIX),
  );
  if (group?.mail == null) return;
  await trackPrincipals({ store, directory, tenantId, references: [group.mail], addedBy: 'local' });
  say(
    `Local mode: nothing was tracked, so the demo organisation's ${group.displayName ?? 'Customer Facing'} group (${group.mail}) is now. Choose others with npm run sync -- --track.`,
  );
}
