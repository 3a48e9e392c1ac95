// Test support for the auth module and the service: a simulator with two tenants (the small
// fixture, onboarded; a generated one that is not), and SSO tokens from it.
import { generateTenant, createTenantEngine, startSimServer, type SimServer } from '@warmpath/sim';
import { loadConfig, type MicrosoftTenantConfig } from '../config/index.js';
import { fixtureTenant } from '../sync/testing.js';

export const ADELE = { id: 'a1d3c6b2-7e4f-4c1a-8b2d-3f5e6a7b8c01', upn: 'adele.vance@contoso.com' };
export const ALEX = { id: 'b2e4d7c3-8f5a-4d2b-9c3e-4a6f7b8c9d02', upn: 'alex.wilber@contoso.com' };

export interface TwoTenantSimulator {
  server: SimServer;
  /** the fixture tenant (Contoso); Adele is its Global Administrator */
  home: MicrosoftTenantConfig;
  /** a second, generated tenant */
  other: MicrosoftTenantConfig;
  /** a user of the other tenant */
  otherUser: { id: string; upn: string };
  /** an SSO token for the WarmPath API; `extra` passes scp, expiresInSeconds or claims */
  ssoToken(upn: string, extra?: Record<string, unknown>): Promise<string>;
  control(method: string, path: string, body?: unknown): Promise<Response>;
  close(): Promise<void>;
}

export async function startTwoTenantSimulator(): Promise<TwoTenantSimulator> {
  const other = generateTenant({
    seed: 11,
    users: 25,
    companies: 3,
    months: 2,
    anchor: `${new Date().toISOString().slice(0, 7)}-01`,
  }).tenant;
  const server = await startSimServer({
    engines: [createTenantEngine(fixtureTenant()), createTenantEngine(other)],
    port: 0,
  });
  const configOf = (tenantId: string): MicrosoftTenantConfig => {
    const tenant = loadConfig(server.env(tenantId)).microsoft;
    if (!tenant) throw new Error('the simulator environment configured no tenant');
    return tenant;
  };
  const firstOther = other.users.find((u) => u.mail) ?? other.users[0];
  if (!firstOther) throw new Error('the generated tenant has no users');
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${server.url}/_sim${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    server,
    home: configOf(fixtureTenant().organization.id),
    other: configOf(other.organization.id),
    otherUser: { id: firstOther.id, upn: firstOther.userPrincipalName },
    control,
    async ssoToken(upn, extra = {}) {
      const response = await control('POST', '/token/user', { upn, ...extra });
      if (response.status !== 200) throw new Error(`no token for ${upn}: ${await response.text()}`);
      return ((await response.json()) as { access_token: string }).access_token;
    },
    close: () => server.close(),
  };
}
