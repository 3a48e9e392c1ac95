import {
  Caption1,
  Link,
  Spinner,
  Text,
  Title2,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { routeHref } from '../host/routes.js';
import type { ApiClient } from '../ui/index.js';
import { ErrorNotice, PathCard, coverageText, useAsync } from '../ui/index.js';

const useStyles = makeStyles({
  page: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    maxWidth: '720px',
  },
});

export function PersonPage({ api, id }: { api: ApiClient; id: string }) {
  const styles = useStyles();
  const page = useAsync(() => api.person(id), [api, id]);
  if (page.status === 'loading') return <Spinner label="Loading…" />;
  if (page.status === 'failed') return <ErrorNotice error={page.error} onRetry={page.reload} />;
  const { person, paths, coverage } = page.value;

  return (
    <article className={styles.page} aria-labelledby="person-title">
      <div>
        <Title2 as="h1" id="person-title" block>
          {person.displayName}
        </Title2>
        <Caption1 as="p" block>
          {person.email}
          {person.domain && !person.internal && (
            <>
              {' · '}
              <Link href={routeHref({ page: 'company', domain: person.domain })}>
                {person.domain}
              </Link>
            </>
          )}
          {' · '}
          {coverageText(coverage)}
        </Caption1>
      </div>
      {person.internal ? (
        <Text>{person.displayName} is a colleague: no introduction needed.</Text>
      ) : (
        <section aria-labelledby="person-paths-title">
          <Title3 as="h2" id="person-paths-title">
            Who can introduce you
          </Title3>
          {paths.length === 0 && (
            <Text>Nobody at your company has met {person.displayName} yet.</Text>
          )}
          {paths.map((path) => (
            <PathCard
              key={path.connector.id}
              path={path}
              target={{ kind: 'person', email: person.email }}
              api={api}
            />
          ))}
        </section>
      )}
    </article>
  );
}
