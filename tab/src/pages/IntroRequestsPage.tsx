import {
  Badge,
  Button,
  Caption1,
  Card,
  CardHeader,
  Link,
  Spinner,
  Text,
  Title2,
  Title3,
  makeStyles,
  tokens,
  type BadgeProps,
} from '@fluentui/react-components';
import { useState } from 'react';
import { routeHref } from '../host/routes.js';
import type { ApiClient, IntroRequest } from '../ui/index.js';
import { ErrorNotice, daysAgo, errorText, useAsync } from '../ui/index.js';

const useStyles = makeStyles({
  page: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXL,
    maxWidth: '720px',
  },
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
  },
  note: { color: tokens.colorNeutralForeground2, fontStyle: 'italic' },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  failed: { color: tokens.colorPaletteRedForeground1 },
  badge: { whiteSpace: 'nowrap', flexShrink: 0 },
});

const STATUS: Record<IntroRequest['status'], { text: string; color: BadgeProps['color'] }> = {
  pending: { text: 'Waiting for an answer', color: 'warning' },
  accepted: { text: 'Accepted', color: 'success' },
  declined: { text: 'Declined', color: 'danger' },
};

function StatusBadge({ status }: { status: IntroRequest['status'] }) {
  const styles = useStyles();
  return (
    <Badge
      className={styles.badge}
      appearance="tint"
      color={STATUS[status].color}
      data-testid="request-status"
    >
      {STATUS[status].text}
    </Badge>
  );
}

/** Whom the intro is to: a company page link, or the person's address. */
function TargetText({ target }: { target: IntroRequest['target'] }) {
  return target.kind === 'company' ? (
    <Link href={routeHref({ page: 'company', domain: target.domain })}>{target.domain}</Link>
  ) : (
    <>{target.email}</>
  );
}

function whenText(request: IntroRequest): string {
  const asked = `asked ${daysAgo(request.createdAt)}`;
  return request.decidedAt === null ? asked : `${asked}, answered ${daysAgo(request.decidedAt)}`;
}

/** The caller's intro requests: the ones they were asked to make, and the ones they asked for. */
export function IntroRequestsPage({ api }: { api: ApiClient }) {
  const styles = useStyles();
  const lists = useAsync(() => api.introRequests(), [api], { keepPrevious: true });
  if (lists.status === 'loading') return <Spinner label="Loading your intro requests…" />;
  if (lists.status === 'failed') return <ErrorNotice error={lists.error} onRetry={lists.reload} />;
  const { sent, received } = lists.value;

  return (
    <article className={styles.page} aria-labelledby="requests-title">
      <Title2 as="h1" id="requests-title">
        Intro requests
      </Title2>
      <section aria-labelledby="received-title" data-testid="received-requests">
        <Title3 as="h2" id="received-title" block>
          Asked of you
        </Title3>
        {received.length === 0 ? (
          <Text>Nobody has asked you for an introduction yet.</Text>
        ) : (
          <ul className={styles.list}>
            {received.map((request) => (
              <li key={request.id}>
                <ReceivedRequest api={api} request={request} onDecided={lists.reload} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="sent-title" data-testid="sent-requests">
        <Title3 as="h2" id="sent-title" block>
          You asked
        </Title3>
        {sent.length === 0 ? (
          <Text>
            You have not asked anyone for an introduction yet.{' '}
            <Link href={routeHref({ page: 'search' })}>Search for a company</Link> to see who can
            introduce you.
          </Text>
        ) : (
          <ul className={styles.list}>
            {sent.map((request) => (
              <li key={request.id}>
                <Card
                  data-testid="intro-request"
                  aria-label={`Your request to ${request.connector.displayName}`}
                >
                  <CardHeader
                    header={
                      <Text weight="semibold">
                        {request.connector.displayName}, for an intro to{' '}
                        <TargetText target={request.target} />
                      </Text>
                    }
                    description={<Caption1>{whenText(request)}</Caption1>}
                    action={<StatusBadge status={request.status} />}
                  />
                  {request.note && <Text className={styles.note}>“{request.note}”</Text>}
                </Card>
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}

/** One request to the caller: Accept or Decline while it waits, its outcome afterwards. */
function ReceivedRequest({
  api,
  request,
  onDecided,
}: {
  api: ApiClient;
  request: IntroRequest;
  onDecided: () => void;
}) {
  const styles = useStyles();
  const [state, setState] = useState<
    { step: 'idle' } | { step: 'sending' } | { step: 'failed'; message: string }
  >({ step: 'idle' });
  const who = request.requester.displayName;

  async function decide(decision: 'accept' | 'decline'): Promise<void> {
    setState({ step: 'sending' });
    try {
      await api.decideIntroRequest(request.id, decision);
      setState({ step: 'idle' });
      onDecided();
    } catch (error) {
      setState({ step: 'failed', message: errorText(error) });
    }
  }

  return (
    <Card data-testid="intro-request" aria-label={`Request from ${who}`}>
      <CardHeader
        header={
          <Text weight="semibold">
            {who} asks you for an intro to <TargetText target={request.target} />
          </Text>
        }
        description={<Caption1>{whenText(request)}</Caption1>}
        action={<StatusBadge status={request.status} />}
      />
      {request.note && <Text className={styles.note}>“{request.note}”</Text>}
      {request.status === 'pending' && (
        <div className={styles.actions}>
          <Button
            appearance="primary"
            disabled={state.step === 'sending'}
            aria-label={`Accept ${who}’s request`}
            onClick={() => void decide('accept')}
          >
            Accept
          </Button>
          <Button
            disabled={state.step === 'sending'}
            aria-label={`Decline ${who}’s request`}
            onClick={() => void decide('decline')}
          >
            Decline
          </Button>
        </div>
      )}
      {state.step === 'failed' && (
        <Text role="alert" className={styles.failed}>
          Your answer was not saved: {state.message}
        </Text>
      )}
    </Card>
  );
}
