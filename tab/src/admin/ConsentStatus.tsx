import {
  Link,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
} from '@fluentui/react-components';
import type { ApiClient } from '../ui/index.js';
import { ErrorNotice, useAsync } from '../ui/index.js';

/** Whether the tenant's admin has consented to WarmPath's Graph permissions, and where to do it. */
export function ConsentStatus({ api }: { api: ApiClient }) {
  const consent = useAsync(() => api.admin.consent(), [api]);
  if (consent.status === 'loading') return <Spinner size="tiny" label="Checking consent…" />;
  if (consent.status === 'failed')
    return <ErrorNotice error={consent.error} onRetry={consent.reload} />;
  const { granted, adminConsentUrl } = consent.value;
  return granted ? (
    <MessageBar intent="success" data-testid="consent-status">
      <MessageBarBody>
        <MessageBarTitle>Admin consent granted.</MessageBarTitle>
        WarmPath may read calendar metadata of the people you track.{' '}
        <Link href={adminConsentUrl} target="_blank" rel="noreferrer">
          Review consent
        </Link>
      </MessageBarBody>
    </MessageBar>
  ) : (
    <MessageBar intent="warning" data-testid="consent-status">
      <MessageBarBody>
        <MessageBarTitle>Admin consent is missing.</MessageBarTitle>
        WarmPath cannot read calendars until a Global Administrator grants consent.{' '}
        <Link href={adminConsentUrl} target="_blank" rel="noreferrer">
          Grant admin consent
        </Link>
      </MessageBarBody>
    </MessageBar>
  );
}
