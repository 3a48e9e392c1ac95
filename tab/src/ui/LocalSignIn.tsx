import {
  Button,
  Dropdown,
  Field,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Spinner,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { localSignIn } from './api-client.js';
import type { LocalUser } from './api-types.js';
import { ErrorNotice } from './ErrorNotice.js';
import { rememberLocalUpn } from './local-session.js';

const useStyles = makeStyles({
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    maxWidth: '420px',
  },
});

/** The clearly labelled sign-in against the tenant simulator, for trying WarmPath in a browser. */
export function LocalSignIn({
  users,
  onSignedIn,
  baseUrl = '',
}: {
  users: LocalUser[];
  onSignedIn: (upn: string) => void;
  baseUrl?: string;
}) {
  const styles = useStyles();
  const [upn, setUpn] = useState<string>(users[0]?.upn ?? '');
  const [state, setState] = useState<{ busy: boolean; error?: unknown }>({ busy: false });

  async function signIn(): Promise<void> {
    setState({ busy: true });
    try {
      await localSignIn(upn, baseUrl);
      rememberLocalUpn(upn);
      onSignedIn(upn);
    } catch (error) {
      setState({ busy: false, error });
    }
  }

  const chosen = users.find((user) => user.upn === upn);
  return (
    <form
      className={styles.form}
      aria-labelledby="local-sign-in-title"
      onSubmit={(event) => {
        event.preventDefault();
        void signIn();
      }}
    >
      <Title3 as="h1" id="local-sign-in-title">
        Local sign-in (simulator)
      </Title3>
      <MessageBar intent="warning">
        <MessageBarBody>
          <MessageBarTitle>Not a real Microsoft 365 sign-in.</MessageBarTitle>
          WarmPath is running against its tenant simulator. Pick a simulated colleague to see
          WarmPath as they would.
        </MessageBarBody>
      </MessageBar>
      <Field label="Sign in as">
        <Dropdown
          value={chosen ? `${chosen.displayName}${chosen.isAdmin ? ' (admin)' : ''}` : ''}
          selectedOptions={upn ? [upn] : []}
          onOptionSelect={(_event, data) => setUpn(data.optionValue ?? '')}
        >
          {users.map((user) => (
            <Option
              key={user.upn}
              value={user.upn}
              text={`${user.displayName}${user.isAdmin ? ' (admin)' : ''}`}
            >
              {`${user.displayName}${user.isAdmin ? ' (admin)' : ''} — ${user.upn}`}
            </Option>
          ))}
        </Dropdown>
      </Field>
      <Button type="submit" appearance="primary" disabled={!upn || state.busy}>
        {state.busy ? <Spinner size="tiny" label="Signing in…" /> : 'Sign in (simulator)'}
      </Button>
      {state.error !== undefined && <ErrorNotice error={state.error} title="Sign-in failed" />}
    </form>
  );
}
