// WarmPath's one Microsoft Graph client (app-only, retries, per-mailbox concurrency, $batch).
export {
  createGraphClient,
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_MAX_CONCURRENCY_PER_MAILBOX,
  GRAPH_API_VERSION,
  type GraphClient,
  type GraphClientOptions,
  type GraphPage,
  type GraphRequestOptions,
} from './graph-client.js';
export { MAX_BATCH_REQUESTS, type BatchRequest, type BatchResponse } from './batch.js';
export { GraphError, SYNC_STATE_NOT_FOUND, type GraphErrorInit } from './errors.js';
export { createAppOnlyAuthProvider, GRAPH_APP_SCOPE, type AppOnlyAuthProvider } from './auth.js';
export { mailboxFromPath } from './mailbox.js';
export { IMMUTABLE_ID_PREFERENCE } from './prefer.js';
export { JsonItemMembers } from './parse-json-bytes.js';
export type { ConcurrencyStats } from './limiter.js';
export type { Transport, TransportRequest } from './transport.js';
