// One round of one mailbox: its calendars are listed and selected (the default one, up to the
// tenant's calendars per mailbox), each selected calendar is synced, and the mailbox ends either
// 'synced' or 'error' with a message an admin can act on. A failure stays in this mailbox.
import type { Logger } from '../log/index.js';
import {
  listCalendars,
  removeMailboxCopies,
  resetCalendarCursor,
  setMailboxState,
  upsertCalendars,
  type Mailbox,
  type Store,
} from '../store/index.js';
import { describeSyncFailure, type SyncFailure } from './describe-sync-failure.js';
import type { MailboxSource, SourceCalendar, SourceMailbox } from './mailbox-source.js';
import {
  syncCalendar,
  type CalendarSyncResult,
  type SyncCalendarProps,
  type TenantSyncContext,
} from './sync-calendar.js';

export interface SyncMailboxProps {
  store: Pick<Store, 'db' | 'dialect'>;
  source: MailboxSource;
  tenant: TenantSyncContext;
  mailbox: Pick<Mailbox, 'userId' | 'userPrincipalName' | 'consecutiveFailures'>;
  /** primary SMTP address of the mailbox owner */
  email: string;
  clock?: () => number;
  signal?: AbortSignal;
  logger?: Logger;
  onPage?: SyncCalendarProps['onPage'];
  storeEventPage?: SyncCalendarProps['storeEventPage'];
  writeBatchItems?: SyncCalendarProps['writeBatchItems'];
}

export interface MailboxSyncOutcome {
  userId: string;
  userPrincipalName: string;
  state: 'synced' | 'error';
  calendars: CalendarSyncResult[];
  /** set when state is 'error' */
  failure?: SyncFailure;
}

/** The default calendar first, then the others in the source's order, `limit` in all. */
export function selectCalendars(
  calendars: readonly SourceCalendar[],
  limit: number,
): SourceCalendar[] {
  const defaults = calendars.filter((calendar) => calendar.isDefault);
  const primary = defaults[0] ?? calendars[0];
  if (primary === undefined) return [];
  const others = calendars.filter((calendar) => calendar !== primary);
  return [primary, ...others].slice(0, Math.max(1, limit));
}

/** Copies of calendars no longer selected (or gone) leave the store; their cursor starts over. */
async function dropUnselectedCalendars(
  store: Pick<Store, 'db'>,
  tenantId: string,
  userId: string,
  selectedIds: ReadonlySet<string>,
): Promise<void> {
  for (const calendar of await listCalendars(store.db, tenantId, userId)) {
    if (selectedIds.has(calendar.calendarId)) continue;
    if (
      calendar.roundStartedAt === null &&
      calendar.deltaLink === null &&
      calendar.nextLink === null
    ) {
      continue;
    }
    await removeMailboxCopies(store, tenantId, userId, { calendarId: calendar.calendarId });
    await resetCalendarCursor(store.db, tenantId, userId, calendar.calendarId);
  }
}

export async function syncMailbox(props: SyncMailboxProps): Promise<MailboxSyncOutcome> {
  const { store, source, tenant, mailbox, signal, logger } = props;
  const { tenantId } = tenant;
  const clock = props.clock ?? Date.now;
  const sourceMailbox: SourceMailbox = {
    userId: mailbox.userId,
    userPrincipalName: mailbox.userPrincipalName,
    email: props.email,
  };
  const outcome: MailboxSyncOutcome = {
    userId: mailbox.userId,
    userPrincipalName: mailbox.userPrincipalName,
    state: 'synced',
    calendars: [],
  };
  await setMailboxState(store.db, tenantId, mailbox.userId, { state: 'syncing' });
  try {
    const calendars = await source.listCalendars(sourceMailbox);
    const selected = selectCalendars(calendars, tenant.settings.calendarsPerMailbox);
    const selectedIds = new Set(selected.map((calendar) => calendar.calendarId));
    const known = await listCalendars(store.db, tenantId, mailbox.userId);
    const listed = new Set(calendars.map((calendar) => calendar.calendarId));
    await upsertCalendars(store.db, tenantId, mailbox.userId, [
      ...calendars.map((calendar) => ({
        calendarId: calendar.calendarId,
        name: calendar.name,
        isDefault: calendar.isDefault,
        selected: selectedIds.has(calendar.calendarId),
      })),
      // calendars the mailbox no longer has stay as rows, unselected
      ...known
        .filter((calendar) => !listed.has(calendar.calendarId))
        .map((calendar) => ({
          calendarId: calendar.calendarId,
          name: calendar.name,
          isDefault: false,
          selected: false,
        })),
    ]);
    await dropUnselectedCalendars(store, tenantId, mailbox.userId, selectedIds);
    for (const calendar of selected) {
      signal?.throwIfAborted();
      outcome.calendars.push(
        await syncCalendar({
          store,
          source,
          tenant,
          mailbox: sourceMailbox,
          calendar,
          clock,
          signal,
          logger,
          onPage: props.onPage,
          storeEventPage: props.storeEventPage,
          writeBatchItems: props.writeBatchItems,
        }),
      );
    }
    await setMailboxState(store.db, tenantId, mailbox.userId, { state: 'synced', at: clock() });
    logger?.info(
      {
        tenantId,
        userId: mailbox.userId,
        calendars: outcome.calendars.length,
        pages: outcome.calendars.reduce((sum, calendar) => sum + calendar.pages, 0),
      },
      'mailbox synced',
    );
    return outcome;
  } catch (error) {
    // a stopped round is not the mailbox's failure: its cursor says where to go on
    if (signal?.aborted) throw signal.reason;
    const failure = describeSyncFailure(error, {
      now: clock(),
      consecutiveFailures: mailbox.consecutiveFailures,
    });
    await setMailboxState(store.db, tenantId, mailbox.userId, {
      state: 'error',
      code: failure.code,
      message: failure.message,
      nextAttemptAt: failure.retryAt,
    });
    logger?.warn(
      { tenantId, userId: mailbox.userId, code: failure.code, err: error },
      'mailbox sync failed',
    );
    return { ...outcome, state: 'error', failure };
  }
}
