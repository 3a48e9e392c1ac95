// The control API's test-only claim overrides on SSO tokens: what the service's bad-token tests
// need (another audience, a future nbf, an app-only token) still signed with the simulator's key.
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { ADELE, useTestSim } from './testing.js';

const sim = useTestSim();

describe('POST /_sim/token/user claims', () => {
  it('replaces claims and removes those given as null', async () => {
    const nbf = Math.floor(Date.now() / 1000) + 3600;
    const result = await sim.client.control('/token/user', {
      body: { upn: ADELE.upn, claims: { aud: 'api://other', nbf, scp: null, idtyp: 'app' } },
    });
    expect(result.status).toBe(200);
    const claims = decodeJwt(result.json.access_token as string);
    expect(claims).toMatchObject({ aud: 'api://other', nbf, idtyp: 'app', oid: ADELE.id });
    expect(claims).not.toHaveProperty('scp');
  });

  it('refuses claims that are not an object', async () => {
    const result = await sim.client.control('/token/user', {
      body: { upn: ADELE.upn, claims: ['aud'] },
    });
    expect(result.status).toBe(400);
    expect(result.json.error.message).toContain('claims must be an object');
  });
});
