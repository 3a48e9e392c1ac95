// Tokens for the WarmPath API in Outlook: nested app authentication (MSAL's nestable client),
// and the Office dialog with standard MSAL where the host has no NAA bridge.
import type { IPublicClientApplication } from '@azure/msal-browser';
import type { TokenProvider } from '@warmpath/tab/ui';

export interface SsoConfig {
  clientId: string;
  authority: string;
  /** e.g. api://warmpath.example.com/<clientId>/access_as_user */
  scope: string;
}

/** Build-time settings (VITE_WARMPATH_*); null when this build has no app registration. */
export function ssoConfigFromEnv(
  env: Record<string, string | undefined>,
  origin: string,
): SsoConfig | null {
  const clientId = env.VITE_WARMPATH_CLIENT_ID;
  if (!clientId) return null;
  return {
    clientId,
    authority: env.VITE_WARMPATH_AUTHORITY || 'https://login.microsoftonline.com/common',
    scope:
      env.VITE_WARMPATH_API_SCOPE || `api://${new URL(origin).host}/${clientId}/access_as_user`,
  };
}

/** Seconds before expiry a cached token is replaced. */
const EXPIRY_MARGIN_S = 120;

export function tokenExpiresAt(token: string): number {
  try {
    const payload = JSON.parse(
      atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/')),
    ) as { exp?: number };
    return typeof payload.exp === 'number' ? payload.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

/** NAA: Outlook's host brokers the token; silent first, a popup when consent or sign-in is needed. */
export function naaTokenProvider(config: SsoConfig): TokenProvider {
  let client: Promise<IPublicClientApplication> | null = null;
  return async ({ fresh } = {}) => {
    // MSAL is loaded on first use so the pane's first paint does not wait for it
    const msal = await import('@azure/msal-browser');
    client ??= msal.createNestablePublicClientApplication({
      auth: { clientId: config.clientId, authority: config.authority },
    });
    const pca = await client;
    const request = { scopes: [config.scope], forceRefresh: fresh === true };
    try {
      return (await pca.acquireTokenSilent(request)).accessToken;
    } catch (error) {
      if (!(error instanceof msal.InteractionRequiredAuthError)) throw error;
      return (await pca.acquireTokenPopup({ scopes: [config.scope] })).accessToken;
    }
  };
}

/** Outlook without NAA: sign in inside an Office dialog that runs standard MSAL and hands back the token. */
export function dialogTokenProvider(dialogUrl: string): TokenProvider {
  let cached: { token: string; expiresAt: number } | null = null;
  return async ({ fresh } = {}) => {
    if (!fresh && cached && cached.expiresAt - EXPIRY_MARGIN_S * 1000 > Date.now())
      return cached.token;
    const token = await new Promise<string>((resolve, reject) => {
      Office.context.ui.displayDialogAsync(dialogUrl, { height: 60, width: 30 }, (opened) => {
        if (opened.status !== Office.AsyncResultStatus.Succeeded) {
          reject(
            new Error(
              'Outlook could not open the WarmPath sign-in window. Allow pop-ups and try again.',
            ),
          );
          return;
        }
        const dialog = opened.value;
        dialog.addEventHandler(Office.EventType.DialogMessageReceived, (arg) => {
          dialog.close();
          const message = 'message' in arg ? arg.message : '';
          try {
            const parsed = JSON.parse(message) as { token?: string; error?: string };
            if (parsed.token) resolve(parsed.token);
            else reject(new Error(parsed.error ?? 'Sign-in did not finish.'));
          } catch {
            reject(new Error('Sign-in did not finish.'));
          }
        });
        dialog.addEventHandler(Office.EventType.DialogEventReceived, () =>
          reject(
            new Error(
              'The sign-in window was closed before sign-in finished. Open WarmPath again to retry.',
            ),
          ),
        );
      });
    });
    cached = { token, expiresAt: tokenExpiresAt(token) };
    return token;
  };
}
