import { describe, expect, it } from 'vitest';
import { ago, coverageLine } from './format.js';

const NOW = Date.UTC(2026, 10, 21, 12);
const before = (ms: number) => new Date(NOW - ms).toISOString();
const MINUTE = 60_000;
const DAY = 86_400_000;

describe('ago', () => {
  it('says today, yesterday, days, months and years', () => {
    expect(ago(before(MINUTE), NOW)).toBe('today');
    expect(ago(before(DAY), NOW)).toBe('yesterday');
    expect(ago(before(12 * DAY), NOW)).toBe('12 days ago');
    expect(ago(before(90 * DAY), NOW)).toBe('3 months ago');
    expect(ago(before(800 * DAY), NOW)).toBe('2 years ago');
    expect(ago(null, NOW)).toBeNull();
  });
});

describe('coverageLine', () => {
  it('says how much is synced and how recently', () => {
    expect(coverageLine({ mailboxesSynced: 0, mailboxesTracked: 0, lastSyncAt: null }, NOW)).toBe(
      'No mailboxes are tracked yet: an admin picks them.',
    );
    expect(
      coverageLine(
        { mailboxesSynced: 3, mailboxesTracked: 5, lastSyncAt: before(5 * MINUTE) },
        NOW,
      ),
    ).toBe('3 of 5 tracked mailboxes synced so far, last sync 5 minutes ago.');
    expect(
      coverageLine(
        { mailboxesSynced: 1, mailboxesTracked: 1, lastSyncAt: before(2 * 3_600_000) },
        NOW,
      ),
    ).toBe('The one tracked mailbox is synced, last sync 2 hours ago.');
    expect(
      coverageLine({ mailboxesSynced: 2, mailboxesTracked: 2, lastSyncAt: before(3 * DAY) }, NOW),
    ).toBe('All 2 tracked mailboxes synced, last sync 3 days ago.');
  });
});
