// Identifiers the simulator mints: app registrations derived from the tenant id (stable across
// restarts), request ids, and the two encodings of an Outlook item id.
import { createHash, randomUUID } from 'node:crypto';

/** A GUID-shaped id derived from a seed string, so restarts keep it. */
export function stableGuid(seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface AppRegistration {
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

/** The WarmPath app registration of a tenant. */
export function appRegistration(tenantId: string): AppRegistration {
  const secretHash = createHash('sha256')
    .update(`warmpath-sim-secret:${tenantId}`)
    .digest('base64url');
  return {
    tenantId,
    clientId: stableGuid(`warmpath-sim-app:${tenantId}`),
    // Entra client secrets are 40 characters with a "~" after the 3-character hint
    clientSecret: `Sim8Q~${secretHash.slice(0, 34)}`,
  };
}

/** Object id of the app's service principal in the tenant (the `oid` of app-only tokens). */
export function servicePrincipalId(tenantId: string): string {
  return stableGuid(`warmpath-sim-sp:${tenantId}`);
}

export function newRequestId(): string {
  return randomUUID();
}

// Outlook REST ids and immutable ids are different strings for the same item. The engine's ids
// (AAMkA…) serve as REST ids; the immutable id (AAkALg…, as Exchange's) wraps them reversibly.
const IMMUTABLE_PREFIX = 'AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A';

export function toImmutableId(restId: string): string {
  return `${IMMUTABLE_PREFIX}${Buffer.from(restId, 'utf8').toString('base64url')}`;
}

/** The REST (engine) id inside an immutable id, or undefined when `id` is not one of ours. */
export function fromImmutableId(id: string): string | undefined {
  if (!id.startsWith(IMMUTABLE_PREFIX)) return undefined;
  const inner = id.slice(IMMUTABLE_PREFIX.length);
  if (!/^[A-Za-z0-9_-]+$/.test(inner)) return undefined;
  const decoded = Buffer.from(inner, 'base64url').toString('utf8');
  return toImmutableId(decoded) === id ? decoded : undefined;
}

export type IdType = 'rest' | 'immutable';

/** An engine id as the client asked to see it. */
export function presentId(engineId: string, idType: IdType): string {
  return idType === 'immutable' ? toImmutableId(engineId) : engineId;
}
