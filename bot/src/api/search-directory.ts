// GET /api/admin/directory?q=: the admin picker's search over the tenant's users and mail
// groups (app-only Graph), by name, address or id.
import type { DirectoryGroup, DirectoryUser } from '@warmpath/shared/sync';
import { z } from 'zod';
import { badRequest } from './api-error.js';
import { defineRoute } from './api-route.js';

export const MAX_DIRECTORY_RESULTS = 25;
// the picker types a letter at a time: one directory read serves a minute of typing
const DIRECTORY_CACHE_MS = 60_000;
interface DirectorySnapshot {
  at: number;
  read: Promise<{ users: DirectoryUser[]; groups: DirectoryGroup[] }>;
}
const snapshots = new Map<string, DirectorySnapshot>();

export const searchDirectory = defineRoute({
  method: 'GET',
  path: '/api/admin/directory',
  operationId: 'searchDirectory',
  summary: 'Search users and groups to track',
  tag: 'admin',
  auth: 'admin',
  query: z.object({
    q: z.string().trim().min(1, 'q must not be empty').max(100, 'q must be at most 100 characters'),
  }),
  response: z
    .object({
      results: z.array(
        z.object({
          id: z.string(),
          kind: z.enum(['user', 'group']),
          displayName: z.string(),
          email: z.string().nullable(),
        }),
      ),
    })
    .meta({ id: 'DirectoryResults' }),
  async handle({ query, caller, deps }) {
    const directory = deps.directoryFor(caller.tenantId);
    if (!directory) throw badRequest('The directory of your organisation cannot be read.');
    let snapshot = snapshots.get(caller.tenantId);
    if (snapshot === undefined || Date.now() - snapshot.at > DIRECTORY_CACHE_MS) {
      const read = Promise.all([directory.listUsers(), directory.listMailGroups()]).then(
        ([users, groups]) => ({ users, groups }),
      );
      read.catch(() => snapshots.delete(caller.tenantId));
      snapshot = { at: Date.now(), read };
      snapshots.set(caller.tenantId, snapshot);
    }
    const { users, groups } = await snapshot.read;
    const typed = query.q.toLowerCase();
    const matches = (...fields: Array<string | null>) =>
      fields.some((field) => field !== null && field.toLowerCase().includes(typed));
    const results = [
      ...groups
        .filter((g) => matches(g.displayName, g.mail, g.id))
        .map((g) => ({
          id: g.id,
          kind: 'group' as const,
          displayName: g.displayName ?? g.mail ?? g.id,
          email: g.mail,
        })),
      ...users
        .filter(
          (u) =>
            u.accountEnabled !== false && matches(u.displayName, u.mail, u.userPrincipalName, u.id),
        )
        .map((u) => ({
          id: u.id,
          kind: 'user' as const,
          displayName: u.displayName ?? u.userPrincipalName,
          email: u.mail,
        })),
    ];
    // names starting with the text first
    const starts = (name: string) => (name.toLowerCase().startsWith(typed) ? 0 : 1);
    results.sort(
      (a, b) =>
        starts(a.displayName) - starts(b.displayName) || a.displayName.localeCompare(b.displayName),
    );
    return { results: results.slice(0, MAX_DIRECTORY_RESULTS) };
  },
});
