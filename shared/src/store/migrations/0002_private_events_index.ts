import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';

/**
 * Finds a tenant's private meetings without reading all its meetings, for purgePrivateEvents
 * (run whenever private appointments are, or stay, turned off). Partial, so the ordinary meetings
 * that make up nearly every row cost no index entry and no write.
 */
export function privateEventsIndex(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('events_private_idx')
        .on('events')
        .columns(['tenant_id', 'is_private'])
        .where(sql<boolean>`is_private = 1`)
        .execute();
    },
  };
}
