import { sql, type Kysely, type Migration, type SqlBool } from 'kysely';

/**
 * The contacts' ties whose first and last met are unknown (a meeting that may have set one went
 * away): few at a time, and the repair after each score run finds them without reading them all.
 */
export function tiesUnknownSpanIndex(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('ties_unknown_span_idx')
        .on('ties')
        .columns(['tenant_id', 'other_id', 'person_id'])
        .where(sql<SqlBool>`other_internal = 0 and (first_met is null or first_met < 0)`)
        .execute();
    },
  };
}
