// Which WarmPath app registration a tenant's tokens are for, and whether the tenant has onboarded
// (has a row in the store's tenants table). One multi-tenant Entra app in production; the
// simulator gives each tenant its own registration, so several can be given.
import { LRUCache } from 'lru-cache';
import type { MicrosoftTenantConfig } from '../config/index.js';
import { getTenant, type Store } from '../store/index.js';

/** How long an onboarded (or not) answer is reused before the store is asked again. */
export const ONBOARDING_CACHE_MS = 30_000;

export interface TenantApps {
  /** the app for the tenant: its own registration, else the (multi-tenant) first one */
  appFor(tenantId: string): MicrosoftTenantConfig | undefined;
  /** the app when the tenant has onboarded; undefined otherwise */
  onboarded(tenantId: string): Promise<MicrosoftTenantConfig | undefined>;
}

export function createTenantApps(props: {
  store: Pick<Store, 'db'>;
  registrations: readonly MicrosoftTenantConfig[];
  cacheMs?: number;
}): TenantApps {
  const { store, registrations } = props;
  const known = new LRUCache<string, { onboarded: boolean }>({
    max: 10_000,
    ttl: props.cacheMs ?? ONBOARDING_CACHE_MS,
  });
  const appFor = (tenantId: string): MicrosoftTenantConfig | undefined => {
    const own = registrations.find((r) => r.tenantId.toLowerCase() === tenantId.toLowerCase());
    const first = registrations[0];
    if (own) return own;
    return first === undefined ? undefined : { ...first, tenantId };
  };
  return {
    appFor,
    async onboarded(tenantId) {
      let entry = known.get(tenantId);
      if (entry === undefined) {
        entry = { onboarded: (await getTenant(store.db, tenantId)) !== undefined };
        known.set(tenantId, entry);
      }
      return entry.onboarded ? appFor(tenantId) : undefined;
    },
  };
}
