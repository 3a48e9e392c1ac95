import { sql } from 'kysely';
import type { CreateTableBuilder, Kysely, Migration } from 'kysely';
import type { StoreDialect } from '../dialect.js';

type AnyTable = CreateTableBuilder<string, string>;

/** Checks that a 0/1 flag column holds only 0 or 1 (nullable flags may also be NULL). */
function flagCheck(table: AnyTable, tableName: string, column: string): AnyTable {
  return table.addCheckConstraint(`${tableName}_${column}_flag`, sql`${sql.ref(column)} in (0, 1)`);
}

/** Checks that a text column holds one of a closed set of values. */
function oneOf(table: AnyTable, tableName: string, column: string, values: readonly string[]) {
  const list = sql.join(values.map((value) => sql.lit(value)));
  return table.addCheckConstraint(
    `${tableName}_${column}_value`,
    sql`${sql.ref(column)} in (${list})`,
  );
}

/**
 * The first schema: directory, tracked set, mailboxes, calendars with delta cursors, meetings
 * de-duplicated by iCalUId, each mailbox's copy, attendance, resources and the notification inbox.
 */
export function foundation(dialect: StoreDialect): Migration {
  // SQLite stores narrow tables with composite keys clustered by key; PostgreSQL has no equivalent clause
  const clustered = (table: AnyTable): AnyTable =>
    dialect === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table;

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('tenants')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('verified_domains', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('consent_granted_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('tenants_pk', ['tenant_id'])
        .execute();

      await db.schema
        .createTable('id_sequences')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('next_id', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('id_sequences_pk', ['tenant_id', 'name'])
        .addForeignKeyConstraint('id_sequences_tenant_fk', ['tenant_id'], 'tenants', ['tenant_id'])
        .$call(clustered)
        .execute();

      let settings = db.schema
        .createTable('tenant_settings')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('sync_private_appointments', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('only_online_meetings', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('lookback_months', 'integer', (c) => c.notNull().defaultTo(24))
        .addColumn('lookahead_months', 'integer', (c) => c.notNull().defaultTo(3))
        .addColumn('calendars_per_mailbox', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('extra_internal_domains', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('excluded_domains', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('excluded_addresses', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('tenant_settings_pk', ['tenant_id'])
        .addForeignKeyConstraint('tenant_settings_tenant_fk', ['tenant_id'], 'tenants', [
          'tenant_id',
        ])
        .addCheckConstraint(
          'tenant_settings_calendars_per_mailbox_range',
          sql`calendars_per_mailbox between 1 and 5`,
        )
        .addCheckConstraint(
          'tenant_settings_lookback_months_range',
          sql`lookback_months between 0 and 120`,
        )
        .addCheckConstraint(
          'tenant_settings_lookahead_months_range',
          sql`lookahead_months between 0 and 24`,
        );
      settings = flagCheck(settings, 'tenant_settings', 'sync_private_appointments');
      settings = flagCheck(settings, 'tenant_settings', 'only_online_meetings');
      await settings.execute();

      let people = db.schema
        .createTable('people')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('person_id', 'integer', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('aad_object_id', 'text')
        .addColumn('domain', 'text', (c) => c.notNull())
        .addColumn('is_personal_domain', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('company_name', 'text')
        .addColumn('job_title', 'text')
        .addColumn('department', 'text')
        .addColumn('account_enabled', 'integer')
        .addColumn('left_at', 'bigint')
        .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('people_pk', ['tenant_id', 'person_id'])
        .addUniqueConstraint('people_email_unique', ['tenant_id', 'email'])
        .addForeignKeyConstraint('people_tenant_fk', ['tenant_id'], 'tenants', ['tenant_id'])
        .addCheckConstraint('people_email_lowercase', sql`email = lower(email)`);
      people = oneOf(people, 'people', 'kind', ['internal', 'external']);
      people = flagCheck(people, 'people', 'is_personal_domain');
      people = flagCheck(people, 'people', 'account_enabled');
      await people.$call(clustered).execute();
      await db.schema
        .createIndex('people_aad_object_id_unique')
        .on('people')
        .columns(['tenant_id', 'aad_object_id'])
        .unique()
        .where(sql<boolean>`aad_object_id is not null`)
        .execute();
      await db.schema
        .createIndex('people_domain_idx')
        .on('people')
        .columns(['tenant_id', 'domain'])
        .execute();

      let principals = db.schema
        .createTable('tracked_principals')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('principal_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text')
        .addColumn('email', 'text')
        .addColumn('added_at', 'bigint', (c) => c.notNull())
        .addColumn('added_by', 'text')
        .addPrimaryKeyConstraint('tracked_principals_pk', ['tenant_id', 'principal_id'])
        .addForeignKeyConstraint('tracked_principals_tenant_fk', ['tenant_id'], 'tenants', [
          'tenant_id',
        ]);
      principals = oneOf(principals, 'tracked_principals', 'kind', ['user', 'group']);
      await principals.execute();

      let mailboxes = db.schema
        .createTable('mailboxes')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('person_id', 'integer')
        .addColumn('user_principal_name', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('tracked_via', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('events_stored', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_success_at', 'bigint')
        .addColumn('last_error_code', 'text')
        .addColumn('last_error_message', 'text')
        .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint')
        .addColumn('subscription_id', 'text')
        .addColumn('subscription_expires_at', 'bigint')
        .addColumn('subscription_client_state_hash', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('mailboxes_pk', ['tenant_id', 'user_id'])
        .addForeignKeyConstraint('mailboxes_tenant_fk', ['tenant_id'], 'tenants', ['tenant_id'])
        .addForeignKeyConstraint('mailboxes_person_fk', ['tenant_id', 'person_id'], 'people', [
          'tenant_id',
          'person_id',
        ]);
      mailboxes = oneOf(mailboxes, 'mailboxes', 'state', [
        'pending',
        'syncing',
        'synced',
        'error',
        'removed',
      ]);
      await mailboxes.execute();
      await db.schema
        .createIndex('mailboxes_state_idx')
        .on('mailboxes')
        .columns(['tenant_id', 'state'])
        .execute();
      await db.schema
        .createIndex('mailboxes_subscription_idx')
        .on('mailboxes')
        .columns(['tenant_id', 'subscription_id'])
        .where(sql<boolean>`subscription_id is not null`)
        .execute();

      let calendars = db.schema
        .createTable('calendars')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('calendar_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('selected', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('delta_link', 'text')
        .addColumn('next_link', 'text')
        .addColumn('window_start', 'bigint')
        .addColumn('window_end', 'bigint')
        .addColumn('round_started_at', 'bigint')
        .addColumn('last_round_at', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('calendars_pk', ['tenant_id', 'user_id', 'calendar_id'])
        .addForeignKeyConstraint('calendars_mailbox_fk', ['tenant_id', 'user_id'], 'mailboxes', [
          'tenant_id',
          'user_id',
        ]);
      calendars = flagCheck(calendars, 'calendars', 'is_default');
      calendars = flagCheck(calendars, 'calendars', 'selected');
      await calendars.execute();

      // events, mailbox_events and attendance carry no foreign keys between them: at 5M rows the
      // per-row checks double PostgreSQL's write cost, and applyEventPage keeps the references whole
      let events = db.schema
        .createTable('events')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'integer', (c) => c.notNull())
        .addColumn('ical_uid', 'text', (c) => c.notNull())
        .addColumn('series_key', 'text')
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('start_at', 'bigint', (c) => c.notNull())
        .addColumn('end_at', 'bigint', (c) => c.notNull())
        .addColumn('is_all_day', 'integer', (c) => c.notNull())
        .addColumn('start_date', 'text')
        .addColumn('end_date', 'text')
        .addColumn('original_time_zone', 'text')
        .addColumn('is_cancelled', 'integer', (c) => c.notNull())
        .addColumn('sensitivity', 'text', (c) => c.notNull())
        .addColumn('is_private', 'integer', (c) => c.notNull())
        .addColumn('is_online', 'integer', (c) => c.notNull())
        .addColumn('online_provider', 'text')
        .addColumn('organizer_person_id', 'integer')
        .addColumn('participant_count', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('events_pk', ['tenant_id', 'event_id'])
        .addUniqueConstraint('events_ical_uid_unique', ['tenant_id', 'ical_uid'])
        .addForeignKeyConstraint('events_tenant_fk', ['tenant_id'], 'tenants', ['tenant_id']);
      events = oneOf(events, 'events', 'type', [
        'singleInstance',
        'occurrence',
        'exception',
        'seriesMaster',
      ]);
      events = oneOf(events, 'events', 'sensitivity', [
        'normal',
        'personal',
        'private',
        'confidential',
      ]);
      events = flagCheck(events, 'events', 'is_all_day');
      events = flagCheck(events, 'events', 'is_cancelled');
      events = flagCheck(events, 'events', 'is_private');
      events = flagCheck(events, 'events', 'is_online');
      await events.$call(clustered).execute();
      await db.schema
        .createIndex('events_start_idx')
        .on('events')
        .columns(['tenant_id', 'start_at'])
        .execute();
      await db.schema
        .createIndex('events_series_idx')
        .on('events')
        .columns(['tenant_id', 'series_key'])
        .where(sql<boolean>`series_key is not null`)
        .execute();

      const responses = [
        'none',
        'organizer',
        'tentativelyAccepted',
        'accepted',
        'declined',
        'notResponded',
      ];

      let copies = db.schema
        .createTable('mailbox_events')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('graph_event_id', 'text', (c) => c.notNull())
        .addColumn('calendar_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'integer', (c) => c.notNull())
        .addColumn('response', 'text')
        .addColumn('is_organizer', 'integer', (c) => c.notNull())
        .addColumn('change_key', 'text')
        .addColumn('last_modified_at', 'bigint')
        .addColumn('synced_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('mailbox_events_pk', ['tenant_id', 'user_id', 'graph_event_id']);
      copies = oneOf(copies, 'mailbox_events', 'response', responses);
      copies = flagCheck(copies, 'mailbox_events', 'is_organizer');
      await copies.$call(clustered).execute();
      await db.schema
        .createIndex('mailbox_events_event_idx')
        .on('mailbox_events')
        .columns(['tenant_id', 'event_id'])
        .execute();

      let attendance = db.schema
        .createTable('attendance')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'integer', (c) => c.notNull())
        .addColumn('person_id', 'integer', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('response', 'text')
        .addPrimaryKeyConstraint('attendance_pk', ['tenant_id', 'event_id', 'person_id']);
      attendance = oneOf(attendance, 'attendance', 'role', ['organizer', 'required', 'optional']);
      attendance = oneOf(attendance, 'attendance', 'response', responses);
      await attendance.$call(clustered).execute();
      // "who knows <domain>": people by domain, then this index gives each person's meetings
      await db.schema
        .createIndex('attendance_person_idx')
        .on('attendance')
        .columns(['tenant_id', 'person_id', 'event_id'])
        .execute();

      let resources = db.schema
        .createTable('resource_identities')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('resource_identities_pk', ['tenant_id', 'email'])
        .addForeignKeyConstraint('resource_identities_tenant_fk', ['tenant_id'], 'tenants', [
          'tenant_id',
        ])
        .addCheckConstraint('resource_identities_email_lowercase', sql`email = lower(email)`);
      resources = oneOf(resources, 'resource_identities', 'kind', [
        'room',
        'equipment',
        'group',
        'shared',
      ]);
      await resources.$call(clustered).execute();

      await db.schema
        .createTable('sync_inbox')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        .addColumn('id', 'integer', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('subscription_id', 'text', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('processed_at', 'bigint')
        .addPrimaryKeyConstraint('sync_inbox_pk', ['tenant_id', 'id'])
        .addForeignKeyConstraint('sync_inbox_tenant_fk', ['tenant_id'], 'tenants', ['tenant_id'])
        .execute();
      await db.schema
        .createIndex('sync_inbox_pending_idx')
        .on('sync_inbox')
        .columns(['tenant_id', 'processed_at', 'id'])
        .execute();
    },
  };
}
