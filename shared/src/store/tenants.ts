import { z } from 'zod';
import { flag, parseJsonList, toJsonList } from './batch.js';
import { StoreNotFoundError, StoreValidationError } from './errors.js';
import type { StoreDb } from './open-store.js';
import type { TenantRow, TenantSettingsRow } from './schema.js';
import { inTransaction } from './transaction.js';

export interface Tenant {
  tenantId: string;
  displayName: string;
  verifiedDomains: string[];
  consentGrantedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface TenantInput {
  displayName: string;
  /** lowercased on write; omitted keeps what is stored */
  verifiedDomains?: string[];
  /** omitted keeps what is stored; null records that consent was withdrawn */
  consentGrantedAt?: number | null;
}

export interface TenantSettings {
  syncPrivateAppointments: boolean;
  onlyOnlineMeetings: boolean;
  lookbackMonths: number;
  lookaheadMonths: number;
  calendarsPerMailbox: number;
  extraInternalDomains: string[];
  excludedDomains: string[];
  excludedAddresses: string[];
  updatedAt: number;
}

export type TenantSettingsPatch = Partial<Omit<TenantSettings, 'updatedAt'>>;

export const CALENDARS_PER_MAILBOX_MAX = 5;
export const LOOKBACK_MONTHS_MAX = 120;
export const LOOKAHEAD_MONTHS_MAX = 24;

const lowercaseList = z
  .array(z.string().trim().min(1))
  .transform((items) => [...new Set(items.map((item) => item.toLowerCase()))]);

const intRange = (field: string, min: number, max: number) =>
  z.number().refine((value) => Number.isInteger(value) && value >= min && value <= max, {
    error: (issue) =>
      `${field} must be an integer from ${min} to ${max} (got ${String(issue.input)})`,
  });

const settingsPatchSchema = z
  .object({
    syncPrivateAppointments: z.boolean(),
    onlyOnlineMeetings: z.boolean(),
    lookbackMonths: intRange('lookback_months', 0, LOOKBACK_MONTHS_MAX),
    lookaheadMonths: intRange('lookahead_months', 0, LOOKAHEAD_MONTHS_MAX),
    calendarsPerMailbox: intRange('calendars_per_mailbox', 1, CALENDARS_PER_MAILBOX_MAX),
    extraInternalDomains: lowercaseList,
    excludedDomains: lowercaseList,
    excludedAddresses: lowercaseList,
  })
  .partial()
  .strict();

function toTenant(row: TenantRow): Tenant {
  return {
    tenantId: row.tenant_id,
    displayName: row.display_name,
    verifiedDomains: parseJsonList(row.verified_domains, 'tenants.verified_domains'),
    consentGrantedAt: row.consent_granted_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toSettings(row: TenantSettingsRow): TenantSettings {
  return {
    syncPrivateAppointments: row.sync_private_appointments === 1,
    onlyOnlineMeetings: row.only_online_meetings === 1,
    lookbackMonths: row.lookback_months,
    lookaheadMonths: row.lookahead_months,
    calendarsPerMailbox: row.calendars_per_mailbox,
    extraInternalDomains: parseJsonList(
      row.extra_internal_domains,
      'tenant_settings.extra_internal_domains',
    ),
    excludedDomains: parseJsonList(row.excluded_domains, 'tenant_settings.excluded_domains'),
    excludedAddresses: parseJsonList(row.excluded_addresses, 'tenant_settings.excluded_addresses'),
    updatedAt: row.updated_at,
  };
}

function foundSettings(tenantId: string, row: TenantSettingsRow | undefined): TenantSettings {
  if (row === undefined) {
    throw new StoreNotFoundError(
      'tenant',
      `No settings for tenant ${tenantId}: call upsertTenant first`,
    );
  }
  return toSettings(row);
}

/** Creates the tenant with default settings, or updates its name, domains and consent. */
export async function upsertTenant(
  db: StoreDb,
  tenantId: string,
  input: TenantInput,
): Promise<Tenant> {
  const now = Date.now();
  const domains =
    input.verifiedDomains === undefined
      ? undefined
      : toJsonList([...new Set(input.verifiedDomains.map((domain) => domain.toLowerCase()))]);
  return inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('tenants')
      .values({
        tenant_id: tenantId,
        display_name: input.displayName,
        verified_domains: domains ?? '[]',
        consent_granted_at: input.consentGrantedAt ?? null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('tenant_id').doUpdateSet({
          display_name: input.displayName,
          updated_at: now,
          ...(domains === undefined ? {} : { verified_domains: domains }),
          ...(input.consentGrantedAt === undefined
            ? {}
            : { consent_granted_at: input.consentGrantedAt }),
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('tenant_settings')
      .values({ tenant_id: tenantId, updated_at: now })
      .onConflict((oc) => oc.column('tenant_id').doNothing())
      .execute();
    return toTenant(row);
  });
}

export async function getTenant(db: StoreDb, tenantId: string): Promise<Tenant | undefined> {
  const row = await db
    .selectFrom('tenants')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return row === undefined ? undefined : toTenant(row);
}

/** Every tenant; the one query that is not about a single tenant, used to fan work out per tenant. */
export async function listTenants(db: StoreDb): Promise<Tenant[]> {
  const rows = await db.selectFrom('tenants').selectAll().orderBy('tenant_id').execute();
  return rows.map(toTenant);
}

export async function getTenantSettings(db: StoreDb, tenantId: string): Promise<TenantSettings> {
  const row = await db
    .selectFrom('tenant_settings')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .executeTakeFirst();
  return foundSettings(tenantId, row);
}

/** Validates and applies a partial settings change; fields left out keep their value. */
export async function updateTenantSettings(
  db: StoreDb,
  tenantId: string,
  patch: TenantSettingsPatch,
): Promise<TenantSettings> {
  const parsed = settingsPatchSchema.safeParse(patch);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'settings';
    throw new StoreValidationError(
      field,
      `Invalid tenant settings: ${issue?.message ?? 'unknown problem'}`,
    );
  }
  const value = parsed.data;
  const row = await db
    .updateTable('tenant_settings')
    .set({
      updated_at: Date.now(),
      ...(value.syncPrivateAppointments === undefined
        ? {}
        : { sync_private_appointments: flag(value.syncPrivateAppointments) }),
      ...(value.onlyOnlineMeetings === undefined
        ? {}
        : { only_online_meetings: flag(value.onlyOnlineMeetings) }),
      ...(value.lookbackMonths === undefined ? {} : { lookback_months: value.lookbackMonths }),
      ...(value.lookaheadMonths === undefined ? {} : { lookahead_months: value.lookaheadMonths }),
      ...(value.calendarsPerMailbox === undefined
        ? {}
        : { calendars_per_mailbox: value.calendarsPerMailbox }),
      ...(value.extraInternalDomains === undefined
        ? {}
        : { extra_internal_domains: toJsonList(value.extraInternalDomains) }),
      ...(value.excludedDomains === undefined
        ? {}
        : { excluded_domains: toJsonList(value.excludedDomains) }),
      ...(value.excludedAddresses === undefined
        ? {}
        : { excluded_addresses: toJsonList(value.excludedAddresses) }),
    })
    .where('tenant_id', '=', tenantId)
    .returningAll()
    .executeTakeFirst();
  return foundSettings(tenantId, row);
}
