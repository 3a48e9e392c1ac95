import type { Kysely, Migration } from 'kysely';

/**
 * Whether an employee's mailbox is tracked, by person: intro paths keep only ties of tracked
 * employees inside the one query that reads them, which without this scans the tenant's mailboxes
 * for every tie.
 */
export function mailboxesPersonIndex(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('mailboxes_person_idx')
        .on('mailboxes')
        .columns(['tenant_id', 'person_id'])
        .execute();
    },
  };
}
