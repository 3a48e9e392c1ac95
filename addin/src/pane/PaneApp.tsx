import {
  Button,
  Field,
  FluentProvider,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  teamsHighContrastTheme,
  tokens,
  webDarkTheme,
  webLightTheme,
  type Theme,
} from '@fluentui/react-components';
import { Suspense, lazy, useEffect, useState } from 'react';
import {
  ErrorNotice,
  localTokenProvider,
  rememberLocalUpn,
  useAsync,
  type ApiClient,
  type LocalUser,
} from '@warmpath/tab/ui';
import {
  currentOfficeTheme,
  forcedColorsActive,
  paneThemeOf,
  type PaneTheme,
} from '../office/office-theme.js';
import type { OutlookHost } from '../office/outlook-host.js';
import { readParticipants, type Participant } from '../office/read-participants.js';
import { splitParticipants } from './external-participants.js';
import { ParticipantPaths } from './ParticipantPaths.js';
import { signedIn, startPane, type Boot } from './start-pane.js';

// the simulator sign-in is only needed until a user is remembered: kept out of the first load
const LocalSignIn = lazy(() =>
  import('@warmpath/tab/ui/local-sign-in').then((module) => ({ default: module.LocalSignIn })),
);

const useStyles = makeStyles({
  pane: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
    // the theme's background fills the whole pane, not only what the content covers
    minHeight: '100vh',
    boxSizing: 'border-box',
  },
  bar: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
  },
});

const THEMES: Record<PaneTheme, Theme> = {
  light: webLightTheme,
  dark: webDarkTheme,
  contrast: teamsHighContrastTheme,
};

/** The Office theme now, and again whenever Outlook or Windows high contrast changes it. */
function usePaneTheme(host: OutlookHost | null): PaneTheme {
  const [theme, setTheme] = useState(() => paneThemeOf(currentOfficeTheme(), forcedColorsActive()));
  useEffect(() => {
    // office.js may have been ready only now: read it once more
    setTheme(paneThemeOf(currentOfficeTheme(), forcedColorsActive()));
    host?.onThemeChanged((officeTheme) => setTheme(paneThemeOf(officeTheme, forcedColorsActive())));
    const contrast = window.matchMedia?.('(forced-colors: active)');
    const follow = () => setTheme(paneThemeOf(currentOfficeTheme(), forcedColorsActive()));
    contrast?.addEventListener('change', follow);
    return () => contrast?.removeEventListener('change', follow);
  }, [host]);
  return theme;
}

export function PaneApp({ booting }: { booting: Promise<Boot> }) {
  const styles = useStyles();
  const [boot, setBoot] = useState<Boot>({ step: 'connecting' });
  useEffect(() => {
    booting.then(setBoot, (error: unknown) =>
      setBoot({
        step: 'stuck',
        title: 'WarmPath could not start.',
        message: error instanceof Error ? error.message : 'Close the pane and open it again.',
      }),
    );
  }, [booting]);

  const theme = usePaneTheme(
    boot.step === 'signed-in' || boot.step === 'local-sign-in' ? boot.host : null,
  );

  let content;
  if (boot.step === 'connecting') content = <Spinner label="Starting WarmPath…" />;
  else if (boot.step === 'stuck') {
    content = (
      <MessageBar intent="info">
        <MessageBarBody>
          <MessageBarTitle>{boot.title}</MessageBarTitle>
          {boot.message}
        </MessageBarBody>
      </MessageBar>
    );
  } else if (boot.step === 'local-sign-in') {
    content = (
      <Suspense fallback={<Spinner label="Loading sign-in…" />}>
        <LocalSignIn
          users={boot.users}
          onSignedIn={(upn) =>
            setBoot(
              signedIn(
                boot.host,
                localTokenProvider(upn),
                boot.users.find((user) => user.upn === upn),
              ),
            )
          }
        />
      </Suspense>
    );
  } else {
    content = (
      <SignedInPane
        host={boot.host}
        api={boot.api}
        localUser={boot.localUser}
        onSwitchUser={async () => {
          rememberLocalUpn(null);
          setBoot(await startPane());
        }}
      />
    );
  }
  return (
    // styles go on an inner element: Fluent copies the provider's classes onto popup portals
    <FluentProvider theme={THEMES[theme]} data-theme={theme}>
      <main className={styles.pane} aria-label="WarmPath">
        {content}
      </main>
    </FluentProvider>
  );
}

function SignedInPane({
  host,
  api,
  localUser,
  onSwitchUser,
}: {
  host: OutlookHost | null;
  api: ApiClient;
  localUser?: LocalUser;
  onSwitchUser: () => void;
}) {
  const styles = useStyles();
  return (
    <>
      {localUser && (
        <div className={styles.bar}>
          <Text size={200}>Local sign-in (simulator): {localUser.displayName}</Text>
          <Button size="small" onClick={onSwitchUser}>
            Switch user
          </Button>
        </div>
      )}
      {host ? (
        <OutlookItemPane api={api} host={host} />
      ) : (
        <TryWithoutOutlook api={api} userEmail={localUser?.upn ?? null} />
      )}
    </>
  );
}

/** Follows the selected item: a pinned pane re-reads it on every ItemChanged. */
function OutlookItemPane({ api, host }: { api: ApiClient; host: OutlookHost }) {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    host.onItemChanged(() => setVersion((n) => n + 1));
    host.onRecipientsChanged(() => setVersion((n) => n + 1));
  }, [host]);
  const participants = useAsync(async () => {
    const item = host.currentItem();
    return item === null ? null : await readParticipants(item);
  }, [host, version]);

  if (participants.status === 'loading')
    return <Spinner size="small" label="Reading the participants…" />;
  if (participants.status === 'failed') {
    return (
      <ErrorNotice
        title="Outlook did not give the participants"
        error={participants.error}
        onRetry={participants.reload}
      />
    );
  }
  if (participants.value === null) {
    return (
      <MessageBar intent="info" data-testid="empty-state">
        <MessageBarBody>Select an email or a meeting to see who can introduce you.</MessageBarBody>
      </MessageBar>
    );
  }
  return (
    <ParticipantPaths api={api} split={splitParticipants(participants.value, host.userEmail)} />
  );
}

/** Local mode in a plain browser: type the addresses an email would have. */
function TryWithoutOutlook({ api, userEmail }: { api: ApiClient; userEmail: string | null }) {
  const [text, setText] = useState('');
  const [asked, setAsked] = useState<Participant[] | null>(null);
  return (
    <>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setAsked(
            text
              .split(/[\s,;]+/)
              .filter((email) => email !== '')
              .map((email) => ({ email, displayName: email, role: 'to' as const })),
          );
        }}
      >
        <Field
          label="Try it without Outlook: the addresses on an email"
          hint="Separate them with spaces or commas."
        >
          <Textarea value={text} onChange={(_event, data) => setText(data.value)} />
        </Field>
        <Button type="submit" appearance="primary" style={{ marginTop: tokens.spacingVerticalS }}>
          Show paths
        </Button>
      </form>
      {asked && <ParticipantPaths api={api} split={splitParticipants(asked, userEmail)} />}
    </>
  );
}
