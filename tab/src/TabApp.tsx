import {
  Button,
  FluentProvider,
  MessageBar,
  MessageBarBody,
  Spinner,
  Link,
  Text,
  makeStyles,
  teamsDarkTheme,
  teamsHighContrastTheme,
  teamsLightTheme,
  tokens,
  type Theme,
} from '@fluentui/react-components';
import { Suspense, lazy, useEffect, useMemo, useState } from 'react';
import { connectToTeams, type TeamsSession, type TeamsTheme } from './host/teams-host.js';
import { parseRoute, routeHref, type Route } from './host/routes.js';
import { CompanyPage } from './pages/CompanyPage.js';
import { PersonPage } from './pages/PersonPage.js';
import { SearchPage } from './pages/SearchPage.js';
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
} from './ui/index.js';

// only admins open the console: kept out of everyone's first load
const AdminPage = lazy(() =>
  import('./admin/AdminPage.js').then((m) => ({ default: m.AdminPage })),
);

const THEMES: Record<TeamsTheme, Theme> = {
  default: teamsLightTheme,
  dark: teamsDarkTheme,
  contrast: teamsHighContrastTheme,
};

const useStyles = makeStyles({
  root: { minHeight: '100vh', backgroundColor: tokens.colorNeutralBackground2 },
  main: { padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalXL}` },
  header: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL}`,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  nav: { display: 'flex', gap: tokens.spacingHorizontalL, fontSize: tokens.fontSizeBase400 },
  current: { fontWeight: tokens.fontWeightSemibold, textDecorationLine: 'underline' },
});

type Boot =
  | { step: 'connecting' }
  | { step: 'teams'; session: TeamsSession }
  | { step: 'local'; users: LocalUser[]; upn: string | null }
  | { step: 'nowhere' };

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

export function TabApp() {
  const styles = useStyles();
  const [boot, setBoot] = useState<Boot>({ step: 'connecting' });
  const [theme, setTheme] = useState<TeamsTheme>('default');

  useEffect(() => {
    void (async () => {
      const session = await connectToTeams();
      if (session) {
        setTheme(session.theme);
        session.onThemeChange(setTheme);
        setBoot({ step: 'teams', session });
        return;
      }
      const users = await listLocalUsers();
      if (users === null) {
        setBoot({ step: 'nowhere' });
        return;
      }
      const remembered = rememberedLocalUpn();
      setBoot({
        step: 'local',
        users,
        upn: users.some((user) => user.upn === remembered) ? remembered : null,
      });
    })();
  }, []);

  const getToken = useMemo<TokenProvider | null>(() => {
    if (boot.step === 'teams') return boot.session.getToken;
    if (boot.step === 'local' && boot.upn !== null) return localTokenProvider(boot.upn);
    return null;
  }, [boot]);

  let content;
  if (boot.step === 'connecting') {
    content = <Spinner label="Starting WarmPath…" />;
  } else if (boot.step === 'nowhere') {
    content = (
      <MessageBar intent="info">
        <MessageBarBody>Open WarmPath from its app in Microsoft Teams.</MessageBarBody>
      </MessageBar>
    );
  } else if (boot.step === 'local' && boot.upn === null) {
    content = (
      <main className={styles.main}>
        <LocalSignIn users={boot.users} onSignedIn={(upn) => setBoot({ ...boot, upn })} />
      </main>
    );
  } else if (getToken !== null) {
    content = (
      <SignedIn
        key={boot.step === 'local' ? boot.upn : 'teams'}
        getToken={getToken}
        localUser={
          boot.step === 'local' ? boot.users.find((user) => user.upn === boot.upn) : undefined
        }
        onSignOut={
          boot.step === 'local'
            ? () => {
                rememberLocalUpn(null);
                setBoot({ ...boot, upn: null });
              }
            : undefined
        }
      />
    );
  }
  return (
    // styles go on an inner element: Fluent copies the provider's classes onto popup portals
    <FluentProvider theme={THEMES[theme]} data-theme={theme}>
      <div className={styles.root}>{content}</div>
    </FluentProvider>
  );
}

function SignedIn({
  getToken,
  localUser,
  onSignOut,
}: {
  getToken: TokenProvider;
  localUser?: LocalUser;
  onSignOut?: () => void;
}) {
  const styles = useStyles();
  const api = useMemo(() => createApiClient({ getToken }), [getToken]);
  const me = useAsync(() => api.me(), [api]);
  const route = useRoute();
  const isAdmin = me.status === 'done' && me.value.isAdmin;
  const section = route.page === 'admin' ? 'admin' : 'search';

  return (
    <>
      <header className={styles.header}>
        <nav aria-label="WarmPath" className={styles.nav}>
          {/* plain links: the sections are pages, and TabList's focus dummies trip axe */}
          <Link
            href={routeHref({ page: 'search' })}
            aria-current={section === 'search' ? 'page' : undefined}
            className={section === 'search' ? styles.current : undefined}
          >
            Search
          </Link>
          {isAdmin && (
            <Link
              href={routeHref({ page: 'admin' })}
              aria-current={section === 'admin' ? 'page' : undefined}
              className={section === 'admin' ? styles.current : undefined}
            >
              Admin
            </Link>
          )}
        </nav>
        {localUser && (
          <div>
            <Text>
              Local sign-in (simulator): {localUser.displayName}
              {localUser.isAdmin ? ' (admin)' : ''}{' '}
            </Text>
            <Button size="small" onClick={onSignOut}>
              Switch user
            </Button>
          </div>
        )}
      </header>
      <main className={styles.main}>
        {me.status === 'failed' && <ErrorNotice error={me.error} onRetry={me.reload} />}
        <Page api={api} route={route} isAdmin={isAdmin} meLoaded={me.status === 'done'} />
      </main>
    </>
  );
}

function Page({
  api,
  route,
  isAdmin,
  meLoaded,
}: {
  api: ApiClient;
  route: Route;
  isAdmin: boolean;
  meLoaded: boolean;
}) {
  switch (route.page) {
    case 'company':
      return <CompanyPage key={route.domain} api={api} domain={route.domain} />;
    case 'person':
      return <PersonPage key={route.id} api={api} id={route.id} />;
    case 'admin':
      if (!meLoaded) return <Spinner label="Checking your role…" />;
      return isAdmin ? (
        <Suspense fallback={<Spinner label="Loading the admin console…" />}>
          <AdminPage api={api} />
        </Suspense>
      ) : (
        <MessageBar intent="warning">
          <MessageBarBody>
            The admin pages are for your organisation’s Microsoft 365 administrators.
          </MessageBarBody>
        </MessageBar>
      );
    default:
      return <SearchPage api={api} />;
  }
}
