import type { Kysely, Migration } from 'kysely';

/**
 * A digest of each meeting's attendance as the sync last wrote it: a page carrying a meeting that
 * another mailbox already brought (most pages of a full round) compares digests instead of reading
 * the attendance back. Null on existing rows until the sync writes them again.
 */
export function eventsAttendanceKey(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('events').addColumn('attendance_key', 'text').execute();
    },
  };
}
