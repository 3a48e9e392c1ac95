// POST /api/admin/sync: sync now — one mailbox, or every tracked one.
import { getMailbox } from '@warmpath/shared/store';
import { z } from 'zod';
import { notFound } from './api-error.js';
import { defineRoute } from './api-route.js';
import { ObjectIdText } from './schemas.js';

export const requestSync = defineRoute({
  method: 'POST',
  path: '/api/admin/sync',
  operationId: 'requestSync',
  summary: 'Sync now: one mailbox (userId) or every tracked one',
  tag: 'admin',
  auth: 'admin',
  status: 202,
  body: z.object({ userId: ObjectIdText.optional() }).strict(),
  response: z.object({ queued: z.boolean() }).meta({ id: 'SyncQueued' }),
  errors: [404],
  async handle({ body, caller, deps }) {
    if (body.userId !== undefined) {
      const mailbox = await getMailbox(deps.store.db, caller.tenantId, body.userId);
      if (!mailbox || mailbox.state === 'removed') {
        throw notFound(`${body.userId} is not a tracked mailbox.`);
      }
      await deps.requestSync({ tenantId: caller.tenantId, userId: body.userId });
    } else {
      await deps.requestSync({ tenantId: caller.tenantId });
    }
    return { queued: true };
  },
});
