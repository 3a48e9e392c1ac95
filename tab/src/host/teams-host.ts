// The tab inside Teams: teams-js initialisation, SSO tokens and the host's theme.
import { app, authentication } from '@microsoft/teams-js';
import { ApiError, type TokenProvider } from '../ui/index.js';

export type TeamsTheme = 'default' | 'dark' | 'contrast';

export interface TeamsSession {
  theme: TeamsTheme;
  /** the host's name, e.g. "Teams" or "Outlook" */
  hostName: string;
  getToken: TokenProvider;
  onThemeChange(listener: (theme: TeamsTheme) => void): void;
}

/** How long a host gets to answer app.initialize before the tab assumes it is not in Teams. */
const INITIALIZE_TIMEOUT_MS = 4000;

export function toTeamsTheme(theme: string | undefined): TeamsTheme {
  return theme === 'dark' || theme === 'contrast' ? theme : 'default';
}

/** Connects to the Teams host, or answers null when the page runs in a plain browser. */
export async function connectToTeams(): Promise<TeamsSession | null> {
  // a tab always runs in a frame (web) or with a native bridge (desktop, mobile)
  const framed = window.parent !== window || window.opener !== null;
  const native = 'nativeInterface' in window;
  if (!framed && !native) return null;

  const initialized = await Promise.race([
    app.initialize().then(() => true),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), INITIALIZE_TIMEOUT_MS)),
  ]).catch(() => false);
  if (!initialized) return null;

  const context = await app.getContext();
  const listeners: ((theme: TeamsTheme) => void)[] = [];
  app.registerOnThemeChangeHandler((theme) => {
    for (const listener of listeners) listener(toTeamsTheme(theme));
  });
  app.notifySuccess();
  return {
    theme: toTeamsTheme(context.app.theme),
    hostName: String(context.app.host.name),
    // Teams caches and renews the token itself, so asking each time is cheap
    getToken: () =>
      authentication.getAuthToken().catch((error: unknown) => {
        throw new ApiError(
          `Teams could not sign you in to WarmPath (${error instanceof Error ? error.message : String(error)}). ` +
            'Reload the tab; if it keeps happening, your admin may need to grant WarmPath consent.',
          401,
          'teams_sso_failed',
        );
      }),
    onThemeChange: (listener) => {
      listeners.push(listener);
    },
  };
}
