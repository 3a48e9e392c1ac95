// GET /api/admin/tracked: the users and groups whose mailboxes WarmPath syncs, with how many
// mailboxes each brings in.
import { listMailboxes, listTrackedPrincipals as readTracked } from '@warmpath/shared/store';
import { z } from 'zod';
import { defineRoute } from './api-route.js';

export const TrackedPrincipal = z
  .object({
    id: z.string(),
    kind: z.enum(['user', 'group']),
    displayName: z.string().nullable(),
    email: z.string().nullable(),
    mailboxes: z.number().int(),
  })
  .meta({ id: 'TrackedPrincipal' });

export const listTrackedPrincipals = defineRoute({
  method: 'GET',
  path: '/api/admin/tracked',
  operationId: 'listTrackedPrincipals',
  summary: 'Tracked users and groups',
  tag: 'admin',
  auth: 'admin',
  response: z.object({ tracked: z.array(TrackedPrincipal) }).meta({ id: 'TrackedList' }),
  async handle({ caller, deps }) {
    const [principals, mailboxes] = await Promise.all([
      readTracked(deps.store.db, caller.tenantId),
      listMailboxes(deps.store.db, caller.tenantId),
    ]);
    const counts = new Map<string, number>();
    for (const mailbox of mailboxes) {
      if (mailbox.state === 'removed') continue;
      for (const via of mailbox.trackedVia) counts.set(via, (counts.get(via) ?? 0) + 1);
    }
    return {
      tracked: principals.map((p) => ({
        id: p.principalId,
        kind: p.kind,
        displayName: p.displayName,
        email: p.email,
        mailboxes: counts.get(p.principalId) ?? 0,
      })),
    };
  },
});
