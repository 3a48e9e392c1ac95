// GET /api/admin/sync: each tracked mailbox's sync state, in words an admin acts on.
import { readCoverage } from '@warmpath/shared/scoring';
import { readSyncStatus } from '@warmpath/shared/sync';
import { z } from 'zod';
import { defineRoute } from './api-route.js';
import { Coverage } from './schemas.js';

export const getSyncStatus = defineRoute({
  method: 'GET',
  path: '/api/admin/sync',
  operationId: 'getSyncStatus',
  summary: "Each tracked mailbox's sync state",
  tag: 'admin',
  auth: 'admin',
  response: z
    .object({
      coverage: Coverage,
      mailboxes: z.array(
        z.object({
          userId: z.string(),
          userPrincipalName: z.string(),
          displayName: z.string().nullable(),
          state: z.enum(['pending', 'syncing', 'synced', 'error', 'removed']),
          eventsStored: z.number().int(),
          progress: z.number().nullable(),
          lastSuccessAt: z.string().nullable(),
          lastError: z.string().nullable(),
          nextAttemptAt: z.string().nullable(),
        }),
      ),
    })
    .meta({ id: 'SyncStatus' }),
  async handle({ caller, deps }) {
    const { db } = deps.store;
    const tenantId = caller.tenantId;
    const [rows, coverage] = await Promise.all([
      readSyncStatus(deps.store, tenantId),
      readCoverage(db, tenantId),
    ]);
    const ids = rows.map((r) => r.id);
    const names = new Map<string, string | null>();
    for (let i = 0; i < ids.length; i += 500) {
      const people = await db
        .selectFrom('people')
        .select(['aad_object_id', 'display_name'])
        .where('tenant_id', '=', tenantId)
        .where('aad_object_id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const p of people) if (p.aad_object_id) names.set(p.aad_object_id, p.display_name);
    }
    return {
      coverage,
      mailboxes: rows.map((row) => ({
        userId: row.id,
        userPrincipalName: row.userPrincipalName,
        displayName: names.get(row.id) ?? null,
        state: row.state,
        eventsStored: row.eventsStored,
        // known only at the ends: a round's page count is not known ahead
        progress: row.state === 'synced' ? 1 : row.state === 'pending' ? 0 : null,
        lastSuccessAt: row.lastSuccessAt,
        lastError: row.lastError,
        nextAttemptAt: row.nextAttemptAt,
      })),
    };
  },
});
