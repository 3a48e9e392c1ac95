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
  tokens,
  webDarkTheme,
  webLightTheme,
} from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import {
  ErrorNotice,
  LocalSignIn,
  createApiClient,
  listLocalUsers,
  localTokenProvider,
  rememberLocalUpn,
  rememberedLocalUpn,
  useAsync,
  type ApiClient,
  type LocalUser,
  type TokenProvider,
} from '@warmpath/tab/ui';
import { dialogTokenProvider, naaTokenProvider, ssoConfigFromEnv } from '../auth/addin-sso.js';
import { connectToOutlook, type OutlookHost } from '../office/outlook-host.js';
import { readParticipants, type Participant } from '../office/read-participants.js';
import { splitParticipants } from './external-participants.js';
import { ParticipantPaths } from './ParticipantPaths.js';

const useStyles = makeStyles({
  root: { minHeight: '100vh' },
  pane: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
  },
  bar: {
    display: 'flex',
    justifyContent: 'space-between',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
  },
});

type Boot =
  | { step: 'connecting' }
  | { step: 'signed-in'; host: OutlookHost | null; getToken: TokenProvider; localUser?: LocalUser }
  | { step: 'local-sign-in'; host: OutlookHost | null; users: LocalUser[] }
  | { step: 'stuck'; title: string; message: string };

async function startPane(): Promise<Boot> {
  const [host, localUsers] = await Promise.all([connectToOutlook(), listLocalUsers()]);
  if (localUsers !== null) {
    // the service runs on its simulator: only simulator tokens work, in Outlook or not
    const upn = rememberedLocalUpn();
    const localUser = localUsers.find((user) => user.upn === upn);
    return localUser
      ? { step: 'signed-in', host, getToken: localTokenProvider(localUser.upn), localUser }
      : { step: 'local-sign-in', host, users: localUsers };
  }
  if (host === null) {
    return {
      step: 'stuck',
      title: 'Open WarmPath from Outlook.',
      message: 'This pane works inside Outlook, next to an email or a meeting.',
    };
  }
  const config = ssoConfigFromEnv(import.meta.env, window.location.origin);
  if (config === null) {
    return {
      step: 'stuck',
      title: 'WarmPath is not set up yet.',
      message: 'This copy of the add-in has no sign-in settings. Tell your Microsoft 365 admin.',
    };
  }
  const getToken = host.supports('NestedAppAuth', '1.1')
    ? naaTokenProvider(config)
    : dialogTokenProvider(new URL('auth-dialog.html', window.location.href).href);
  return { step: 'signed-in', host, getToken };
}

function officeIsDark(): boolean {
  try {
    return typeof Office !== 'undefined' && Office.context?.officeTheme?.isDarkTheme === true;
  } catch {
    return false;
  }
}

export function PaneApp() {
  const styles = useStyles();
  const [boot, setBoot] = useState<Boot>({ step: 'connecting' });
  useEffect(() => {
    startPane().then(setBoot, (error: unknown) =>
      setBoot({
        step: 'stuck',
        title: 'WarmPath could not start.',
        message: error instanceof Error ? error.message : 'Close the pane and open it again.',
      }),
    );
  }, []);

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
      <LocalSignIn
        users={boot.users}
        onSignedIn={(upn) =>
          setBoot({
            step: 'signed-in',
            host: boot.host,
            getToken: localTokenProvider(upn),
            localUser: boot.users.find((user) => user.upn === upn),
          })
        }
      />
    );
  } else {
    content = (
      <SignedInPane
        host={boot.host}
        getToken={boot.getToken}
        localUser={boot.localUser}
        onSwitchUser={async () => {
          rememberLocalUpn(null);
          setBoot(await startPane());
        }}
      />
    );
  }
  return (
    <FluentProvider theme={officeIsDark() ? webDarkTheme : webLightTheme} className={styles.root}>
      <main className={styles.pane} aria-label="WarmPath">
        {content}
      </main>
    </FluentProvider>
  );
}

function SignedInPane({
  host,
  getToken,
  localUser,
  onSwitchUser,
}: {
  host: OutlookHost | null;
  getToken: TokenProvider;
  localUser?: LocalUser;
  onSwitchUser: () => void;
}) {
  const styles = useStyles();
  const api = useMemo(() => createApiClient({ getToken }), [getToken]);
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
