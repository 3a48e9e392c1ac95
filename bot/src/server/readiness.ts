// /readyz: the store answers and every migration this build knows has been applied.
import { storeMigrations, type Store } from '@warmpath/shared/store';

/** undefined when ready; otherwise what is wrong, in words. */
export async function storeNotReadyReason(
  store: Pick<Store, 'db' | 'dialect'>,
): Promise<string | undefined> {
  let applied: Set<string>;
  try {
    // Kysely's own bookkeeping table, outside the store's typed schema
    const migrations = store.db.withTables<{ kysely_migration: { name: string } }>();
    const rows = await migrations.selectFrom('kysely_migration').select('name').execute();
    applied = new Set(rows.map((row) => row.name));
  } catch {
    return 'The store does not answer, or has never been migrated.';
  }
  const missing = Object.keys(storeMigrations(store.dialect)).filter((name) => !applied.has(name));
  return missing.length > 0
    ? `Store migrations not applied yet: ${missing.join(', ')}.`
    : undefined;
}
