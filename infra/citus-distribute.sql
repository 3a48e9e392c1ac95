-- Distributes WarmPath's store across a Citus cluster (Azure Database for PostgreSQL elastic
-- clusters, or Azure Cosmos DB for PostgreSQL) by tenant_id, every table co-located with tenants.
-- Run once on the coordinator after the migrations: psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f infra/citus-distribute.sql
-- Parents before children, so each foreign key points at an already distributed table.

SELECT create_distributed_table('tenants', 'tenant_id');
SELECT create_distributed_table('id_sequences', 'tenant_id', colocate_with => 'tenants');
SELECT create_distributed_table('tenant_settings', 'tenant_id', colocate_with => 'tenants');
SELECT create_distributed_table('people', 'tenant_id', colocate_with => 'tenants');
SELECT create_distributed_table('tracked_principals', 'tenant_id', colocate_with => 'tenants');
SELECT create_distributed_table('mailboxes', 'tenant_id', colocate_with => 'tenants');
SELECT create_distributed_table('calendars', 'tenant_id', colocate_with => 'tenants');
SELECT create_distributed_table('events', 'tenant_id', colocate_with => 'tenants');
SELECT create_distributed_table('mailbox_events', 'tenant_id', colocate_with => 'tenants');
SELECT create_distributed_table('attendance', 'tenant_id', colocate_with => 'tenants');
SELECT create_distributed_table('resource_identities', 'tenant_id', colocate_with => 'tenants');
SELECT create_distributed_table('sync_inbox', 'tenant_id', colocate_with => 'tenants');
SELECT create_distributed_table('score_queue', 'tenant_id', colocate_with => 'tenants');
SELECT create_distributed_table('scored_events', 'tenant_id', colocate_with => 'tenants');
SELECT create_distributed_table('ties', 'tenant_id', colocate_with => 'tenants');
SELECT create_distributed_table('tie_degrees', 'tenant_id', colocate_with => 'tenants');
SELECT create_distributed_table('scoring_state', 'tenant_id', colocate_with => 'tenants');
SELECT create_distributed_table('intro_requests', 'tenant_id', colocate_with => 'tenants');
SELECT create_distributed_table('bot_conversations', 'tenant_id', colocate_with => 'tenants');
