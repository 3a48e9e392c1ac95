// The consent pop-up's two legs as pure functions: where to send the user (the authority's
// authorize endpoint, asking for consent), and what the authority's answer means.

/** Graph's statically registered delegated permissions, all consented at once. */
const CONSENT_SCOPE = 'https://graph.microsoft.com/.default';

export interface ConsentRequest {
  /** the consent_required answer's adminConsentUrl: {authority}/{tenant}/adminconsent?client_id= */
  adminConsentUrl: string;
  /** this page without its query: the authority sends the answer here */
  redirectUri: string;
  /** ties the answer to this pop-up (kept in sessionStorage meanwhile) */
  state: string;
  loginHint?: string | undefined;
}

/**
 * The authority's authorize URL asking this user to consent for themselves; throws when the
 * admin consent URL is not an authority's (only https, only /{tenant}/adminconsent).
 */
export function userConsentUrl(request: ConsentRequest): string {
  let admin: URL;
  try {
    admin = new URL(request.adminConsentUrl);
  } catch {
    throw new Error('The consent address is not a URL.');
  }
  const match = /^((?:\/[^/]+)*)\/([^/]+)\/adminconsent$/.exec(admin.pathname);
  const clientId = admin.searchParams.get('client_id');
  if (admin.protocol !== 'https:' || match === null || !clientId) {
    throw new Error('The consent address is not an Entra admin consent URL.');
  }
  const [, prefix, tenant] = match;
  const authorize = new URL(`${admin.origin}${prefix}/${tenant}/oauth2/v2.0/authorize`);
  const params = authorize.searchParams;
  params.set('client_id', clientId);
  params.set('response_type', 'code');
  params.set('response_mode', 'query');
  params.set('redirect_uri', request.redirectUri);
  params.set('scope', CONSENT_SCOPE);
  params.set('prompt', 'consent');
  params.set('state', request.state);
  if (request.loginHint) params.set('login_hint', request.loginHint);
  return authorize.href;
}

export type ConsentOutcome = { consented: true } | { consented: false; reason: string };

/** Reads the authority's redirect back to the pop-up; the code itself is never used. */
export function consentOutcome(
  query: URLSearchParams,
  expectedState: string | null,
): ConsentOutcome {
  if (expectedState === null || query.get('state') !== expectedState) {
    return { consented: false, reason: 'The consent answer did not come from this window.' };
  }
  const error = query.get('error');
  if (error !== null) {
    // Entra's description starts with its AADSTS code; the first line is the readable part
    const description = (query.get('error_description') ?? '').split(/\r?\n/)[0]?.trim();
    return { consented: false, reason: description || error };
  }
  if (query.has('code') || query.get('admin_consent')?.toLowerCase() === 'true') {
    return { consented: true };
  }
  return { consented: false, reason: 'Microsoft sent no answer.' };
}
