import {
  ConfidentialClientApplication,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';
import { createRemoteJWKSet, customFetch, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEFAULT_APP_ROLES } from './tokens.js';
import { ADELE, useTestSim } from './testing.js';

const sim = useTestSim();

/** fetch for jose's remote JWKS, over the client that trusts the simulator certificate. */
function trustingFetch(url: string): Promise<Response> {
  return sim.client
    .call(url)
    .then(
      (r) =>
        new Response(r.text, { status: r.status, headers: { 'content-type': 'application/json' } }),
    );
}

/** MSAL's network client, over the same trusting agent (NODE_EXTRA_CA_CERTS may be unset). */
function msalNetwork(): INetworkModule {
  const send = async <T>(
    url: string,
    method: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> => {
    const result = await sim.client.call(url, {
      method,
      headers: options?.headers,
      body: options?.body,
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(result.headers)) if (typeof v === 'string') headers[k] = v;
    return { headers, body: result.json as T, status: result.status };
  };
  return {
    sendGetRequestAsync: (url, options) => send(url, 'GET', options),
    sendPostRequestAsync: (url, options) => send(url, 'POST', options),
  };
}

async function ssoToken(upn: string, extra: Record<string, unknown> = {}): Promise<string> {
  const result = await sim.client.control('/token/user', { body: { upn, ...extra } });
  expect(result.status).toBe(200);
  return result.json.access_token as string;
}

function obo(assertion: string, scope = 'https://graph.microsoft.com/.default') {
  const app = sim.server.app();
  return sim.client.call(`/${app.tenantId}/oauth2/v2.0/token`, {
    form: {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      assertion,
      scope,
      requested_token_use: 'on_behalf_of',
    },
  });
}

/** A client-credentials token request at `tenant` (default: the app's); `form` overrides fields. */
function clientCredentials(form: Record<string, string> = {}, tenant = sim.server.app().tenantId) {
  const app = sim.server.app();
  return sim.client.call(`/${tenant}/oauth2/v2.0/token`, {
    form: {
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
      ...form,
    },
  });
}

describe('client credentials', () => {
  it('issues an RS256 Graph token carrying the consented application roles', async () => {
    const app = sim.server.app();
    const result = await clientCredentials();
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    const claims = decodeJwt(result.json.access_token as string);
    expect(decodeProtectedHeader(result.json.access_token as string).alg).toBe('RS256');
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      tid: app.tenantId,
      appid: app.clientId,
      idtyp: 'app',
    });
    expect(claims.roles).toEqual([...DEFAULT_APP_ROLES]);
  });

  it('accepts client_secret_basic authentication', async () => {
    const app = sim.server.app();
    const basic = Buffer.from(`${app.clientId}:${app.clientSecret}`).toString('base64');
    const result = await sim.client.call(`/${app.tenantId}/oauth2/v2.0/token`, {
      headers: { authorization: `Basic ${basic}` },
      form: { grant_type: 'client_credentials', scope: 'https://graph.microsoft.com/.default' },
    });
    expect(result.status).toBe(200);
  });

  it('rejects a wrong secret with Entra’s AADSTS7000215 error body', async () => {
    const result = await clientCredentials({ client_secret: 'not-the-secret' });
    expect(result.status).toBe(401);
    expect(result.json.error).toBe('invalid_client');
    expect(result.json.error_codes).toEqual([7000215]);
    expect(result.json.error_description).toMatch(/^AADSTS7000215: /);
    for (const key of ['timestamp', 'trace_id', 'correlation_id'])
      expect(typeof result.json[key]).toBe('string');
  });

  it('rejects a scope without /.default', async () => {
    const result = await clientCredentials({ scope: 'https://graph.microsoft.com/User.Read.All' });
    expect(result.status).toBe(400);
    expect(result.json.error).toBe('invalid_scope');
  });

  it('rejects an unknown tenant and an unknown client id', async () => {
    const unknownTenant = await clientCredentials({}, '00000000-0000-0000-0000-000000000000');
    expect(unknownTenant.json.error_codes).toEqual([90002]);
    const unknownClient = await clientCredentials({ client_id: 'f00' });
    expect(unknownClient.json.error_codes).toEqual([700016]);
  });

  it('answers to the tenant’s verified domain as well as its id', async () => {
    const result = await clientCredentials({}, 'contoso.com');
    expect(result.status).toBe(200);
    expect(decodeJwt(result.json.access_token as string).tid).toBe(sim.server.app().tenantId);
  });
});

describe('SSO user token and JWKS', () => {
  it('issues a v2 token for the WarmPath API that verifies against the published JWKS', async () => {
    const app = sim.server.app();
    const token = await ssoToken(ADELE.upn);
    const jwks = createRemoteJWKSet(
      new URL(`${sim.server.url}/${app.tenantId}/discovery/v2.0/keys`),
      {
        [customFetch]: (url: string) => trustingFetch(url),
      },
    );
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: `${sim.server.url}/${app.tenantId}/v2.0`,
      audience: app.clientId,
    });
    expect(payload).toMatchObject({
      scp: 'access_as_user',
      tid: app.tenantId,
      oid: ADELE.id,
      name: 'Adele Vance',
      preferred_username: ADELE.upn,
      azp: '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
      ver: '2.0',
    });
    const keys = await sim.client.call(`/${app.tenantId}/discovery/v2.0/keys`);
    const key = keys.json.keys[0];
    expect(key).toMatchObject({
      kty: 'RSA',
      use: 'sig',
      kid: protectedHeader.kid,
      x5t: protectedHeader.kid,
    });
    expect(key.issuer).toBe(`${sim.server.url}/${app.tenantId}/v2.0`);
    expect(key.x5c).toHaveLength(1);
  });

  it('honours scp and expiresInSeconds overrides (an expired token fails verification)', async () => {
    const token = await ssoToken(ADELE.upn, { scp: 'other_scope', expiresInSeconds: -60 });
    const claims = decodeJwt(token);
    expect(claims.scp).toBe('other_scope');
    expect((claims.exp ?? 0) * 1000).toBeLessThan(Date.now());
    const app = sim.server.app();
    const jwks = createRemoteJWKSet(
      new URL(`${sim.server.url}/${app.tenantId}/discovery/v2.0/keys`),
      {
        [customFetch]: (url: string) => trustingFetch(url),
      },
    );
    await expect(jwtVerify(token, jwks)).rejects.toThrow(/exp/);
  });

  it('answers 404 for an unknown user and 400 without a upn', async () => {
    expect(
      (await sim.client.control('/token/user', { body: { upn: 'nobody@contoso.com' } })).status,
    ).toBe(404);
    expect((await sim.client.control('/token/user', { body: {} })).status).toBe(400);
  });

  it('publishes the v2 OpenID configuration and MSAL instance discovery', async () => {
    const app = sim.server.app();
    const config = await sim.client.call(`/${app.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(config.json).toMatchObject({
      issuer: `${sim.server.url}/${app.tenantId}/v2.0`,
      token_endpoint: `${sim.server.url}/${app.tenantId}/oauth2/v2.0/token`,
      jwks_uri: `${sim.server.url}/${app.tenantId}/discovery/v2.0/keys`,
    });
    const common = await sim.client.call('/common/v2.0/.well-known/openid-configuration');
    expect(common.json.issuer).toBe(`${sim.server.url}/{tenantid}/v2.0`);
    const discovery = await sim.client.call(
      `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${sim.server.url}/${app.tenantId}/oauth2/v2.0/authorize`)}`,
    );
    const host = new URL(sim.server.url).host;
    expect(discovery.json).toEqual({
      tenant_discovery_endpoint: `${sim.server.url}/${app.tenantId}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });
});

describe('on-behalf-of', () => {
  it('exchanges a user token for a delegated Graph token with scp', async () => {
    const result = await obo(
      await ssoToken(ADELE.upn),
      'https://graph.microsoft.com/User.Read offline_access',
    );
    expect(result.status).toBe(200);
    const claims = decodeJwt(result.json.access_token as string);
    expect(claims).toMatchObject({
      aud: 'https://graph.microsoft.com',
      scp: 'User.Read',
      oid: ADELE.id,
      idtyp: 'user',
    });
    const me = await sim.client.graph('/me', { token: result.json.access_token as string });
    expect(me.status).toBe(200);
    expect(me.json.userPrincipalName).toBe(ADELE.upn);
  });

  it('refuses an assertion issued for another audience', async () => {
    const graphToken = await sim.client.appToken();
    const result = await obo(graphToken);
    expect(result.status).toBe(400);
    expect(result.json.error).toBe('invalid_grant');
    expect(result.json.error_codes).toEqual([50013]);
  });

  it('answers AADSTS65001 while the tenant’s consent is switched off', async () => {
    const assertion = await ssoToken(ADELE.upn);
    expect((await sim.client.control('/faults', { body: { consent: false } })).status).toBe(200);
    try {
      const result = await obo(assertion);
      expect(result.status).toBe(400);
      expect(result.json.error).toBe('invalid_grant');
      expect(result.json.error_codes).toEqual([65001]);
      expect(result.json.suberror).toBe('consent_required');
      expect(result.json.error_description).toMatch(/^AADSTS65001: /);
    } finally {
      await sim.client.control('/faults', { method: 'DELETE' });
    }
    expect((await obo(assertion)).status).toBe(200);
  });
});

describe('@azure/msal-node against the simulator', () => {
  const authorityHost = () => new URL(sim.server.url).host;

  it('acquires an app token with client credentials (knownAuthorities)', async () => {
    const app = sim.server.app();
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        authority: `${sim.server.url}/${app.tenantId}`,
        knownAuthorities: [authorityHost()],
      },
      system: { networkClient: msalNetwork() },
    });
    const result = await cca.acquireTokenByClientCredential({
      scopes: ['https://graph.microsoft.com/.default'],
    });
    expect(result?.accessToken).toBeTruthy();
    const users = await sim.client.graph('/users?$top=1', { token: result?.accessToken });
    expect(users.status).toBe(200);
  });

  it('acquires an OBO token using the simulator’s instance discovery document', async () => {
    const app = sim.server.app();
    const authority = `${sim.server.url}/${app.tenantId}`;
    const discovery = await sim.client.call(
      `/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(`${authority}/oauth2/v2.0/authorize`)}`,
    );
    const cca = new ConfidentialClientApplication({
      auth: {
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        authority,
        cloudDiscoveryMetadata: discovery.text,
      },
      system: { networkClient: msalNetwork() },
    });
    const result = await cca.acquireTokenOnBehalfOf({
      oboAssertion: await ssoToken(ADELE.upn),
      scopes: ['https://graph.microsoft.com/Calendars.Read'],
    });
    expect(result?.accessToken).toBeTruthy();
    expect(decodeJwt(result?.accessToken ?? '').scp).toBe('Calendars.Read');
  });
});
