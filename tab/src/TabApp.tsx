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
import { ConsentPrompt, needsConsent } from './host/ConsentPrompt.js';
import { CompanyPage } from './pages/CompanyPage.js';
import { IntroRequestsPage } from './pages/IntroRequestsPage.js';
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
        consent={boot.step === 'teams' ? boot.session.consent : undefined}
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

type Section = 'search' | 'requests' | 'admin';

function SectionLink({
  section,
  current,
  children,
}: {
  section: Section;
  current: Section;
  children: string;
}) {
  const styles = useStyles();
  return (
    <Link
      href={routeHref({ page: section })}
      aria-current={section === current ? 'page' : undefined}
      className={section === current ? styles.current : undefined}
    >
      {children}
    </Link>
  );
}

function SignedIn({
  getToken,
  consent,
  localUser,
  onSignOut,
}: {
  getToken: TokenProvider;
  /** Teams only: the consent pop-up */
  consent?: ((adminConsentUrl: string) => Promise<void>) | undefined;
  localUser?: LocalUser;
  onSignOut?: () => void;
}) {
  const styles = useStyles();
  const api = useMemo(() => createApiClient({ getToken }), [getToken]);
  const me = useAsync(() => api.me(), [api]);
  // bumped after consent: the page asks again too
  const [round, setRound] = useState(0);
  const route = useRoute();
  const isAdmin = me.status === 'done' && me.value.isAdmin;
  const section: Section =
    route.page === 'admin' || route.page === 'requests' ? route.page : 'search';

  return (
    <>
      <header className={styles.header}>
        <nav aria-label="WarmPath" className={styles.nav}>
          {/* plain links: the sections are pages, and TabList's focus dummies trip axe */}
          <SectionLink section="search" current={section}>
            Search
          </SectionLink>
          <SectionLink section="requests" current={section}>
            Intro requests
          </SectionLink>
          {isAdmin && (
            <SectionLink section="admin" current={section}>
              Admin
            </SectionLink>
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
        {me.status === 'failed' &&
          (needsConsent(me.error) ? (
            <ConsentPrompt
              error={me.error}
              consent={consent}
              onConsented={() => {
                me.reload();
                setRound((n) => n + 1);
              }}
            />
          ) : (
            <ErrorNotice error={me.error} onRetry={me.reload} />
          ))}
        <Page key={round} api={api} route={route} isAdmin={isAdmin} me={me.status} />
      </main>
    </>
  );
}

function Page({
  api,
  route,
  isAdmin,
  me,
}: {
  api: ApiClient;
  route: Route;
  isAdmin: boolean;
  /** the caller's role comes from /api/me; its failure is shown above the page */
  me: 'loading' | 'done' | 'failed';
}) {
  switch (route.page) {
    case 'company':
      return <CompanyPage key={route.domain} api={api} domain={route.domain} />;
    case 'person':
      return <PersonPage key={route.id} api={api} id={route.id} />;
    case 'requests':
      return <IntroRequestsPage api={api} />;
    case 'admin':
      if (me === 'failed') return null;
      if (me === 'loading') return <Spinner label="Checking your role…" />;
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
