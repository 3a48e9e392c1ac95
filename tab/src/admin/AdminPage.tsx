import { Title2, Title3, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { ApiClient } from '../ui/index.js';
import { ConsentStatus } from './ConsentStatus.js';
import { SettingsForm } from './SettingsForm.js';
import { SyncDashboard } from './SyncDashboard.js';
import { TrackedPrincipals } from './TrackedPrincipals.js';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
});

/** The admin console: consent, who is tracked, settings, and the sync dashboard. */
export function AdminPage({ api }: { api: ApiClient }) {
  const styles = useStyles();
  // a tracking change shows up on the dashboard at once, not at the next poll
  const [trackingChanges, setTrackingChanges] = useState(0);
  const [mailboxCount, setMailboxCount] = useState(0);
  return (
    <div className={styles.page}>
      <Title2 as="h1">Admin</Title2>
      <section className={styles.section} aria-labelledby="consent-title">
        <Title3 as="h2" id="consent-title">
          Consent
        </Title3>
        <ConsentStatus api={api} />
      </section>
      <section className={styles.section} aria-labelledby="tracked-title">
        <Title3 as="h2" id="tracked-title">
          Whose calendars WarmPath reads
        </Title3>
        <TrackedPrincipals
          api={api}
          refreshKey={mailboxCount}
          onChanged={() => setTrackingChanges((n) => n + 1)}
        />
      </section>
      <section className={styles.section} aria-labelledby="sync-title">
        <Title3 as="h2" id="sync-title">
          Sync
        </Title3>
        <SyncDashboard api={api} refreshKey={trackingChanges} onMailboxCount={setMailboxCount} />
      </section>
      <section className={styles.section} aria-labelledby="settings-title">
        <Title3 as="h2" id="settings-title">
          Settings
        </Title3>
        <SettingsForm api={api} />
      </section>
    </div>
  );
}
