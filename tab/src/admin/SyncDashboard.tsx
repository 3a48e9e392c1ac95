import {
  Button,
  Caption1,
  Field,
  ProgressBar,
  Spinner,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { ApiClient, MailboxSync, SyncDashboard as SyncAnswer } from '../ui/index.js';
import { ErrorNotice, coverageText, daysAgo, plural } from '../ui/index.js';

const useStyles = makeStyles({
  list: {
    listStyleType: 'none',
    padding: 0,
    margin: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    maxWidth: '720px',
  },
  row: {
    display: 'grid',
    gridTemplateColumns: '1fr auto',
    gap: tokens.spacingHorizontalM,
    alignItems: 'center',
  },
  error: { color: tokens.colorPaletteRedForeground1 },
  toolbar: {
    display: 'flex',
    gap: tokens.spacingHorizontalM,
    alignItems: 'center',
    flexWrap: 'wrap',
  },
});

/** Polling while a mailbox syncs; slower once everything has settled. */
const BUSY_POLL_MS = 1000;
const IDLE_POLL_MS = 10_000;

function busy(mailbox: MailboxSync): boolean {
  return mailbox.state === 'pending' || mailbox.state === 'syncing';
}

export function mailboxStatusText(mailbox: MailboxSync): string {
  switch (mailbox.state) {
    case 'pending':
      return 'Waiting for its first sync';
    case 'syncing':
      return mailbox.progress === null
        ? 'Syncing'
        : `Syncing, ${Math.round(mailbox.progress * 100)}% done`;
    case 'synced':
      return `Up to date: ${plural(mailbox.eventsStored, 'meeting')}, last synced ${daysAgo(mailbox.lastSuccessAt)}`;
    case 'error':
      return (
        `Not syncing: ${mailbox.lastError ?? 'an unknown problem'}` +
        (mailbox.nextAttemptAt
          ? ` Trying again ${new Date(mailbox.nextAttemptAt).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })}.`
          : '')
      );
    case 'removed':
      return 'No longer tracked';
    default:
      return String(mailbox.state);
  }
}

function progressValue(mailbox: MailboxSync): number | undefined {
  if (mailbox.state === 'synced') return 1;
  if (mailbox.state === 'error' || mailbox.state === 'removed') return 0;
  return mailbox.progress ?? undefined; // undefined: an indeterminate bar
}

/** Every tracked mailbox with its progress, its problem in words, and "Sync now". */
export function SyncDashboard({
  api,
  refreshKey,
  onMailboxCount,
}: {
  api: ApiClient;
  refreshKey: number;
  /** the tracked list shows calendars per group: it reloads when their number changes */
  onMailboxCount?: (count: number) => void;
}) {
  const styles = useStyles();
  const [answer, setAnswer] = useState<SyncAnswer | null>(null);
  const [error, setError] = useState<unknown>(undefined);
  const [round, setRound] = useState(0);
  const [requested, setRequested] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      try {
        const next = await api.admin.sync();
        if (!current) return;
        setAnswer(next);
        setError(undefined);
        onMailboxCount?.(next.mailboxes.length);
        timer = setTimeout(
          () => void poll(),
          next.mailboxes.some(busy) ? BUSY_POLL_MS : IDLE_POLL_MS,
        );
      } catch (failure) {
        if (!current) return;
        setError(failure);
        timer = setTimeout(() => void poll(), IDLE_POLL_MS);
      }
    };
    void poll();
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, refreshKey, round]);

  async function syncNow(userId?: string): Promise<void> {
    setRequested(userId ?? 'all');
    try {
      await api.admin.syncNow(userId);
      setRound((n) => n + 1);
    } catch (failure) {
      setError(failure);
    } finally {
      setRequested(null);
    }
  }

  if (answer === null && error === undefined)
    return <Spinner size="tiny" label="Loading sync status…" />;
  return (
    <div>
      {answer && (
        <div className={styles.toolbar}>
          <Text>{coverageText(answer.coverage)}</Text>
          <Button onClick={() => void syncNow()} disabled={requested !== null}>
            {requested === 'all' ? 'Asking…' : 'Sync now'}
          </Button>
        </div>
      )}
      {error !== undefined && <ErrorNotice error={error} title="Sync status unavailable" />}
      {answer && answer.mailboxes.length === 0 && <Text as="p">No calendars are tracked yet.</Text>}
      {answer && answer.mailboxes.length > 0 && (
        <ul className={styles.list} aria-label="Calendars" data-testid="sync-list">
          {answer.mailboxes.map((mailbox) => (
            <li
              key={mailbox.userId}
              className={styles.row}
              data-testid="mailbox-row"
              data-state={mailbox.state}
            >
              <Field
                label={
                  mailbox.displayName
                    ? `${mailbox.displayName} (${mailbox.userPrincipalName})`
                    : mailbox.userPrincipalName
                }
                validationState={mailbox.state === 'error' ? 'error' : 'none'}
                validationMessage={
                  mailbox.state === 'error' ? mailboxStatusText(mailbox) : undefined
                }
                hint={mailbox.state === 'error' ? undefined : mailboxStatusText(mailbox)}
              >
                <ProgressBar
                  value={progressValue(mailbox)}
                  max={1}
                  thickness="large"
                  color={
                    mailbox.state === 'error'
                      ? 'error'
                      : mailbox.state === 'synced'
                        ? 'success'
                        : 'brand'
                  }
                />
              </Field>
              <Button
                size="small"
                disabled={requested !== null}
                aria-label={`Sync ${mailbox.displayName ?? mailbox.userPrincipalName} now`}
                onClick={() => void syncNow(mailbox.userId)}
              >
                Sync now
              </Button>
            </li>
          ))}
        </ul>
      )}
      {answer?.coverage.lastSyncAt && (
        <Caption1 as="p">Last successful sync {daysAgo(answer.coverage.lastSyncAt)}.</Caption1>
      )}
    </div>
  );
}
