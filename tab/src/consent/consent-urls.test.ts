import { describe, expect, it } from 'vitest';
import { consentOutcome, userConsentUrl } from './consent-urls.js';

const request = {
  adminConsentUrl: 'https://login.microsoftonline.com/tid-1/adminconsent?client_id=app-1',
  redirectUri: 'https://warmpath.example/tab/consent.html',
  state: 'st-1',
  loginHint: 'adele@contoso.com',
};

describe('userConsentUrl', () => {
  it('asks the same authority and tenant for the user’s own consent to the app’s Graph permissions', () => {
    const url = new URL(userConsentUrl(request));
    expect(`${url.origin}${url.pathname}`).toBe(
      'https://login.microsoftonline.com/tid-1/oauth2/v2.0/authorize',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'app-1',
      response_type: 'code',
      response_mode: 'query',
      redirect_uri: request.redirectUri,
      scope: 'https://graph.microsoft.com/.default',
      prompt: 'consent',
      state: 'st-1',
      login_hint: 'adele@contoso.com',
    });
  });

  it('keeps an authority that has a path of its own', () => {
    const url = userConsentUrl({
      ...request,
      adminConsentUrl: 'https://127.0.0.1:8443/entra/tid-1/adminconsent?client_id=app-1',
    });
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:8443\/entra\/tid-1\/oauth2\/v2\.0\/authorize\?/);
  });

  it('refuses anything but an https admin consent URL, so the page redirects nowhere else', () => {
    for (const adminConsentUrl of [
      'not a url',
      'http://login.microsoftonline.com/tid-1/adminconsent?client_id=app-1',
      'https://login.microsoftonline.com/tid-1/adminconsent',
      'https://evil.example/phish?client_id=app-1',
      'javascript:alert(1)//adminconsent?client_id=x',
    ]) {
      expect(() => userConsentUrl({ ...request, adminConsentUrl }), adminConsentUrl).toThrow();
    }
  });
});

describe('consentOutcome', () => {
  const answer = (fields: Record<string, string>) => new URLSearchParams(fields);

  it('takes a code or admin_consent=True with this window’s state as consent', () => {
    expect(consentOutcome(answer({ code: 'c', state: 'st-1' }), 'st-1')).toEqual({
      consented: true,
    });
    expect(consentOutcome(answer({ admin_consent: 'True', state: 'st-1' }), 'st-1')).toEqual({
      consented: true,
    });
  });

  it('gives the authority’s reason when the user declined', () => {
    const outcome = consentOutcome(
      answer({
        error: 'access_denied',
        error_description:
          'AADSTS65004: User declined to consent to access the app.\r\nTrace ID: x',
        state: 'st-1',
      }),
      'st-1',
    );
    expect(outcome).toEqual({
      consented: false,
      reason: 'AADSTS65004: User declined to consent to access the app.',
    });
  });

  it('refuses an answer with another state, or none it expected', () => {
    expect(consentOutcome(answer({ code: 'c', state: 'other' }), 'st-1').consented).toBe(false);
    expect(consentOutcome(answer({ code: 'c', state: 'st-1' }), null).consented).toBe(false);
    expect(consentOutcome(answer({ state: 'st-1' }), 'st-1')).toEqual({
      consented: false,
      reason: 'Microsoft sent no answer.',
    });
  });
});
