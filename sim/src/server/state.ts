// Everything the server remembers besides the engines: app registrations and consent per tenant,
// faults, limits, delta-token expiry, request counters.
import { randomUUID } from 'node:crypto';
import type { TenantEngine } from '../engine/tenant-engine-api.js';
import type { GraphUser } from '../graph-types.js';
import { initialRoleAssignments } from './directory-roles.js';
import { FaultInjector } from './faults.js';
import { appRegistration, servicePrincipalId, type AppRegistration } from './ids.js';
import { MailboxLimiter, type MailboxLimits } from './limits.js';
import { DEFAULT_APP_ROLES, DEFAULT_DELEGATED_SCOPES, type TokenService } from './tokens.js';

export interface TenantState {
  tenantId: string;
  engine: TenantEngine;
  app: AppRegistration;
  servicePrincipalId: string;
  /** Application permissions in app-only tokens. */
  appRoles: string[];
  /** Delegated permissions on-behalf-of may grant. */
  delegatedScopes: string[];
  /** False: on-behalf-of answers AADSTS65001 (no consent for the user). */
  consented: boolean;
  /** Delta tokens minted at or before this generation are gone, per user id. */
  deltaExpiry: Map<string, number>;
  /** Users blocked by an application access policy (app-only access). */
  accessDenied: Set<string>;
  /** Directory role template ids each user holds, by user id. */
  directoryRoles: Map<string, Set<string>>;
}

export interface RequestCounters {
  total: number;
  graph: number;
  entra: number;
  control: number;
  byStatus: Record<string, number>;
}

export class SimState {
  readonly tenants = new Map<string, TenantState>();
  readonly faults = new FaultInjector();
  readonly limiter: MailboxLimiter;
  /** Distinguishes this run: paging tokens of an earlier run are stale. */
  readonly bootId = randomUUID().slice(0, 8);
  /** Every minted delta or skip token takes the next generation. */
  generation = 0;
  /** Tokens minted at or before this generation are gone for every mailbox. */
  deltaExpiryAll = 0;
  url = '';
  readonly counters: RequestCounters = { total: 0, graph: 0, entra: 0, control: 0, byStatus: {} };

  constructor(
    engines: TenantEngine[],
    readonly tokens: TokenService,
    limits: MailboxLimits,
    readonly certPem: string,
  ) {
    this.limiter = new MailboxLimiter(limits);
    for (const engine of engines) {
      if (this.tenants.has(engine.tenantId)) {
        throw new Error(`two engines share the tenant id ${engine.tenantId}`);
      }
      this.tenants.set(engine.tenantId, {
        tenantId: engine.tenantId,
        engine,
        app: appRegistration(engine.tenantId),
        servicePrincipalId: servicePrincipalId(engine.tenantId),
        appRoles: [...DEFAULT_APP_ROLES],
        delegatedScopes: [...DEFAULT_DELEGATED_SCOPES],
        consented: true,
        deltaExpiry: new Map(),
        accessDenied: new Set(),
        directoryRoles: initialRoleAssignments(engine.listUsers()),
      });
    }
  }

  get graphBase(): string {
    return `${this.url}/v1.0`;
  }

  /** By tenant id or any verified domain, case-insensitive. */
  findTenant(idOrDomain: string): TenantState | undefined {
    const direct = this.tenants.get(idOrDomain);
    if (direct) return direct;
    const wanted = idOrDomain.toLowerCase();
    for (const tenant of this.tenants.values()) {
      if (tenant.tenantId.toLowerCase() === wanted) return tenant;
      if (tenant.engine.organization.verifiedDomains.some((d) => d.name.toLowerCase() === wanted)) {
        return tenant;
      }
    }
    return undefined;
  }

  /** The tenant that knows this user (id or UPN), searching every tenant. */
  findUserAnywhere(idOrUpn: string): { tenant: TenantState; user: GraphUser } | undefined {
    for (const tenant of this.tenants.values()) {
      const user = tenant.engine.findUser(idOrUpn);
      if (user) return { tenant, user };
    }
    return undefined;
  }

  nextGeneration(): number {
    this.generation += 1;
    return this.generation;
  }

  isDeltaTokenExpired(tenant: TenantState, userId: string, generation: number): boolean {
    if (generation <= this.deltaExpiryAll) return true;
    return generation <= (tenant.deltaExpiry.get(userId) ?? 0);
  }

  countStatus(kind: 'graph' | 'entra' | 'control' | 'other', status: number): void {
    this.counters.total += 1;
    if (kind !== 'other') this.counters[kind] += 1;
    const key = String(status);
    this.counters.byStatus[key] = (this.counters.byStatus[key] ?? 0) + 1;
  }
}
