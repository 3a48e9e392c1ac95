// The sign-in page Outlook opens in a dialog when it has no NAA bridge: standard MSAL with a
// redirect, then the token goes back to the pane through messageParent.
import { PublicClientApplication } from '@azure/msal-browser';
import { ssoConfigFromEnv } from './addin-sso.js';

async function signInInDialog(): Promise<void> {
  await Office.onReady();
  const config = ssoConfigFromEnv(import.meta.env, window.location.origin);
  const reply = (message: { token?: string; error?: string }) =>
    Office.context.ui.messageParent(JSON.stringify(message));
  if (config === null) {
    reply({ error: 'This WarmPath build has no app registration (VITE_WARMPATH_CLIENT_ID).' });
    return;
  }
  const pca = new PublicClientApplication({
    auth: {
      clientId: config.clientId,
      authority: config.authority,
      redirectUri: `${window.location.origin}${window.location.pathname}`,
    },
    cache: { cacheLocation: 'localStorage' },
  });
  await pca.initialize();
  const redirected = await pca.handleRedirectPromise();
  if (redirected) {
    reply({ token: redirected.accessToken });
    return;
  }
  const account = pca.getAllAccounts()[0];
  if (account) {
    try {
      const silent = await pca.acquireTokenSilent({ scopes: [config.scope], account });
      reply({ token: silent.accessToken });
      return;
    } catch {
      // fall through to an interactive sign-in
    }
  }
  await pca.acquireTokenRedirect({ scopes: [config.scope] });
}

signInInDialog().catch((error: unknown) =>
  Office.context.ui.messageParent(
    JSON.stringify({ error: error instanceof Error ? error.message : 'Sign-in failed.' }),
  ),
);
