import { describe, expect, it } from 'vitest';
import { cacheAccessToken, msalAuthOptions, TOKEN_RENEW_BEFORE_MS } from './auth.js';
import { TEST_TENANT } from './testing.js';

describe('cacheAccessToken', () => {
  it('shares one acquisition among concurrent callers and reuses the token', async () => {
    let now = 0;
    let calls = 0;
    const source = cacheAccessToken(
      async () => {
        calls += 1;
        await new Promise((resolve) => setImmediate(resolve));
        return { token: `token-${calls}`, expiresOnMs: now + 60 * 60_000 };
      },
      () => now,
    );
    const tokens = await Promise.all(Array.from({ length: 20 }, () => source.getAccessToken()));
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    now += 30 * 60_000;
    expect(await source.getAccessToken()).toBe('token-1');
    expect(source.acquisitions).toBe(1);
  });

  it('renews ahead of expiry', async () => {
    let now = 0;
    let calls = 0;
    const source = cacheAccessToken(
      async () => {
        calls += 1;
        return { token: `token-${calls}`, expiresOnMs: now + 60 * 60_000 };
      },
      () => now,
    );
    expect(await source.getAccessToken()).toBe('token-1');
    now += 60 * 60_000 - TOKEN_RENEW_BEFORE_MS;
    expect(await source.getAccessToken()).toBe('token-2');
  });

  it('tries again after a failed acquisition', async () => {
    let calls = 0;
    const source = cacheAccessToken(async () => {
      calls += 1;
      if (calls === 1) throw new Error('AADSTS7000215: Invalid client secret provided.');
      return { token: 'token', expiresOnMs: Date.now() + 60 * 60_000 };
    });
    await expect(source.getAccessToken()).rejects.toThrow('AADSTS7000215');
    expect(await source.getAccessToken()).toBe('token');
  });
});

describe('msalAuthOptions', () => {
  it('leaves Entra hosts to MSAL’s own instance metadata', () => {
    const options = msalAuthOptions({
      ...TEST_TENANT,
      authorityHost: 'https://login.microsoftonline.com',
    });
    expect(options.authority).toBe(`https://login.microsoftonline.com/${TEST_TENANT.tenantId}`);
    expect(options.knownAuthorities).toBeUndefined();
  });

  it('declares any other authority host (the simulator) a known authority', () => {
    const options = msalAuthOptions({ ...TEST_TENANT, authorityHost: 'https://127.0.0.1:8443/' });
    expect(options.authority).toBe(`https://127.0.0.1:8443/${TEST_TENANT.tenantId}`);
    expect(options.knownAuthorities).toEqual(['127.0.0.1:8443']);
  });
});
