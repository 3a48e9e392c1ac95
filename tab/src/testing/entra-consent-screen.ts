// A stand-in for Entra's interactive consent screen, which the tenant simulator does not serve:
// the authority's /oauth2/v2.0/authorize page with Accept and Cancel. Accept grants the consent
// in the simulator (its on-behalf-of stops answering AADSTS65001) and redirects back with a code;
// Cancel redirects back with Entra's access_denied / AADSTS65004, as Entra does.
import type { BrowserContext } from 'playwright-core';

export interface ConsentScreen {
  /** every authorize request the pop-up made */
  requests: URL[];
}

const DECISION_PATH = '/__entra-consent-decision__';

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

function screen(authorize: URL): string {
  const field = (name: string) =>
    `<input type="hidden" name="${name}" value="${escapeHtml(authorize.searchParams.get(name) ?? '')}">`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Permissions requested</title></head>
<body><main><h1>Permissions requested</h1>
<p>WarmPath (${escapeHtml(authorize.searchParams.get('client_id') ?? '')}) would like to sign you in and read your profile.</p>
<form method="get" action="${DECISION_PATH}">${field('redirect_uri')}${field('state')}
<button type="submit" name="choice" value="accept">Accept</button>
<button type="submit" name="choice" value="cancel">Cancel</button></form></main></body></html>`;
}

/** Answers the authority's authorize page (at `authorityOrigin`) in every page of `context`. */
export async function standInForEntraConsent(
  context: BrowserContext,
  options: { authorityOrigin: string; grant: () => Promise<void> },
): Promise<ConsentScreen> {
  const requests: URL[] = [];
  const ours = (url: URL) => url.origin === options.authorityOrigin;
  await context.route(
    (url) => ours(url) && url.pathname.endsWith('/oauth2/v2.0/authorize'),
    (route) => {
      const url = new URL(route.request().url());
      requests.push(url);
      return route.fulfill({ status: 200, contentType: 'text/html', body: screen(url) });
    },
  );
  await context.route(
    (url) => ours(url) && url.pathname === DECISION_PATH,
    async (route) => {
      const decision = new URL(route.request().url()).searchParams;
      const back = new URL(decision.get('redirect_uri')!);
      back.searchParams.set('state', decision.get('state') ?? '');
      if (decision.get('choice') === 'accept') {
        await options.grant();
        back.searchParams.set('code', 'consent-stand-in-code');
      } else {
        back.searchParams.set('error', 'access_denied');
        back.searchParams.set(
          'error_description',
          'AADSTS65004: User declined to consent to access the app.\r\nTrace ID: 0',
        );
      }
      return route.fulfill({ status: 302, headers: { location: back.href } });
    },
  );
  return { requests };
}
