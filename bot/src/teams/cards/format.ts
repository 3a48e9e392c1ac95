// Words and colours the cards use for strengths, counts, dates and coverage.
import type { Coverage, TieLabel } from '@warmpath/shared/scoring';

const DAY_MS = 86_400_000;

export const LABEL_COLOR: Record<TieLabel, string> = {
  strong: 'Good',
  medium: 'Accent',
  weak: 'Warning',
  cold: 'Default',
};

export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** "today", "yesterday", "12 days ago", "3 months ago", "2 years ago". */
export function ago(iso: string | null, now: number): string | null {
  if (iso === null) return null;
  const days = Math.floor((now - Date.parse(iso)) / DAY_MS);
  if (days < 0) return 'upcoming';
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 45) return `${days} days ago`;
  if (days < 548) return `${Math.round(days / 30.4)} months ago`;
  return `${Math.round(days / 365)} years ago`;
}

/** "All 12 tracked mailboxes synced, last 5 minutes ago" and the like. */
export function coverageLine(coverage: Coverage, now: number): string {
  if (coverage.mailboxesTracked === 0) return 'No mailboxes are tracked yet: an admin picks them.';
  const synced =
    coverage.mailboxesSynced >= coverage.mailboxesTracked
      ? coverage.mailboxesTracked === 1
        ? 'The one tracked mailbox is synced'
        : `All ${coverage.mailboxesTracked} tracked mailboxes synced`
      : `${coverage.mailboxesSynced} of ${coverage.mailboxesTracked} tracked mailboxes synced so far`;
  const last = ago(coverage.lastSyncAt, now);
  if (last === null) return `${synced}.`;
  const minutes = Math.round((now - Date.parse(coverage.lastSyncAt as string)) / 60_000);
  const hours = Math.round(minutes / 60);
  const when =
    minutes <= 1
      ? 'just now'
      : minutes < 60
        ? `${minutes} minutes ago`
        : hours < 24
          ? `${plural(hours, 'hour')} ago`
          : last;
  return `${synced}, last sync ${when}.`;
}
