import {
  Caption1,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect } from 'react';
import {
  ErrorNotice,
  PathCard,
  coverageText,
  plural,
  stillSyncing,
  useAsync,
  type ApiClient,
  type Coverage,
  type ParticipantsAnswer,
} from '@warmpath/tab/ui';
import { shownName, type ParticipantSplit } from './external-participants.js';
import { participantsKey, takePrefetchedAnswer } from './start-pane.js';

/** Paths shown per company or person; the rest are one search away in the Teams tab. */
export const TOP_PATHS = 3;

/** Marked once, when the pane first shows paths: `npm run bench -- pane` reads it as time-to-first-paths. */
export const FIRST_PATHS_MARK = 'warmpath:first-paths';

const useStyles = makeStyles({
  list: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  group: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  who: { color: tokens.colorNeutralForeground2 },
});

function NoPathsNote({ reason, coverage }: { reason?: string; coverage: Coverage }) {
  if (stillSyncing(coverage)) {
    return (
      <Text size={200}>
        Nobody yet. WarmPath is still reading calendars ({coverage.mailboxesSynced} of{' '}
        {coverage.mailboxesTracked} done); check back soon.
      </Text>
    );
  }
  return <Text size={200}>{reason ?? 'Nobody at your company has met them yet.'}</Text>;
}

/** The participants' companies and people with the best paths to each. */
export function ParticipantPaths({ api, split }: { api: ApiClient; split: ParticipantSplit }) {
  const emails = split.external.map((entry) => entry.email);
  const key = participantsKey(emails);
  const answer = useAsync<ParticipantsAnswer | null>(
    () =>
      emails.length === 0
        ? Promise.resolve(null)
        : (takePrefetchedAnswer(key) ?? api.participants(emails)),
    [api, key],
  );

  if (emails.length === 0) {
    return (
      <MessageBar intent="info" data-testid="empty-state">
        <MessageBarBody>
          <MessageBarTitle>Only colleagues here.</MessageBarTitle>
          Everyone on this item works at your company, so there is nobody to be introduced to.
        </MessageBarBody>
      </MessageBar>
    );
  }
  if (answer.status === 'loading') return <Spinner size="small" label="Finding who knows them…" />;
  if (answer.status === 'failed') {
    return <ErrorNotice error={answer.error} onRetry={answer.reload} />;
  }
  if (answer.value === null) return null;
  return <Answer answer={answer.value} api={api} split={split} />;
}

function Answer({
  answer,
  api,
  split,
}: {
  answer: ParticipantsAnswer;
  api: ApiClient;
  split: ParticipantSplit;
}) {
  const styles = useStyles();
  const { companies, people, coverage } = answer;
  const anyPaths =
    companies.some((company) => company.paths.length > 0) ||
    people.some((person) => person.paths.length > 0);

  useEffect(() => {
    if (anyPaths && performance.getEntriesByName(FIRST_PATHS_MARK).length === 0) {
      performance.mark(FIRST_PATHS_MARK);
    }
  }, [anyPaths]);

  if (companies.length === 0 && people.length === 0) {
    return (
      <MessageBar intent="info" data-testid="empty-state">
        <MessageBarBody>
          <MessageBarTitle>Only colleagues here.</MessageBarTitle>
          Everyone on this item works at your company, so there is nobody to be introduced to.
        </MessageBarBody>
      </MessageBar>
    );
  }

  return (
    <div className={styles.list}>
      {coverage.mailboxesTracked === 0 ? (
        <MessageBar intent="warning" data-testid="empty-state">
          <MessageBarBody>
            <MessageBarTitle>WarmPath is not reading any calendars yet.</MessageBarTitle>
            Your admin chooses whose calendars count in the WarmPath tab in Teams.
          </MessageBarBody>
        </MessageBar>
      ) : !anyPaths && stillSyncing(coverage) ? (
        <MessageBar intent="info" data-testid="empty-state">
          <MessageBarBody>
            <MessageBarTitle>Still syncing.</MessageBarTitle>
            WarmPath has read {coverage.mailboxesSynced} of{' '}
            {plural(coverage.mailboxesTracked, 'calendar')} so far. Paths appear here as it goes.
          </MessageBarBody>
        </MessageBar>
      ) : !anyPaths ? (
        <MessageBar intent="info" data-testid="empty-state">
          <MessageBarBody>
            <MessageBarTitle>Nobody knows them yet.</MessageBarTitle>
            No one at your company has met these people in the calendars WarmPath reads.
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {companies.map((company) => (
        <section
          key={company.domain}
          className={styles.group}
          aria-labelledby={`company-${company.domain}`}
          data-testid="company-group"
        >
          <Title3 as="h2" id={`company-${company.domain}`}>
            {company.name}
          </Title3>
          <Caption1 className={styles.who}>
            {company.people.map((person) => shownName(person, split)).join(', ')}
          </Caption1>
          {company.paths.length === 0 && (
            <NoPathsNote reason={company.reason} coverage={coverage} />
          )}
          {company.paths.slice(0, TOP_PATHS).map((path) => (
            <PathCard
              key={path.connector.id}
              path={path}
              target={{ kind: 'company', domain: company.domain }}
              api={api}
            />
          ))}
        </section>
      ))}
      {people.map((person) => (
        <section
          key={person.email}
          className={styles.group}
          aria-labelledby={`person-${person.email}`}
          data-testid="person-group"
        >
          <Title3 as="h2" id={`person-${person.email}`}>
            {shownName(person, split)}
          </Title3>
          <Caption1 className={styles.who}>{person.email}</Caption1>
          {person.paths.length === 0 && <NoPathsNote reason={person.reason} coverage={coverage} />}
          {person.paths.slice(0, TOP_PATHS).map((path) => (
            <PathCard
              key={path.connector.id}
              path={path}
              target={{ kind: 'person', email: person.email }}
              api={api}
            />
          ))}
        </section>
      ))}
      <Caption1>{coverageText(coverage)}</Caption1>
    </div>
  );
}
