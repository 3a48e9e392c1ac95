import {
  Caption1,
  Combobox,
  Field,
  Option,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { routeHref } from '../host/routes.js';
import type { ApiClient, SearchResult } from '../ui/index.js';
import { ErrorNotice } from '../ui/index.js';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL },
  box: { maxWidth: '560px' },
  combobox: { width: '100%' },
});

/** Typeahead waits this long after the last key before asking the service. */
const TYPEAHEAD_DELAY_MS = 150;

function resultKey(result: SearchResult): string {
  return result.kind === 'company' ? `company:${result.domain}` : `person:${result.id}`;
}

function resultHref(result: SearchResult): string {
  return result.kind === 'company'
    ? routeHref({ page: 'company', domain: result.domain })
    : routeHref({ page: 'person', id: result.id });
}

export function SearchPage({ api }: { api: ApiClient }) {
  const styles = useStyles();
  const [text, setText] = useState('');
  const [results, setResults] = useState<SearchResult[]>([]);
  const [error, setError] = useState<unknown>(undefined);
  const [searched, setSearched] = useState('');
  const [open, setOpen] = useState(false);
  const picked = useRef(false);

  useEffect(() => {
    const query = text.trim();
    if (query.length < 2) {
      setResults([]);
      setSearched('');
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      api.search(query, 8).then(
        (answer) => {
          if (!current) return;
          setResults(answer.results);
          setSearched(query);
          setOpen(answer.results.length > 0);
          setError(undefined);
        },
        (failure: unknown) => current && setError(failure),
      );
    }, TYPEAHEAD_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, text]);

  return (
    <section className={styles.page} aria-labelledby="search-title">
      <Title2 as="h1" id="search-title">
        Who knows them?
      </Title2>
      <Field
        className={styles.box}
        label="Search companies and people"
        hint="A company name, a domain or a person. Spelling does not have to be exact."
      >
        <Combobox
          className={styles.combobox}
          freeform
          placeholder="e.g. Acme or dana@acme.com"
          value={text}
          open={open && results.length > 0}
          onOpenChange={(_event, data) => setOpen(data.open)}
          onChange={(event) => setText(event.target.value)}
          onOptionSelect={(_event, data) => {
            const chosen = results.find((result) => resultKey(result) === data.optionValue);
            if (chosen) {
              picked.current = true;
              window.location.hash = resultHref(chosen);
            }
          }}
          onKeyDown={(event) => {
            if (event.key !== 'Enter' || !results[0]) return;
            const best = results[0];
            picked.current = false;
            // after the list's own Enter handling: a highlighted option wins over the best match
            setTimeout(() => {
              if (!picked.current) window.location.hash = resultHref(best);
            }, 0);
          }}
        >
          {results.map((result) => (
            <Option
              key={resultKey(result)}
              value={resultKey(result)}
              text={result.name}
              data-testid="search-result"
            >
              <span>
                <Text weight="semibold">{result.name}</Text>{' '}
                <Caption1>
                  {result.kind === 'company'
                    ? `company · ${result.domain}`
                    : `person · ${result.email}`}
                </Caption1>
              </span>
            </Option>
          ))}
        </Combobox>
      </Field>
      <div role="status" aria-live="polite">
        {searched !== '' && results.length === 0 && (
          <Text>No company or person matches “{searched}”.</Text>
        )}
      </div>
      {error !== undefined && <ErrorNotice error={error} title="Search failed" />}
    </section>
  );
}
