// The permission table (infra/graph-permissions.json) and the Entra app manifest, read and
// compared with the Graph calls the code makes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { GraphCall, GraphMethod } from './find-graph-calls.js';

export type PermissionType = 'Application' | 'Delegated';

export interface PermissionRow {
  method: GraphMethod;
  path: string;
  /** null only for envelopes such as $batch, whose inner requests are checked on their own */
  permission: string | null;
  type: PermissionType | null;
  why: string;
}

export interface PermissionTable {
  calls: PermissionRow[];
  /** why each permission is asked for, in words for the admin guide */
  permissions: Record<string, string>;
}

export interface GrantedPermission {
  permission: string;
  type: PermissionType;
}

export const permissionKey = (granted: GrantedPermission): string =>
  `${granted.type} ${granted.permission}`;

/** Graph paths are case-insensitive and any {name} stands for any value. */
export const pathKey = (method: string, graphPath: string): string =>
  `${method} ${graphPath.replace(/\{[^}]*\}/g, '{}').toLowerCase()}`;

export function readPermissionTable(repoRoot: string): PermissionTable {
  return JSON.parse(
    readFileSync(path.join(repoRoot, 'infra', 'graph-permissions.json'), 'utf8'),
  ) as PermissionTable;
}

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** Microsoft Graph permissions the Entra app manifest requests (Role = application). */
export function readRequestedPermissions(repoRoot: string): GrantedPermission[] {
  const manifest = JSON.parse(
    readFileSync(path.join(repoRoot, 'infra', 'entra-app.manifest.json'), 'utf8'),
  ) as {
    requiredResourceAccess?: {
      resourceAppId: string;
      resourceAccess: { id: string; type: 'Role' | 'Scope' }[];
    }[];
  };
  return (manifest.requiredResourceAccess ?? [])
    .filter((resource) => ['Microsoft Graph', GRAPH_APP_ID].includes(resource.resourceAppId))
    .flatMap((resource) =>
      resource.resourceAccess.map((access) => ({
        permission: access.id,
        type: access.type === 'Role' ? ('Application' as const) : ('Delegated' as const),
      })),
    );
}

export interface PermissionDrift {
  /** calls in the code with no row in the table */
  unlisted: GraphCall[];
  /** rows no code calls any more */
  stale: PermissionRow[];
  /** permissions the code needs that the Entra manifest does not request */
  missing: GrantedPermission[];
  /** permissions the Entra manifest requests that no call needs */
  extra: GrantedPermission[];
  /** the permissions the calls in the code need */
  needed: GrantedPermission[];
}

export function comparePermissions(
  calls: readonly GraphCall[],
  table: PermissionTable,
  requested: readonly GrantedPermission[],
): PermissionDrift {
  const rows = new Map(table.calls.map((row) => [pathKey(row.method, row.path), row]));
  const called = new Set(calls.map((call) => pathKey(call.method, call.path)));
  const unlisted = calls.filter((call) => !rows.has(pathKey(call.method, call.path)));
  const stale = table.calls.filter((row) => !called.has(pathKey(row.method, row.path)));

  const needed = new Map<string, GrantedPermission>();
  for (const key of called) {
    const row = rows.get(key);
    if (row?.permission && row.type) {
      const granted = { permission: row.permission, type: row.type };
      needed.set(permissionKey(granted), granted);
    }
  }
  const requestedKeys = new Set(requested.map(permissionKey));
  return {
    unlisted,
    stale,
    missing: [...needed.values()].filter((granted) => !requestedKeys.has(permissionKey(granted))),
    extra: requested.filter((granted) => !needed.has(permissionKey(granted))),
    needed: [...needed.values()].sort((a, b) => permissionKey(a).localeCompare(permissionKey(b))),
  };
}
