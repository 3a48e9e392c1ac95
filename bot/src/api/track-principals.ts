// POST /api/admin/tracked: track users or groups by directory object id; their mailboxes are
// expanded and their first sync queued.
import { trackPrincipals as storeTracking, UnknownPrincipalError } from '@warmpath/shared/sync';
import { z } from 'zod';
import { ApiError, badRequest } from './api-error.js';
import { defineRoute } from './api-route.js';
import { ObjectIdText } from './schemas.js';

export const MAX_TRACK_AT_ONCE = 100;

export const trackPrincipals = defineRoute({
  method: 'POST',
  path: '/api/admin/tracked',
  operationId: 'trackPrincipals',
  summary: 'Track users or groups; their mailboxes are expanded and synced',
  tag: 'admin',
  auth: 'admin',
  body: z
    .object({
      ids: z
        .array(ObjectIdText)
        .min(1, 'ids must list at least one user or group id')
        .max(MAX_TRACK_AT_ONCE, `ids may list at most ${MAX_TRACK_AT_ONCE} at once`),
    })
    .strict(),
  response: z
    .object({ added: z.array(z.string()), alreadyTracked: z.array(z.string()) })
    .meta({ id: 'TrackResult' }),
  errors: [404],
  async handle({ body, caller, deps }) {
    const directory = deps.directoryFor(caller.tenantId);
    if (!directory) throw badRequest('The directory of your organisation cannot be read.');
    let result;
    try {
      result = await storeTracking({
        store: deps.store,
        directory,
        tenantId: caller.tenantId,
        references: body.ids,
        addedBy: caller.userName,
      });
    } catch (error) {
      if (error instanceof UnknownPrincipalError) {
        throw new ApiError(404, 'unknown_principal', error.message);
      }
      throw error;
    }
    if (result.added.length > 0) {
      await deps.requestSync({ tenantId: caller.tenantId, expandDirectory: true });
    }
    return { added: result.added.map((p) => p.principalId), alreadyTracked: result.alreadyTracked };
  },
});
