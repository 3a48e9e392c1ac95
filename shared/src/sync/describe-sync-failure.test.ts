import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StoreConnectionError } from '../store/index.js';
import {
  BLOCKED_MAILBOX_RETRY_MS,
  describeSyncFailure,
  FIRST_RETRY_MS,
  LONGEST_RETRY_MS,
  SYNC_APPLICATION_PERMISSIONS,
} from './describe-sync-failure.js';
import { MailboxSourceError } from './mailbox-source.js';

const NOW = Date.UTC(2026, 10, 21, 12);

describe('describeSyncFailure', () => {
  it('names every application permission of infra/graph-permissions.json when Graph refuses them', () => {
    const table = JSON.parse(
      readFileSync(new URL('../../../infra/graph-permissions.json', import.meta.url), 'utf8'),
    ) as { calls: { permission: string | null; type: string | null }[] };
    const application = new Set(
      table.calls.filter((call) => call.type === 'Application').map((call) => call.permission),
    );
    expect(new Set(SYNC_APPLICATION_PERMISSIONS)).toEqual(application);
    const failure = describeSyncFailure(
      new MailboxSourceError(
        'notAuthorized',
        'Authorization_RequestDenied',
        'Insufficient privileges.',
      ),
      { now: NOW, consecutiveFailures: 0 },
    );
    expect(failure.message).toBe(
      "Microsoft Graph refused WarmPath's app permissions (Authorization_RequestDenied): an admin grants consent at /admin/consent (Calendars.Read, MailboxSettings.Read, User.Read.All, GroupMember.Read.All, Organization.Read.All, Place.Read.All).",
    );
  });

  it('retries a mailbox that cannot be read as things stand only twice a day', () => {
    const failure = describeSyncFailure(
      new MailboxSourceError('accessDenied', 'ErrorAccessDenied', 'Access to OData is disabled.'),
      { now: NOW, consecutiveFailures: 0 },
    );
    expect(failure.retryAt).toBe(NOW + BLOCKED_MAILBOX_RETRY_MS);
    expect(failure.message).toContain('Exchange admin');
  });

  it('waits what Graph asked for when it throttles', () => {
    const failure = describeSyncFailure(
      new MailboxSourceError('throttled', 'TooManyRequests', 'slow down', {
        retryAfterMs: 600_000,
      }),
      { now: NOW, consecutiveFailures: 3 },
    );
    expect(failure.retryAt).toBe(NOW + 600_000);
    expect(failure.message).toBe(
      'Microsoft Graph is throttling this mailbox (TooManyRequests); WarmPath tries again after 2026-11-21T12:10:00.000Z.',
    );
  });

  it('backs off outages exponentially, up to a ceiling', () => {
    const outage = new MailboxSourceError('unavailable', 'serviceNotAvailable', '503');
    expect(describeSyncFailure(outage, { now: NOW, consecutiveFailures: 0 }).retryAt).toBe(
      NOW + FIRST_RETRY_MS,
    );
    expect(describeSyncFailure(outage, { now: NOW, consecutiveFailures: 2 }).retryAt).toBe(
      NOW + 4 * FIRST_RETRY_MS,
    );
    expect(describeSyncFailure(outage, { now: NOW, consecutiveFailures: 40 }).retryAt).toBe(
      NOW + LONGEST_RETRY_MS,
    );
  });

  it('names the store when it was the store that failed', () => {
    const failure = describeSyncFailure(
      new StoreConnectionError('database unreachable', undefined),
      {
        now: NOW,
        consecutiveFailures: 0,
      },
    );
    expect(failure.message).toMatch(/^Storing this mailbox's meetings failed/);
  });
});
