// On-behalf-of against the simulator's Entra and Graph: the caller's profile, admin standing from
// directory roles, consent errors as something the front ends can act on, and one exchange per
// caller while the answer is fresh.
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, ConsentRequiredError } from './auth-errors.js';
import { createOnBehalfOfGraph } from './on-behalf-of.js';
import { ADELE, ALEX, startTwoTenantSimulator, type TwoTenantSimulator } from './testing.js';
import type { Caller } from './verify-access-token.js';

let sim: TwoTenantSimulator;
beforeAll(async () => {
  sim = await startTwoTenantSimulator();
});
afterAll(async () => {
  await sim?.close();
});

async function caller(user: { id: string; upn: string }): Promise<Caller> {
  return {
    tenantId: sim.home.tenantId,
    objectId: user.id,
    userName: user.upn,
    displayName: '',
    scopes: ['access_as_user'],
    token: await sim.ssoToken(user.upn),
  };
}

function oboGraph(ttlMs?: number) {
  return createOnBehalfOfGraph({
    appFor: (tenantId) => (tenantId === sim.home.tenantId ? sim.home : undefined),
    logger: pino({ level: 'silent' }),
    ...(ttlMs === undefined ? {} : { ttlMs }),
  });
}

function entraRequests(): number {
  return sim.server.stats().requests.entra;
}

describe('createOnBehalfOfGraph', () => {
  it("reads the caller's profile and finds the Global Administrator role", async () => {
    const view = await oboGraph().directoryView(await caller(ADELE));
    expect(view.profile).toMatchObject({ id: ADELE.id, userPrincipalName: ADELE.upn });
    expect(view.roles).toEqual(['Global Administrator']);
    expect(view.isAdmin).toBe(true);
  });

  it('a user without an admin role is not an admin; a User Administrator is not either', async () => {
    const graph = oboGraph(0);
    expect((await graph.directoryView(await caller(ALEX))).isAdmin).toBe(false);
    await sim.control('POST', `/users/${ALEX.upn}/directoryRoles`, {
      roleTemplateId: 'User Administrator',
    });
    try {
      const view = await graph.directoryView(await caller(ALEX));
      expect(view.roles).toEqual(['User Administrator']);
      expect(view.isAdmin).toBe(false);
      await sim.control('POST', `/users/${ALEX.upn}/directoryRoles`, {
        roleTemplateId: 'Privileged Role Administrator',
      });
      expect((await graph.directoryView(await caller(ALEX))).isAdmin).toBe(true);
    } finally {
      for (const role of ['User Administrator', 'Privileged Role Administrator']) {
        await sim.control(
          'DELETE',
          `/users/${ALEX.upn}/directoryRoles/${encodeURIComponent(role)}`,
        );
      }
    }
  });

  it('exchanges once per caller while the answer is fresh, even for concurrent requests', async () => {
    const graph = oboGraph();
    const adele = await caller(ADELE);
    const before = entraRequests();
    const views = await Promise.all([1, 2, 3, 4].map(() => graph.directoryView(adele)));
    expect(new Set(views).size).toBe(1);
    await graph.directoryView(adele);
    expect(entraRequests() - before).toBeLessThanOrEqual(2);
  });

  it('turns AADSTS65001 into ConsentRequiredError with the admin consent URL', async () => {
    await sim.control('POST', '/faults', { consent: false });
    try {
      const error = await oboGraph()
        .directoryView(await caller(ALEX))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConsentRequiredError);
      const consent = error as ConsentRequiredError;
      expect(consent.status).toBe(403);
      expect(consent.code).toBe('consent_required');
      expect(consent.adminConsentUrl).toBe(
        `${sim.home.authorityHost}/${sim.home.tenantId}/adminconsent?client_id=${sim.home.clientId}`,
      );
    } finally {
      await sim.control('DELETE', '/faults');
    }
  });

  it('a Graph outage is a 503 AuthError, not consent', async () => {
    await sim.control('POST', '/faults', { rate503: 1, retryAfterSeconds: 1 });
    try {
      const error = await oboGraph()
        .directoryView(await caller(ALEX))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).status).toBe(503);
      expect((error as AuthError).code).toBe('directory_unavailable');
    } finally {
      await sim.control('DELETE', '/faults');
    }
  });
});
