import {
  Button,
  Caption1,
  Link,
  Spinner,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  Text,
  Title2,
  Title3,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useState } from 'react';
import { routeHref } from '../host/routes.js';
import type { ApiClient } from '../ui/index.js';
import {
  ErrorNotice,
  PathCard,
  StrengthBadge,
  coverageText,
  plural,
  useAsync,
} from '../ui/index.js';
import { MeetingHistory } from './MeetingHistory.js';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  paths: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    maxWidth: '720px',
  },
  path: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
});

export function CompanyPage({ api, domain }: { api: ApiClient; domain: string }) {
  const styles = useStyles();
  const page = useAsync(() => api.company(domain), [api, domain]);
  const [openHistory, setOpenHistory] = useState<string | null>(null);

  if (page.status === 'loading') return <Spinner label={`Loading ${domain}…`} />;
  if (page.status === 'failed') return <ErrorNotice error={page.error} onRetry={page.reload} />;
  const { company, paths, contacts, coverage } = page.value;
  const target = { kind: 'company', domain: company.domain } as const;

  return (
    <article className={styles.page} aria-labelledby="company-title">
      <div>
        <Title2 as="h1" id="company-title" block>
          {company.name}
        </Title2>
        <Caption1 as="p" block>
          {company.domain} · {coverageText(coverage)}
        </Caption1>
      </div>
      <section aria-labelledby="paths-title" className={styles.paths}>
        <Title3 as="h2" id="paths-title">
          Who can introduce you
        </Title3>
        {paths.length === 0 && <Text>Nobody at your company has met {company.name} yet.</Text>}
        {paths.map((path) => (
          <div key={path.connector.id} className={styles.path}>
            <PathCard path={path} target={target} api={api} />
            <Button
              appearance="subtle"
              aria-expanded={openHistory === path.connector.id}
              onClick={() =>
                setOpenHistory(openHistory === path.connector.id ? null : path.connector.id)
              }
            >
              {openHistory === path.connector.id
                ? 'Hide meeting history'
                : `Meeting history behind ${path.connector.displayName}’s score`}
            </Button>
            {openHistory === path.connector.id && (
              <MeetingHistory
                api={api}
                domain={company.domain}
                connectorId={path.connector.id}
                connectorName={path.connector.displayName}
              />
            )}
          </div>
        ))}
      </section>
      <section aria-labelledby="contacts-title">
        <Title3 as="h2" id="contacts-title">
          Their people you have met
        </Title3>
        {contacts.length === 0 ? (
          <Text>No contacts on record.</Text>
        ) : (
          <Table size="small" aria-labelledby="contacts-title">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Contact</TableHeaderCell>
                <TableHeaderCell>Known by</TableHeaderCell>
                <TableHeaderCell>Strongest tie</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {contacts.map((contact) => (
                <TableRow key={contact.id}>
                  <TableCell>
                    <Link href={routeHref({ page: 'person', id: contact.id })}>
                      {contact.displayName}
                    </Link>{' '}
                    <Caption1>{contact.email}</Caption1>
                  </TableCell>
                  <TableCell>{plural(contact.knownBy, 'colleague')}</TableCell>
                  <TableCell>
                    <StrengthBadge
                      strength={contact.strongest.strength}
                      label={contact.strongest.label}
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>
    </article>
  );
}
