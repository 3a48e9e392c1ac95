// The tab inside Teams: teams-js initialisation, SSO tokens and the host's theme.
import { app, authentication } from '@microsoft/teams-js';
import { ApiError, type TokenProvider } from '../ui/index.js';
import { initializeTeams } from './teams-initialize.js';

export type TeamsTheme = 'default' | 'dark' | 'contrast';

export interface TeamsSession {
  theme: TeamsTheme;
  /** the host's name, e.g. "Teams" or "Outlook" */
  hostName: string;
  getToken: TokenProvider;
  onThemeChange(listener: (theme: TeamsTheme) => void): void;
  /**
   * Opens WarmPath's consent pop-up through Teams (authentication.authenticate) for a
   * consent_required answer; resolves once the user consented, throws ApiError otherwise.
   */
  consent(adminConsentUrl: string): Promise<void>;
}

/** The pop-up page (consent.html, beside the tab) and its size in Teams. */
const CONSENT_POPUP = { page: 'consent.html', width: 600, height: 535 } as const;

/** The consent pop-up's address for a consent_required answer's admin consent URL. */
export function consentPopupUrl(adminConsentUrl: string, tabUrl: string): string {
  const url = new URL(CONSENT_POPUP.page, tabUrl);
  url.hash = '';
  url.searchParams.set('authority', adminConsentUrl);
  return url.href;
}

async function openConsentPopup(adminConsentUrl: string): Promise<void> {
  try {
    await authentication.authenticate({
      url: consentPopupUrl(adminConsentUrl, window.location.href),
      width: CONSENT_POPUP.width,
      height: CONSENT_POPUP.height,
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiError(
      reason === 'CancelledByUser'
        ? 'The consent window was closed before you answered. Try again when you are ready.'
        : `Consent was not given (${reason}). Try again, or ask your admin to consent for everyone.`,
      403,
      'consent_not_given',
    );
  }
}

export function toTeamsTheme(theme: string | undefined): TeamsTheme {
  return theme === 'dark' || theme === 'contrast' ? theme : 'default';
}

/** Connects to the Teams host, or answers null when the page runs in a plain browser. */
export async function connectToTeams(): Promise<TeamsSession | null> {
  // a tab always runs in a frame (web) or with a native bridge (desktop, mobile)
  const framed = window.parent !== window || window.opener !== null;
  const native = 'nativeInterface' in window;
  if (!framed && !native) return null;

  if (!(await initializeTeams())) return null;

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
    consent: openConsentPopup,
  };
}
