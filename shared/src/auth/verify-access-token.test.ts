// Every kind of bad bearer token the API must refuse with 401 and a WWW-Authenticate challenge,
// and the good ones it accepts, against the simulator's real RS256 tokens and JWKS.
import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, base64url, decodeJwt, decodeProtectedHeader, importJWK, exportSPKI } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { upsertTenant } from '../store/index.js';
import { describeStore } from '../store/testing.js';
import { AuthError } from './auth-errors.js';
import { createTenantApps } from './tenant-apps.js';
import { ADELE, startTwoTenantSimulator, type TwoTenantSimulator } from './testing.js';
import { createAccessTokenVerifier, type AccessTokenVerifier } from './verify-access-token.js';

let sim: TwoTenantSimulator;
beforeAll(async () => {
  sim = await startTwoTenantSimulator();
});
afterAll(async () => {
  await sim?.close();
});

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function refusal(verify: AccessTokenVerifier, authorization: string | undefined) {
  try {
    await verify(authorization);
  } catch (error) {
    expect(error).toBeInstanceOf(AuthError);
    return error as AuthError;
  }
  throw new Error('the token was accepted');
}

describeStore('createAccessTokenVerifier', (ctx) => {
  let verify: AccessTokenVerifier;
  beforeAll(async () => {
    // only the home tenant onboards; the other one has tokens but no row in the store
    await upsertTenant(ctx.store.db, sim.home.tenantId, { displayName: 'Contoso' });
    const apps = createTenantApps({ store: ctx.store, registrations: [sim.home, sim.other] });
    verify = createAccessTokenVerifier({
      authorityHost: sim.home.authorityHost,
      tenantAudience: (tenantId) => apps.onboarded(tenantId),
    });
  });

  it("accepts the simulator's SSO token and names the caller", async () => {
    const token = await sim.ssoToken(ADELE.upn);
    const caller = await verify(`Bearer ${token}`);
    expect(caller).toMatchObject({
      tenantId: sim.home.tenantId,
      objectId: ADELE.id,
      userName: ADELE.upn,
      scopes: ['access_as_user'],
    });
  });

  it('accepts the api://…/<client id> audience form', async () => {
    const token = await sim.ssoToken(ADELE.upn, {
      claims: { aud: `api://warmpath.example/${sim.home.clientId}` },
    });
    expect((await verify(`Bearer ${token}`)).objectId).toBe(ADELE.id);
  });

  it('tolerates a small clock skew on exp', async () => {
    const token = await sim.ssoToken(ADELE.upn, { expiresInSeconds: -20 });
    expect((await verify(`Bearer ${token}`)).objectId).toBe(ADELE.id);
  });

  it('remembers a verified token only until it expires', async () => {
    let clock = Date.now();
    const apps = createTenantApps({ store: ctx.store, registrations: [sim.home] });
    const verifyAt = createAccessTokenVerifier({
      authorityHost: sim.home.authorityHost,
      tenantAudience: (tenantId) => apps.onboarded(tenantId),
      now: () => clock,
    });
    const token = await sim.ssoToken(ADELE.upn, { expiresInSeconds: 600 });
    expect((await verifyAt(`Bearer ${token}`)).objectId).toBe(ADELE.id);
    expect((await verifyAt(`Bearer ${token}`)).token).toBe(token);
    clock += 11 * 60_000;
    const error = await refusal(verifyAt, `Bearer ${token}`);
    expect(error.message).toContain('expired');
  });

  const badTokens: Array<[string, () => Promise<string | undefined>, string]> = [
    ['no Authorization header', async () => undefined, 'missing_token'],
    ['a Basic credential', async () => 'Basic YWRlbGU6c2VjcmV0', 'invalid_token'],
    ['a malformed token', async () => 'Bearer not.a.jwt', 'invalid_token'],
    ['two words after Bearer', async () => 'Bearer abc def', 'invalid_token'],
    [
      'an expired token',
      async () => `Bearer ${await sim.ssoToken(ADELE.upn, { expiresInSeconds: -600 })}`,
      'invalid_token',
    ],
    [
      'a token for another audience',
      async () =>
        `Bearer ${await sim.ssoToken(ADELE.upn, { claims: { aud: '00000000-0000-4000-8000-000000000001' } })}`,
      'invalid_token',
    ],
    [
      'another application’s api:// audience',
      async () =>
        `Bearer ${await sim.ssoToken(ADELE.upn, { claims: { aud: `api://warmpath.example/${sim.other.clientId}` } })}`,
      'invalid_token',
    ],
    [
      'a wrong issuer',
      async () =>
        `Bearer ${await sim.ssoToken(ADELE.upn, { claims: { iss: `https://sts.windows.net/${sim.home.tenantId}/` } })}`,
      'invalid_token',
    ],
    [
      'the issuer of another tenant',
      async () =>
        `Bearer ${await sim.ssoToken(ADELE.upn, { claims: { iss: `${sim.home.authorityHost}/${sim.other.tenantId}/v2.0` } })}`,
      'invalid_token',
    ],
    [
      'a tenant that has not onboarded',
      async () => `Bearer ${await sim.ssoToken(sim.otherUser.upn)}`,
      'tenant_not_onboarded',
    ],
    [
      'alg none',
      async () => {
        const claims = decodeJwt(await sim.ssoToken(ADELE.upn));
        const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
        return `Bearer ${header}.${base64url.encode(JSON.stringify(claims))}.`;
      },
      'invalid_token',
    ],
    [
      'HS256 signed with the public key',
      async () => {
        const token = await sim.ssoToken(ADELE.upn);
        const keys = (await (
          await fetch(`${sim.home.authorityHost}/${sim.home.tenantId}/discovery/v2.0/keys`)
        ).json()) as { keys: Array<Record<string, string>> };
        const jwk = keys.keys[0] as Record<string, string>;
        const pem = await exportSPKI(
          (await importJWK({ kty: 'RSA', n: jwk.n, e: jwk.e }, 'RS256', {
            extractable: true,
          })) as Parameters<typeof exportSPKI>[0],
        );
        const forged = await new SignJWT(decodeJwt(token))
          .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: decodeProtectedHeader(token).kid })
          .sign(new TextEncoder().encode(pem));
        return `Bearer ${forged}`;
      },
      'invalid_token',
    ],
    [
      'an unknown kid',
      async () => {
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        const forged = await new SignJWT(decodeJwt(await sim.ssoToken(ADELE.upn)))
          .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'unknown-kid-1' })
          .sign(privateKey);
        return `Bearer ${forged}`;
      },
      'invalid_token',
    ],
    [
      'our kid, signed with another key',
      async () => {
        const real = await sim.ssoToken(ADELE.upn);
        const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        const forged = await new SignJWT(decodeJwt(real))
          .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: decodeProtectedHeader(real).kid })
          .sign(privateKey);
        return `Bearer ${forged}`;
      },
      'invalid_token',
    ],
    [
      'a tampered payload',
      async () => {
        const [header, payload, signature] = (await sim.ssoToken(ADELE.upn)).split('.');
        const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? '')));
        const changed = base64url.encode(JSON.stringify({ ...claims, oid: 'someone-else' }));
        return `Bearer ${header}.${changed}.${signature}`;
      },
      'invalid_token',
    ],
    [
      'a future nbf',
      async () =>
        `Bearer ${await sim.ssoToken(ADELE.upn, { claims: { nbf: nowSeconds() + 3600 } })}`,
      'invalid_token',
    ],
    [
      'a token without access_as_user',
      async () => `Bearer ${await sim.ssoToken(ADELE.upn, { scp: 'User.Read' })}`,
      'insufficient_scope',
    ],
    [
      'an app-only token (no scp, idtyp app)',
      async () =>
        `Bearer ${await sim.ssoToken(ADELE.upn, { claims: { scp: null, idtyp: 'app', roles: ['Intros.Read'] } })}`,
      'user_required',
    ],
    [
      'a token with no tenant',
      async () => `Bearer ${await sim.ssoToken(ADELE.upn, { claims: { tid: null } })}`,
      'invalid_token',
    ],
  ];

  it.each(badTokens)('refuses %s with 401 and a challenge', async (_kind, make, code) => {
    const error = await refusal(verify, await make());
    expect(error.status).toBe(401);
    expect(error.code).toBe(code);
    expect(error.wwwAuthenticate).toMatch(/^Bearer realm="WarmPath"/);
    if (code !== 'missing_token') expect(error.wwwAuthenticate).toContain('error="');
  });

  it('holds at least twelve kinds of bad token', () => {
    expect(badTokens.length).toBeGreaterThanOrEqual(12);
  });
});
