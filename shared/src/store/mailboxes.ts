import { sql } from 'kysely';
import { chunkRows, parseJsonList, toJsonList } from './batch.js';
import { StoreNotFoundError } from './errors.js';
import type { StoreDb } from './open-store.js';
import type { MailboxRow, MailboxRowUpdate, MailboxState } from './schema.js';

export interface Mailbox {
  userId: string;
  personId: number | null;
  userPrincipalName: string;
  purpose: string | null;
  state: MailboxState;
  trackedVia: string[];
  eventsStored: number;
  lastSuccessAt: number | null;
  lastErrorCode: string | null;
  lastErrorMessage: string | null;
  consecutiveFailures: number;
  nextAttemptAt: number | null;
  subscriptionId: string | null;
  subscriptionExpiresAt: number | null;
  subscriptionClientStateHash: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface MailboxInput {
  /** Entra object id of the mailbox owner */
  userId: string;
  userPrincipalName: string;
  /** omitted or null keeps what is stored */
  personId?: number | null;
  /** mailboxSettings.userPurpose; omitted or null keeps what is stored */
  purpose?: string | null;
  /** tracked principal ids that bring this mailbox in; replaces the stored list */
  trackedVia: readonly string[];
}

/** A state change with what each state records alongside it. */
export type MailboxStateChange =
  | { state: 'pending' | 'syncing' | 'removed' }
  | { state: 'synced'; at: number }
  | { state: 'error'; code: string; message: string; nextAttemptAt: number | null };

export interface MailboxSubscription {
  subscriptionId: string;
  expiresAt: number;
  /** hash of the clientState secret; the secret itself is never stored */
  clientStateHash: string;
}

// per tenant, bumped whenever this process writes its mailboxes' membership or sync state
const mailboxGenerations = new Map<string, number>();

/**
 * Changes whenever this process adds, tracks, untracks or records a sync of the tenant's
 * mailboxes: short-lived caches of mailbox facts (intro paths' coverage) compare it to stay exact
 * in-process; writes from other processes reach them when the cache entry expires.
 */
export function mailboxGeneration(tenantId: string): number {
  return mailboxGenerations.get(tenantId) ?? 0;
}

function mailboxesChanged(tenantId: string): void {
  mailboxGenerations.set(tenantId, mailboxGeneration(tenantId) + 1);
}

function toMailbox(row: MailboxRow): Mailbox {
  return {
    userId: row.user_id,
    personId: row.person_id,
    userPrincipalName: row.user_principal_name,
    purpose: row.purpose,
    state: row.state,
    trackedVia: parseJsonList(row.tracked_via, 'mailboxes.tracked_via'),
    eventsStored: row.events_stored,
    lastSuccessAt: row.last_success_at,
    lastErrorCode: row.last_error_code,
    lastErrorMessage: row.last_error_message,
    consecutiveFailures: row.consecutive_failures,
    nextAttemptAt: row.next_attempt_at,
    subscriptionId: row.subscription_id,
    subscriptionExpiresAt: row.subscription_expires_at,
    subscriptionClientStateHash: row.subscription_client_state_hash,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Adds new mailboxes as 'pending' and refreshes known ones; a 'removed' mailbox comes back as 'pending'. */
export async function upsertMailboxes(
  db: StoreDb,
  tenantId: string,
  mailboxes: readonly MailboxInput[],
): Promise<void> {
  const now = Date.now();
  const rows = [...new Map(mailboxes.map((m) => [m.userId, m])).values()].map((m) => ({
    tenant_id: tenantId,
    user_id: m.userId,
    person_id: m.personId ?? null,
    user_principal_name: m.userPrincipalName,
    purpose: m.purpose ?? null,
    state: 'pending' as const,
    tracked_via: toJsonList([...new Set(m.trackedVia)].sort()),
    created_at: now,
    updated_at: now,
  }));
  for (const slice of chunkRows(rows)) {
    await db
      .insertInto('mailboxes')
      .values(slice)
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'user_id']).doUpdateSet((eb) => ({
          user_principal_name: eb.ref('excluded.user_principal_name'),
          person_id: eb.fn.coalesce('excluded.person_id', 'mailboxes.person_id'),
          purpose: eb.fn.coalesce('excluded.purpose', 'mailboxes.purpose'),
          tracked_via: eb.ref('excluded.tracked_via'),
          state: sql<MailboxState>`case when mailboxes.state = 'removed' then 'pending' else mailboxes.state end`,
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  mailboxesChanged(tenantId);
}

export async function getMailbox(
  db: StoreDb,
  tenantId: string,
  userId: string,
): Promise<Mailbox | undefined> {
  const row = await db
    .selectFrom('mailboxes')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row === undefined ? undefined : toMailbox(row);
}

export async function listMailboxes(
  db: StoreDb,
  tenantId: string,
  filter: { states?: readonly MailboxState[] } = {},
): Promise<Mailbox[]> {
  let query = db.selectFrom('mailboxes').selectAll().where('tenant_id', '=', tenantId);
  if (filter.states !== undefined) {
    if (filter.states.length === 0) return [];
    query = query.where('state', 'in', filter.states);
  }
  const rows = await query.orderBy('user_principal_name').orderBy('user_id').execute();
  return rows.map(toMailbox);
}

/** Moves a mailbox to a new sync state; 'synced' clears the error streak, 'error' extends it. */
export async function setMailboxState(
  db: StoreDb,
  tenantId: string,
  userId: string,
  change: MailboxStateChange,
): Promise<Mailbox> {
  const now = Date.now();
  let set: MailboxRowUpdate = { state: change.state, updated_at: now };
  if (change.state === 'synced') {
    set = {
      ...set,
      last_success_at: change.at,
      last_error_code: null,
      last_error_message: null,
      consecutive_failures: 0,
      next_attempt_at: null,
    };
  } else if (change.state === 'error') {
    set = {
      ...set,
      last_error_code: change.code,
      last_error_message: change.message,
      next_attempt_at: change.nextAttemptAt,
    };
  }
  const row = await db
    .updateTable('mailboxes')
    .set(set)
    .$if(change.state === 'error', (qb) =>
      qb.set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1) })),
    )
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .returningAll()
    .executeTakeFirst();
  mailboxesChanged(tenantId);
  if (row === undefined) {
    throw new StoreNotFoundError(
      'mailbox',
      `No mailbox ${userId} in tenant ${tenantId}: upsertMailboxes first`,
    );
  }
  return toMailbox(row);
}

/** Records (or with null, forgets) the mailbox's Graph change-notification subscription. */
export async function saveMailboxSubscription(
  db: StoreDb,
  tenantId: string,
  userId: string,
  subscription: MailboxSubscription | null,
): Promise<void> {
  const result = await db
    .updateTable('mailboxes')
    .set({
      subscription_id: subscription?.subscriptionId ?? null,
      subscription_expires_at: subscription?.expiresAt ?? null,
      subscription_client_state_hash: subscription?.clientStateHash ?? null,
      updated_at: Date.now(),
    })
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    throw new StoreNotFoundError(
      'mailbox',
      `No mailbox ${userId} in tenant ${tenantId}: upsertMailboxes first`,
    );
  }
}

/** The mailbox a change notification's subscriptionId belongs to. */
export async function findMailboxBySubscription(
  db: StoreDb,
  tenantId: string,
  subscriptionId: string,
): Promise<Mailbox | undefined> {
  const row = await db
    .selectFrom('mailboxes')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .where('subscription_id', '=', subscriptionId)
    .executeTakeFirst();
  return row === undefined ? undefined : toMailbox(row);
}
