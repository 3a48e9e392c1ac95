// GET /api/local/users (local mode only): whom the tab and add-in can sign in as in a plain
// browser, read from the tenant simulator with their admin roles.
import { ADMIN_ROLE_TEMPLATES } from '@warmpath/shared/auth';
import { z } from 'zod';
import { ApiError, notFound } from './api-error.js';
import { defineRoute } from './api-route.js';

interface SimUsers {
  users: Array<{
    userPrincipalName: string;
    displayName: string;
    accountEnabled: boolean;
    directoryRoles: Array<{ roleTemplateId: string }>;
  }>;
}

export const listLocalUsers = defineRoute({
  method: 'GET',
  path: '/api/local/users',
  operationId: 'listLocalUsers',
  summary: 'Local mode only: the simulated users to sign in as',
  tag: 'local',
  auth: 'none',
  localOnly: true,
  response: z
    .object({
      users: z.array(z.object({ upn: z.string(), displayName: z.string(), isAdmin: z.boolean() })),
    })
    .meta({ id: 'LocalUsers' }),
  errors: [404, 503],
  async handle({ deps }) {
    const local = deps.local;
    if (!local)
      throw notFound('Local sign-in exists only when WarmPath runs against its simulator.');
    const response = await fetch(
      `${local.url}/_sim/users?tenant=${encodeURIComponent(local.tenantId)}`,
      { signal: AbortSignal.timeout(5_000) },
    ).catch(() => undefined);
    if (!response?.ok)
      throw new ApiError(503, 'simulator_unavailable', 'The tenant simulator does not answer.');
    const body = (await response.json()) as SimUsers;
    return {
      users: body.users
        .filter((u) => u.accountEnabled)
        .map((u) => ({
          upn: u.userPrincipalName,
          displayName: u.displayName,
          isAdmin: u.directoryRoles.some((r) => ADMIN_ROLE_TEMPLATES.has(r.roleTemplateId)),
        })),
    };
  },
});
