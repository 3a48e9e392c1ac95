export {
  dialectOf,
  openStore,
  parseDatabaseUrl,
  redactDatabaseUrl,
  type OpenStoreOptions,
  type ParsedDatabaseUrl,
  type Store,
  type StoreDb,
  type StoreLogger,
} from './open-store.js';
export { MAX_BIND_PARAMETERS, MAX_ROWS_PER_STATEMENT, type StoreDialect } from './dialect.js';
export * from './errors.js';
export * from './schema.js';
export { storeMigrations } from './migrations/index.js';
export { allocateIds, IdReservation, type IdSpace } from './ids.js';
export {
  CONFLICT_ATTEMPTS,
  inTransaction,
  isRetryableConflict,
  retryOnConflict,
} from './transaction.js';
export * from './tenants.js';
export * from './people.js';
export * from './tracked-principals.js';
export * from './mailboxes.js';
export * from './calendars.js';
export * from './event-page.js';
export * from './events.js';
export * from './resource-identities.js';
export * from './sync-inbox.js';
export * from './score-queue.js';
export {
  bulkInsert,
  BULK_ROWS_PER_STATEMENT,
  postgresBulkInsert,
  type BulkColumnType,
  type BulkWriteOptions,
} from './bulk-insert.js';
export { queryPrepared } from './prepared-query.js';
