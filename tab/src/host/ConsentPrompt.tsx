import {
  Button,
  Link,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  Text,
} from '@fluentui/react-components';
import { useState } from 'react';
import { ApiError, errorText } from '../ui/index.js';

/** True for the API's answer when on-behalf-of found no consent (AADSTS65001). */
export function needsConsent(error: unknown): error is ApiError {
  return error instanceof ApiError && error.code === 'consent_required';
}

/**
 * WarmPath may not read the user's profile yet: in Teams, a button opens the consent pop-up and
 * `onConsented` retries; anywhere, the admin consent link for organisations where only admins may.
 */
export function ConsentPrompt({
  error,
  consent,
  onConsented,
}: {
  error: ApiError;
  consent?: ((adminConsentUrl: string) => Promise<void>) | undefined;
  onConsented: () => void;
}) {
  const [state, setState] = useState<
    { step: 'idle' } | { step: 'waiting' } | { step: 'failed'; message: string }
  >({ step: 'idle' });
  const adminConsentUrl = error.adminConsentUrl;

  async function giveConsent(url: string): Promise<void> {
    setState({ step: 'waiting' });
    try {
      await consent!(url);
      setState({ step: 'idle' });
      onConsented();
    } catch (failure) {
      setState({ step: 'failed', message: errorText(failure) });
    }
  }

  return (
    <MessageBar intent="warning" layout="multiline" data-testid="consent-prompt">
      <MessageBarBody>
        <MessageBarTitle>WarmPath needs your permission</MessageBarTitle>
        To know who you are in your organisation, WarmPath reads your Microsoft 365 profile. Give
        your consent once and WarmPath carries on.
        {adminConsentUrl && (
          <>
            {' '}
            If your organisation lets only admins consent,{' '}
            <Link href={adminConsentUrl} target="_blank" rel="noreferrer">
              send your admin the admin consent link
            </Link>
            .
          </>
        )}
        {state.step === 'failed' && (
          <Text as="p" role="alert" block>
            {state.message}
          </Text>
        )}
      </MessageBarBody>
      {consent && adminConsentUrl && (
        <MessageBarActions>
          <Button
            appearance="primary"
            disabled={state.step === 'waiting'}
            onClick={() => void giveConsent(adminConsentUrl)}
          >
            {state.step === 'waiting' ? 'Waiting for your consent…' : 'Give consent'}
          </Button>
        </MessageBarActions>
      )}
    </MessageBar>
  );
}
