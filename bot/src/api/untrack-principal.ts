// DELETE /api/admin/tracked/{id}: stop tracking a user or group; the next expansion retires the
// mailboxes nothing else tracks.
import { removeTrackedPrincipal } from '@warmpath/shared/store';
import { z } from 'zod';
import { notFound } from './api-error.js';
import { defineRoute } from './api-route.js';
import { ObjectIdText } from './schemas.js';

export const untrackPrincipal = defineRoute({
  method: 'DELETE',
  path: '/api/admin/tracked/{id}',
  operationId: 'untrackPrincipal',
  summary: 'Stop tracking a user or group',
  tag: 'admin',
  auth: 'admin',
  params: z.object({ id: ObjectIdText }),
  response: z.object({ removed: z.string() }).meta({ id: 'UntrackResult' }),
  errors: [404],
  async handle({ params, caller, deps }) {
    const removed = await removeTrackedPrincipal(deps.store.db, caller.tenantId, params.id);
    if (!removed) throw notFound(`${params.id} is not tracked.`);
    await deps.requestSync({ tenantId: caller.tenantId, expandDirectory: true });
    return { removed: params.id };
  },
});
