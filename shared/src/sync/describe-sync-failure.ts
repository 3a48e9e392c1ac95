// Why a mailbox did not sync, in words an admin acts on, and when to try it again.
import { StoreError } from '../store/index.js';
import { MailboxSourceError } from './mailbox-source.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** Mailboxes that cannot be read as things stand (no mailbox, access policy) are retried this late. */
export const BLOCKED_MAILBOX_RETRY_MS = 12 * HOUR_MS;
/** Transient failures back off from this, doubling per consecutive failure… */
export const FIRST_RETRY_MS = 5 * MINUTE_MS;
/** …up to this. */
export const LONGEST_RETRY_MS = 6 * HOUR_MS;

export interface SyncFailure {
  /** the source's or store's error code */
  code: string;
  /** what happened and what an admin can do about it */
  message: string;
  /** when the scheduler should try the mailbox again */
  retryAt: number;
}

function backoff(now: number, consecutiveFailures: number): number {
  return now + Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(consecutiveFailures, 16));
}

/**
 * Every application permission the sync asks Graph for (infra/graph-permissions.json, checked by
 * this module's test), named when Graph refuses them.
 */
export const SYNC_APPLICATION_PERMISSIONS = [
  'Calendars.Read',
  'MailboxSettings.Read',
  'User.Read.All',
  'GroupMember.Read.All',
  'Organization.Read.All',
  'Place.Read.All',
] as const;

const at = (ms: number): string => new Date(ms).toISOString();

export function describeSyncFailure(
  error: unknown,
  context: { now: number; consecutiveFailures: number },
): SyncFailure {
  const { now } = context;
  if (error instanceof MailboxSourceError) {
    const { code } = error;
    switch (error.failure) {
      case 'mailboxNotFound':
        return {
          code,
          message:
            code.toLowerCase() === 'mailboxnotenabledforrestapi'
              ? `This user has no Exchange Online mailbox (${code}): they may be unlicensed, or their mailbox is on Exchange on-premises. WarmPath tries again in 12 hours; stop tracking them if that is expected.`
              : `This user or their mailbox no longer exists (${code}). WarmPath stops syncing them at the next directory refresh.`,
          retryAt: now + BLOCKED_MAILBOX_RETRY_MS,
        };
      case 'accessDenied':
        return {
          code,
          message: `An application access policy blocks WarmPath from this mailbox (${code}): an Exchange admin adds the mailbox to the group the policy allows (Test-ApplicationAccessPolicy shows the verdict), or stops tracking it. If every mailbox shows this, the app lacks the Calendars.Read permission: an admin grants consent at /admin/consent.`,
          retryAt: now + BLOCKED_MAILBOX_RETRY_MS,
        };
      case 'notAuthorized':
        return {
          code,
          message: `Microsoft Graph refused WarmPath's app permissions (${code}): an admin grants consent at /admin/consent (${SYNC_APPLICATION_PERMISSIONS.join(', ')}).`,
          retryAt: now + BLOCKED_MAILBOX_RETRY_MS,
        };
      case 'throttled': {
        const retryAt = now + Math.max(MINUTE_MS, error.retryAfterMs ?? 0);
        return {
          code,
          message: `Microsoft Graph is throttling this mailbox (${code}); WarmPath tries again after ${at(retryAt)}.`,
          retryAt,
        };
      }
      case 'unavailable': {
        const retryAt = backoff(now, context.consecutiveFailures);
        return {
          code,
          message: `Microsoft Graph kept failing for this mailbox (${code}) after several retries; WarmPath tries again after ${at(retryAt)}.`,
          retryAt,
        };
      }
      case 'cursorExpired': {
        const retryAt = backoff(now, context.consecutiveFailures);
        return {
          code,
          message: `Microsoft Graph kept expiring this mailbox's sync state (${code}) while it was read again from the start; WarmPath tries again after ${at(retryAt)}.`,
          retryAt,
        };
      }
      default: {
        const retryAt = backoff(now, context.consecutiveFailures);
        return {
          code,
          message: `Reading this mailbox failed (${code}); WarmPath tries again after ${at(retryAt)}. ${error.message}`,
          retryAt,
        };
      }
    }
  }
  const retryAt = backoff(now, context.consecutiveFailures);
  if (error instanceof StoreError) {
    return {
      code: error.code,
      message: `Storing this mailbox's meetings failed (${error.code}); WarmPath tries again after ${at(retryAt)}. ${error.message}`,
      retryAt,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'syncFailed',
    message: `Syncing this mailbox failed unexpectedly; WarmPath tries again after ${at(retryAt)}. ${message}`,
    retryAt,
  };
}
