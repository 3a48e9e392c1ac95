import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';

/**
 * Intro requests (who asked whom to introduce them to which company or person, and what the
 * connector decided) and the Teams conversation references the bot needs to message people
 * proactively. Never meeting content: a request names people and a target, plus the requester's
 * own optional note.
 */
export function intros(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('intro_requests')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        // a random UUID, so ids reveal nothing about volume and need no sequence
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('requester_person_id', 'integer', (c) => c.notNull())
        .addColumn('connector_person_id', 'integer', (c) => c.notNull())
        .addColumn('target_kind', 'text', (c) => c.notNull())
        // the company's registrable domain, or the person's domain when known
        .addColumn('target_domain', 'text')
        // lowercase email of a person target
        .addColumn('target_email', 'text')
        .addColumn('target_name', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('decided_at', 'bigint')
        .addPrimaryKeyConstraint('intro_requests_pk', ['tenant_id', 'request_id'])
        .addCheckConstraint(
          'intro_requests_target_kind_value',
          sql`target_kind in ('company', 'person')`,
        )
        .addCheckConstraint(
          'intro_requests_status_value',
          sql`status in ('pending', 'accepted', 'declined')`,
        )
        .addCheckConstraint(
          'intro_requests_target_present',
          sql`(target_kind = 'company' and target_domain is not null) or (target_kind = 'person' and target_email is not null)`,
        )
        .execute();
      // "my sent requests" and "requests waiting for me", newest first
      await db.schema
        .createIndex('intro_requests_requester_idx')
        .on('intro_requests')
        .columns(['tenant_id', 'requester_person_id', 'created_at'])
        .execute();
      await db.schema
        .createIndex('intro_requests_connector_idx')
        .on('intro_requests')
        .columns(['tenant_id', 'connector_person_id', 'created_at'])
        .execute();

      await db.schema
        .createTable('bot_conversations')
        .addColumn('tenant_id', 'text', (c) => c.notNull())
        // the Teams user's Entra object id (activity.from.aadObjectId)
        .addColumn('aad_object_id', 'text', (c) => c.notNull())
        // Bot Framework ConversationReference of the user's 1:1 chat with the bot, as JSON
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('bot_conversations_pk', ['tenant_id', 'aad_object_id'])
        .execute();
    },
  };
}
