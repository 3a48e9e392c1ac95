import { describe, expect, it } from 'vitest';
import { ssoConfigFromEnv, tokenExpiresAt } from './addin-sso.js';

function jwt(payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(payload)}.signature`;
}

describe('add-in sign-in settings', () => {
  it('has no SSO without a client id, so the pane can say it is not set up', () => {
    expect(ssoConfigFromEnv({}, 'https://warmpath.example.com')).toBeNull();
  });

  it('defaults the API scope to the Teams-style application id URI on the pane’s host', () => {
    expect(
      ssoConfigFromEnv({ VITE_WARMPATH_CLIENT_ID: 'abc' }, 'https://warmpath.example.com'),
    ).toEqual({
      clientId: 'abc',
      authority: 'https://login.microsoftonline.com/common',
      scope: 'api://warmpath.example.com/abc/access_as_user',
    });
  });

  it('reads a token’s expiry so the dialog fallback does not open for every call', () => {
    expect(tokenExpiresAt(jwt({ exp: 1_800_000_000 }))).toBe(1_800_000_000_000);
    expect(tokenExpiresAt('not-a-token')).toBe(0);
  });
});
