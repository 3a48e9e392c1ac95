import { describe, expect, it } from 'vitest';
import { coverageText, daysAgo, stillSyncing } from './format.js';

const now = Date.parse('2026-12-02T12:00:00Z');

describe('format', () => {
  it('says how long ago in days, then months, then years', () => {
    expect(daysAgo(null, now)).toBe('never');
    expect(daysAgo('2026-12-02T08:00:00Z', now)).toBe('today');
    expect(daysAgo('2026-12-01T08:00:00Z', now)).toBe('yesterday');
    expect(daysAgo('2026-11-20T12:00:00Z', now)).toBe('12 days ago');
    expect(daysAgo('2026-06-01T12:00:00Z', now)).toBe('6 months ago');
    expect(daysAgo('2022-12-01T12:00:00Z', now)).toBe('4 years ago');
  });

  it('describes coverage and whether calendars are still being read', () => {
    expect(coverageText({ mailboxesSynced: 0, mailboxesTracked: 0, lastSyncAt: null })).toBe(
      'No calendars are tracked yet.',
    );
    expect(coverageText({ mailboxesSynced: 3, mailboxesTracked: 5, lastSyncAt: null })).toBe(
      '3 of 5 calendars synced.',
    );
    expect(stillSyncing({ mailboxesSynced: 3, mailboxesTracked: 5 })).toBe(true);
    expect(stillSyncing({ mailboxesSynced: 5, mailboxesTracked: 5 })).toBe(false);
  });
});
