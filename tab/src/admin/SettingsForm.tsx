import {
  Button,
  Field,
  Spinner,
  SpinButton,
  Switch,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import type { AdminSettings, ApiClient } from '../ui/index.js';
import { ErrorNotice, useAsync } from '../ui/index.js';

const useStyles = makeStyles({
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    maxWidth: '520px',
  },
  row: { display: 'flex', gap: tokens.spacingHorizontalL, flexWrap: 'wrap' },
});

/** One entry a line (or comma separated), trimmed and lower-cased, blanks dropped. */
export function parseList(text: string): string[] {
  return text
    .split(/[\n,;]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
}

function NumberField({
  label,
  value,
  min,
  max,
  onChange,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
}) {
  return (
    <Field label={label}>
      <SpinButton
        value={value}
        min={min}
        max={max}
        onChange={(_event, data) => {
          const next = data.value ?? Number(data.displayValue);
          if (Number.isFinite(next)) onChange(Math.min(max, Math.max(min, Math.round(next))));
        }}
      />
    </Field>
  );
}

export function SettingsForm({ api }: { api: ApiClient }) {
  const loaded = useAsync(() => api.admin.settings(), [api]);
  if (loaded.status === 'loading') return <Spinner size="tiny" label="Loading settings…" />;
  if (loaded.status === 'failed')
    return <ErrorNotice error={loaded.error} onRetry={loaded.reload} />;
  return <SettingsEditor api={api} initial={loaded.value} />;
}

function SettingsEditor({ api, initial }: { api: ApiClient; initial: AdminSettings }) {
  const styles = useStyles();
  const [draft, setDraft] = useState<AdminSettings>(initial);
  const [domains, setDomains] = useState(initial.excludedDomains.join('\n'));
  const [addresses, setAddresses] = useState(initial.excludedAddresses.join('\n'));
  const [state, setState] = useState<{ busy: boolean; saved?: boolean; error?: unknown }>({
    busy: false,
  });
  const set = (change: Partial<AdminSettings>) => {
    setDraft({ ...draft, ...change });
    setState({ busy: false });
  };

  async function save(): Promise<void> {
    setState({ busy: true });
    try {
      const saved = await api.admin.saveSettings({
        ...draft,
        excludedDomains: parseList(domains),
        excludedAddresses: parseList(addresses),
      });
      setDraft(saved);
      setDomains(saved.excludedDomains.join('\n'));
      setAddresses(saved.excludedAddresses.join('\n'));
      setState({ busy: false, saved: true });
    } catch (error) {
      setState({ busy: false, error });
    }
  }

  return (
    <form
      className={styles.form}
      aria-label="Sync settings"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <Switch
        label="Include private appointments (only their times and sizes are kept)"
        checked={draft.syncPrivateAppointments}
        onChange={(_event, data) => set({ syncPrivateAppointments: data.checked })}
      />
      <Switch
        label="Only count online meetings"
        checked={draft.onlyOnlineMeetings}
        onChange={(_event, data) => set({ onlyOnlineMeetings: data.checked })}
      />
      <div className={styles.row}>
        <NumberField
          label="Look back (months)"
          value={draft.lookBackMonths}
          min={1}
          max={60}
          onChange={(lookBackMonths) => set({ lookBackMonths })}
        />
        <NumberField
          label="Look ahead (months)"
          value={draft.lookAheadMonths}
          min={0}
          max={12}
          onChange={(lookAheadMonths) => set({ lookAheadMonths })}
        />
        <NumberField
          label="Calendars per mailbox"
          value={draft.maxCalendarsPerMailbox}
          min={1}
          max={50}
          onChange={(maxCalendarsPerMailbox) => set({ maxCalendarsPerMailbox })}
        />
      </div>
      <Field
        label="Excluded domains"
        hint="One a line, e.g. lawfirm.com: meetings with them never count."
      >
        <Textarea
          value={domains}
          onChange={(_event, data) => setDomains(data.value)}
          resize="vertical"
        />
      </Field>
      <Field
        label="Excluded addresses"
        hint="One a line, e.g. ceo@contoso.com: their calendar is never read."
      >
        <Textarea
          value={addresses}
          onChange={(_event, data) => setAddresses(data.value)}
          resize="vertical"
        />
      </Field>
      <div>
        <Button type="submit" appearance="primary" disabled={state.busy}>
          {state.busy ? 'Saving…' : 'Save settings'}
        </Button>
      </div>
      <div role="status" aria-live="polite">
        {state.saved && <Text>Settings saved. They apply from the next sync.</Text>}
      </div>
      {state.error !== undefined && <ErrorNotice error={state.error} title="Settings not saved" />}
    </form>
  );
}
