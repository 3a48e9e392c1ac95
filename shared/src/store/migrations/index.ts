import type { Migration, MigrationProvider } from 'kysely';
import type { StoreDialect } from '../dialect.js';
import { foundation } from './0001_foundation.js';
import { privateEventsIndex } from './0002_private_events_index.js';
import { relationships } from './0003_relationships.js';
import { intros } from './0004_intros.js';
import { mailboxesPersonIndex } from './0005_mailboxes_person_index.js';
import { eventsAttendanceKey } from './0006_events_attendance_key.js';
import { tiesUnknownSpanIndex } from './0007_ties_unknown_span_index.js';

/** Every migration by sortable name; one source for both engines. */
export function storeMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001_foundation': foundation(dialect),
    '0002_private_events_index': privateEventsIndex(),
    '0003_relationships': relationships(dialect),
    '0004_intros': intros(),
    '0005_mailboxes_person_index': mailboxesPersonIndex(),
    '0006_events_attendance_key': eventsAttendanceKey(),
    '0007_ties_unknown_span_index': tiesUnknownSpanIndex(),
  };
}

export function migrationProvider(dialect: StoreDialect): MigrationProvider {
  return { getMigrations: () => Promise.resolve(storeMigrations(dialect)) };
}
