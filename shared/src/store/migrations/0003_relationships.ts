import { sql } from 'kysely';
import type { CreateTableBuilder, Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

/**
 * The relationship scores (shared/src/scoring): one row per directed tie between an employee and
 * anyone they met, with forward-decayed sums that stay exact under any order of updates; the
 * snapshot of what each meeting contributed, so a change subtracts exactly what was added; the
 * queue of meetings whose contribution is out of date; and each tenant's scoring clock.
 */
export function relationships(dialect: StoreDialect): Migration {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  type AnyTable = CreateTableBuilder<any, any>;
  const clustered = (table: AnyTable): AnyTable =>
    dialect === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('score_queue')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'integer', (c) => c.notNull())
        .addColumn('queued_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('score_queue_pk', ['tenant_id', 'event_id'])
        .$call(clustered)
        .execute();

      await db.schema
        .createTable('scored_events')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'integer', (c) => c.notNull())
        // the inputs the contribution was computed from, in a compact text form (scoring/snapshot.ts)
        .addColumn('snapshot', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('scored_events_pk', ['tenant_id', 'event_id'])
        .$call(clustered)
        .execute();

      await db.schema
        .createTable('ties')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        // the employee whose tie it is (an internal person)
        .addColumn('person_id', 'integer', (c) => c.notNull())
        // whom they met: an external contact or a colleague
        .addColumn('other_id', 'integer', (c) => c.notNull())
        .addColumn('other_internal', 'integer', (c) => c.notNull())
        // the contact's company domain; null for colleagues and personal mail domains
        .addColumn('other_domain', 'text')
        // forward-decayed sums Σ w·2^((t−L)/H) for half-lives of 30, 90 and 365 days
        .addColumn('g30', 'double precision', (c) => c.notNull())
        .addColumn('g90', 'double precision', (c) => c.notNull())
        .addColumn('g365', 'double precision', (c) => c.notNull())
        .addColumn('meetings', 'integer', (c) => c.notNull())
        .addColumn('one_on_ones', 'integer', (c) => c.notNull())
        // meetings the other side accepted or organised
        .addColumn('reciprocated', 'integer', (c) => c.notNull())
        // start of the first and the last meeting that counts (epoch ms); null for colleagues
        .addColumn('first_met', 'bigint')
        .addColumn('last_met', 'bigint')
        // keyed by whom they met: "who knows <person>" and each company contact is one range scan
        // (people_domain_idx finds a company's contacts); the one B-tree keeps rebuilds fast
        .addPrimaryKeyConstraint('ties_pk', ['tenant_id', 'other_id', 'person_id'])
        .addCheckConstraint('ties_other_internal_flag', sql`other_internal in (0, 1)`)
        .$call(clustered)
        .execute();

      // each employee's number of external contacts, kept with the ties, for hub damping
      await db.schema
        .createTable('tie_degrees')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('person_id', 'integer', (c) => c.notNull())
        .addColumn('external_contacts', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('tie_degrees_pk', ['tenant_id', 'person_id'])
        .$call(clustered)
        .execute();

      await db.schema
        .createTable('scoring_state')
        .addColumn('tenant_id', 'text', (c) => c.notNull().primaryKey())
        // meetings that start by this instant count; later ones wait for the clock to pass them
        .addColumn('scored_until', 'bigint', (c) => c.notNull())
        // scoring/parameters.ts PARAMETERS_VERSION the ties were built with
        .addColumn('parameters_version', 'text', (c) => c.notNull())
        .addColumn('rebuilt_at', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
