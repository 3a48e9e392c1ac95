// POST /api/local/sign-in (local mode only): an SSO token from the simulator for a user, so the
// tab and add-in work in a plain browser. Clearly labelled: no real sign-in happens.
import { z } from 'zod';
import { ApiError, notFound } from './api-error.js';
import { defineRoute } from './api-route.js';

export const LOCAL_SIGN_IN_LABEL = 'local sign-in (simulator)';

export const localSignIn = defineRoute({
  method: 'POST',
  path: '/api/local/sign-in',
  operationId: 'localSignIn',
  summary: 'Local mode only: an SSO token from the simulator for a user',
  tag: 'local',
  auth: 'none',
  localOnly: true,
  body: z
    .object({ upn: z.string().trim().min(3, 'upn must be a user principal name').max(320) })
    .strict(),
  response: z
    .object({
      accessToken: z.string(),
      expiresIn: z.number().int(),
      tokenType: z.literal('Bearer'),
      label: z.literal(LOCAL_SIGN_IN_LABEL),
    })
    .meta({ id: 'LocalSignIn' }),
  errors: [404, 503],
  async handle({ body, deps }) {
    const local = deps.local;
    if (!local)
      throw notFound('Local sign-in exists only when WarmPath runs against its simulator.');
    const response = await fetch(`${local.url}/_sim/token/user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ upn: body.upn, tenant: local.tenantId }),
      signal: AbortSignal.timeout(5_000),
    }).catch(() => undefined);
    if (response === undefined) {
      throw new ApiError(503, 'simulator_unavailable', 'The tenant simulator does not answer.');
    }
    if (response.status === 404) throw notFound(`No simulated user ${body.upn}.`);
    if (!response.ok)
      throw new ApiError(503, 'simulator_unavailable', 'The tenant simulator refused the sign-in.');
    const token = (await response.json()) as { access_token: string; expires_in: number };
    return {
      accessToken: token.access_token,
      expiresIn: token.expires_in,
      tokenType: 'Bearer' as const,
      label: LOCAL_SIGN_IN_LABEL,
    };
  },
});
