import {
  Button,
  Caption1,
  Combobox,
  Field,
  Option,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { ApiClient, DirectoryEntry } from '../ui/index.js';
import { ErrorNotice, plural, useAsync } from '../ui/index.js';

const useStyles = makeStyles({
  picker: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'end', flexWrap: 'wrap' },
  combobox: { minWidth: '320px' },
});

const DIRECTORY_DELAY_MS = 200;

/** Who WarmPath reads: individuals and groups picked from the directory. */
export function TrackedPrincipals({
  api,
  refreshKey,
  onChanged,
}: {
  api: ApiClient;
  /** changes when calendars were added or removed by a group's expansion */
  refreshKey: number;
  onChanged: () => void;
}) {
  const styles = useStyles();
  const tracked = useAsync(() => api.admin.tracked(), [api, refreshKey], { keepPrevious: true });
  const [text, setText] = useState('');
  const [found, setFound] = useState<DirectoryEntry[]>([]);
  const [picked, setPicked] = useState<DirectoryEntry | null>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    const query = text.trim();
    if (query.length < 2 || picked?.displayName === text) return;
    let current = true;
    const timer = setTimeout(() => {
      api.admin.directory(query).then(
        (answer) => {
          if (!current) return;
          setFound(answer.results);
          setOpen(answer.results.length > 0);
        },
        (failure: unknown) => current && setError(failure),
      );
    }, DIRECTORY_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, text, picked]);

  async function change(action: () => Promise<unknown>): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      setPicked(null);
      setText('');
      tracked.reload();
      onChanged();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <div className={styles.picker}>
        <Field label="Find a person or group in your directory">
          <Combobox
            className={styles.combobox}
            freeform
            placeholder="Name, email or group"
            value={text}
            open={open && found.length > 0}
            onOpenChange={(_event, data) => setOpen(data.open)}
            onChange={(event) => {
              setText(event.target.value);
              setPicked(null);
            }}
            onOptionSelect={(_event, data) => {
              const entry = found.find((candidate) => candidate.id === data.optionValue) ?? null;
              setPicked(entry);
              if (entry) setText(entry.displayName);
            }}
          >
            {found.map((entry) => (
              <Option key={entry.id} value={entry.id} text={entry.displayName}>
                {`${entry.displayName} · ${entry.kind}${entry.email ? ` · ${entry.email}` : ''}`}
              </Option>
            ))}
          </Combobox>
        </Field>
        <Button
          appearance="primary"
          disabled={picked === null || busy}
          onClick={() => picked && void change(() => api.admin.track([picked.id]))}
        >
          {picked ? `Track ${picked.displayName}` : 'Track'}
        </Button>
      </div>
      {error !== undefined && <ErrorNotice error={error} title="Could not change tracking" />}
      {tracked.status === 'loading' && <Spinner size="tiny" label="Loading tracked people…" />}
      {tracked.status === 'failed' && (
        <ErrorNotice error={tracked.error} onRetry={tracked.reload} />
      )}
      {tracked.status === 'done' &&
        (tracked.value.tracked.length === 0 ? (
          <Text as="p">Nobody is tracked yet: WarmPath reads no calendars.</Text>
        ) : (
          <Table size="small" aria-label="Tracked people and groups" data-testid="tracked-table">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Name</TableHeaderCell>
                <TableHeaderCell>Kind</TableHeaderCell>
                <TableHeaderCell>Calendars</TableHeaderCell>
                <TableHeaderCell>
                  <span className="visually-hidden">Actions</span>
                </TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {tracked.value.tracked.map((principal) => (
                <TableRow key={principal.id}>
                  <TableCell>
                    {principal.displayName}{' '}
                    {principal.email && <Caption1>{principal.email}</Caption1>}
                  </TableCell>
                  <TableCell>{principal.kind}</TableCell>
                  <TableCell>{plural(principal.mailboxes, 'calendar')}</TableCell>
                  <TableCell>
                    <Button
                      size="small"
                      disabled={busy}
                      aria-label={`Stop tracking ${principal.displayName}`}
                      onClick={() => void change(() => api.admin.untrack(principal.id))}
                    >
                      Stop tracking
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ))}
    </div>
  );
}
