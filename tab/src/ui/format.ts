// Dates and counts in the words a rep reads.
const DAY_MS = 86_400_000;

export function daysAgo(iso: string | null, now = Date.now()): string {
  if (iso === null) return 'never';
  const days = Math.floor((now - Date.parse(iso)) / DAY_MS);
  if (days < 0) return 'upcoming';
  if (days === 0) return 'today';
  if (days === 1) return 'yesterday';
  if (days < 60) return `${days} days ago`;
  const months = Math.round(days / 30);
  if (months < 24) return `${months} months ago`;
  return `${Math.round(days / 365)} years ago`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function shortDate(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  });
}

export function timeRange(startIso: string, endIso: string, allDay: boolean): string {
  if (allDay) return 'all day';
  const options: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
  return `${new Date(startIso).toLocaleTimeString(undefined, options)}–${new Date(endIso).toLocaleTimeString(undefined, options)}`;
}

/** "3 of 5 mailboxes synced, last 4 minutes ago": how complete the answer is. */
export function coverageText(coverage: {
  mailboxesSynced: number;
  mailboxesTracked: number;
  lastSyncAt: string | null;
}): string {
  if (coverage.mailboxesTracked === 0) return 'No calendars are tracked yet.';
  const base = `${coverage.mailboxesSynced} of ${plural(coverage.mailboxesTracked, 'calendar')} synced`;
  if (coverage.lastSyncAt === null) return `${base}.`;
  const minutes = Math.floor((Date.now() - Date.parse(coverage.lastSyncAt)) / 60_000);
  const when =
    minutes < 1
      ? 'just now'
      : minutes < 120
        ? `${plural(minutes, 'minute')} ago`
        : daysAgo(coverage.lastSyncAt);
  return `${base}, last ${when}.`;
}

/** Syncing has not reached every tracked calendar yet. */
export function stillSyncing(coverage: {
  mailboxesSynced: number;
  mailboxesTracked: number;
}): boolean {
  return coverage.mailboxesTracked > 0 && coverage.mailboxesSynced < coverage.mailboxesTracked;
}
