import type { Migration, MigrationProvider } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { foundation } from './0001_foundation.js';

/** Every migration by sortable name; one source for both engines. */
export function storeMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001_foundation': foundation(dialect),
  };
}

export function migrationProvider(dialect: StoreDialect): MigrationProvider {
  return { getMigrations: () => Promise.resolve(storeMigrations(dialect)) };
}
