-- Removes everything WarmPath stores about one tenant, in one transaction.
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -v tenant_id=<tenant guid> -f infra/remove-tenant-data.sql
-- Stop tracking first (admin page) or the next sync round writes the tenant again; revoke consent
-- in the tenant (docs/admin-guide.md) so it cannot. Children are deleted before their parents.
BEGIN;

DELETE FROM score_queue WHERE tenant_id = :'tenant_id';
DELETE FROM scored_events WHERE tenant_id = :'tenant_id';
DELETE FROM ties WHERE tenant_id = :'tenant_id';
DELETE FROM tie_degrees WHERE tenant_id = :'tenant_id';
DELETE FROM scoring_state WHERE tenant_id = :'tenant_id';
DELETE FROM intro_requests WHERE tenant_id = :'tenant_id';
DELETE FROM bot_conversations WHERE tenant_id = :'tenant_id';
DELETE FROM attendance WHERE tenant_id = :'tenant_id';
DELETE FROM mailbox_events WHERE tenant_id = :'tenant_id';
DELETE FROM sync_inbox WHERE tenant_id = :'tenant_id';
DELETE FROM calendars WHERE tenant_id = :'tenant_id';
DELETE FROM mailboxes WHERE tenant_id = :'tenant_id';
DELETE FROM tracked_principals WHERE tenant_id = :'tenant_id';
DELETE FROM events WHERE tenant_id = :'tenant_id';
DELETE FROM resource_identities WHERE tenant_id = :'tenant_id';
DELETE FROM people WHERE tenant_id = :'tenant_id';
DELETE FROM tenant_settings WHERE tenant_id = :'tenant_id';
DELETE FROM id_sequences WHERE tenant_id = :'tenant_id';
DELETE FROM tenants WHERE tenant_id = :'tenant_id';

COMMIT;
