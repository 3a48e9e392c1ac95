// Directory roles through Graph's memberOf, as WarmPath's admin check reads them, and the control
// routes that assign them: shapes held to Microsoft's documented sample.
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR } from './directory-roles.js';
import { ADELE, ALEX, sample, useTestSim } from './testing.js';

const sim = useTestSim();

async function delegatedGraphToken(upn: string, scope: string): Promise<string> {
  const sso = await sim.client.control('/token/user', { body: { upn } });
  const app = sim.server.app();
  const result = await sim.client.call(`/${app.tenantId}/oauth2/v2.0/token`, {
    form: {
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      assertion: sso.json.access_token as string,
      scope,
      requested_token_use: 'on_behalf_of',
    },
  });
  expect(result.status).toBe(200);
  return result.json.access_token as string;
}

// the directoryRole of /me/memberOf in json-batching__example-response-mixed-200-403-405.json
function sampleDirectoryRole(): Record<string, unknown> {
  const batch = sample('json-batching__example-response-mixed-200-403-405.json') as {
    responses: Array<{ body?: { value?: Array<Record<string, unknown>> } }>;
  };
  const role = batch.responses
    .flatMap((r) => r.body?.value ?? [])
    .find((v) => v['@odata.type'] === '#microsoft.graph.directoryRole');
  if (!role) throw new Error('the sample holds no directoryRole');
  return role;
}

describe('directory roles in memberOf', () => {
  it("the tenant's first user is its Global Administrator, shaped as Graph's sample", async () => {
    const token = await delegatedGraphToken(ADELE.upn, 'https://graph.microsoft.com/User.Read');
    expect(decodeJwt(token).scp).toBe('User.Read');
    const roles = await sim.client.graph(
      '/me/memberOf/microsoft.graph.directoryRole?$select=id,displayName,roleTemplateId',
      { token },
    );
    expect(roles.status).toBe(200);
    expect(roles.json['@odata.context']).toContain('$metadata#directoryRoles');
    expect(roles.json.value).toHaveLength(1);
    expect(roles.json.value[0]).toMatchObject({
      displayName: 'Global Administrator',
      roleTemplateId: GLOBAL_ADMINISTRATOR,
    });
    const full = await sim.client.graph('/me/memberOf', { token });
    const role = full.json.value.find(
      (v: Record<string, unknown>) => v['@odata.type'] === '#microsoft.graph.directoryRole',
    );
    expect(Object.keys(role).sort()).toEqual(Object.keys(sampleDirectoryRole()).sort());
  });

  it('lists direct group memberships as groups, and none for a user with no role', async () => {
    const token = await delegatedGraphToken(ALEX.upn, 'https://graph.microsoft.com/User.Read');
    const all = await sim.client.graph('/me/memberOf', { token });
    expect(all.status).toBe(200);
    const types = new Set(all.json.value.map((v: Record<string, unknown>) => v['@odata.type']));
    expect(types).toEqual(new Set(['#microsoft.graph.group']));
    const roles = await sim.client.graph('/me/memberOf/microsoft.graph.directoryRole', { token });
    expect(roles.json.value).toEqual([]);
  });

  it("User.Read reaches only the caller's own memberships; app-only needs Directory.Read.All", async () => {
    const token = await delegatedGraphToken(ALEX.upn, 'https://graph.microsoft.com/User.Read');
    const other = await sim.client.graph(`/users/${ADELE.id}/memberOf`, { token });
    expect(other.status).toBe(403);
    expect(other.json.error.code).toBe('Authorization_RequestDenied');
    const appOnly = await sim.client.graph(`/users/${ADELE.id}/memberOf`);
    expect(appOnly.status).toBe(403);
    const bad = await sim.client.graph('/me/memberOf/microsoft.graph.user', { token });
    expect(bad.status).toBe(400);
  });

  it('the control API assigns and removes roles and lists users with theirs', async () => {
    const assign = await sim.client.control(`/users/${ALEX.upn}/directoryRoles`, {
      body: { roleTemplateId: USER_ADMINISTRATOR },
    });
    expect(assign.status).toBe(204);
    const token = await delegatedGraphToken(ALEX.upn, 'https://graph.microsoft.com/User.Read');
    const roles = await sim.client.graph('/me/memberOf/microsoft.graph.directoryRole', { token });
    expect(roles.json.value.map((r: { displayName: string }) => r.displayName)).toEqual([
      'User Administrator',
    ]);
    const users = await sim.client.control('/users', { method: 'GET' });
    const alex = users.json.users.find(
      (u: { userPrincipalName: string }) => u.userPrincipalName === ALEX.upn,
    );
    expect(alex.directoryRoles).toEqual([
      { roleTemplateId: USER_ADMINISTRATOR, displayName: 'User Administrator' },
    ]);
    const removed = await sim.client.control(
      `/users/${ALEX.upn}/directoryRoles/${USER_ADMINISTRATOR}`,
      { method: 'DELETE' },
    );
    expect(removed.status).toBe(204);
    const unknown = await sim.client.control(`/users/${ALEX.upn}/directoryRoles`, {
      body: { roleTemplateId: 'not-a-role' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toContain('Global Administrator');
  });
});
