import type { Kysely, Migration } from 'kysely';

/**
 * First and last met leave the ties: keeping them true as meetings go away meant re-reading the
 * pair's meetings (min and max cannot be subtracted), most of an incremental update's time. They
 * are read for the few ties an answer shows (scoring/ties.ts readTieSpans).
 */
export function tiesWithoutSpans(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('ties').dropColumn('first_met').execute();
      await db.schema.alterTable('ties').dropColumn('last_met').execute();
    },
  };
}
