// The simulator's in-memory tenant engine (contract: tenant-engine-api.ts).
export { createTenantEngine, type TenantEngineOptions } from './engine.js';
export { TenantEngineError, TenantFileError, type TenantEngineErrorCode } from './errors.js';
export { resolveTimeZone, toTimeZone } from './time.js';
export { textOfHtml } from './render.js';
export { validateTenantFile } from './validate.js';
export type * from './tenant-engine-api.js';
