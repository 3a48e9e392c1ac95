// Entra built-in directory roles as Graph shows them (/me/memberOf): activated roles per tenant
// and who holds them. Template ids are Entra's own, the same in every tenant.
import type { GraphUser } from '../graph-types.js';
import { stableGuid } from './ids.js';

export interface RoleTemplate {
  roleTemplateId: string;
  displayName: string;
  description: string;
}

export const GLOBAL_ADMINISTRATOR = '62e90394-69f5-4237-9190-012177145e10';
export const PRIVILEGED_ROLE_ADMINISTRATOR = 'e8611ab8-c189-46e8-94e1-60213ab1f814';
export const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1';

export const ROLE_TEMPLATES: readonly RoleTemplate[] = [
  {
    roleTemplateId: GLOBAL_ADMINISTRATOR,
    displayName: 'Global Administrator',
    description:
      'Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.',
  },
  {
    roleTemplateId: PRIVILEGED_ROLE_ADMINISTRATOR,
    displayName: 'Privileged Role Administrator',
    description:
      'Can manage role assignments in Microsoft Entra ID, and all aspects of Privileged Identity Management.',
  },
  {
    roleTemplateId: USER_ADMINISTRATOR,
    displayName: 'User Administrator',
    description:
      'Can manage all aspects of users and groups, including resetting passwords for limited admins.',
  },
];

export function findRoleTemplate(id: string): RoleTemplate | undefined {
  const wanted = id.toLowerCase();
  return ROLE_TEMPLATES.find(
    (t) => t.roleTemplateId === wanted || t.displayName.toLowerCase() === wanted,
  );
}

/** The activated role's object id in one tenant (differs per tenant, unlike the template id). */
export function directoryRoleId(tenantId: string, roleTemplateId: string): string {
  return stableGuid(`warmpath-sim-role:${tenantId}:${roleTemplateId}`);
}

/** A directoryRole as Graph returns it in memberOf, with its "@odata.type". */
export function presentDirectoryRole(
  tenantId: string,
  template: RoleTemplate,
): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.directoryRole',
    id: directoryRoleId(tenantId, template.roleTemplateId),
    deletedDateTime: null,
    description: template.description,
    displayName: template.displayName,
    roleTemplateId: template.roleTemplateId,
  };
}

/**
 * Who holds which role when a tenant loads: the first enabled member user is the Global
 * Administrator (the CEO of a generated organisation, the first user of a tenant file).
 */
export function initialRoleAssignments(users: readonly GraphUser[]): Map<string, Set<string>> {
  const assignments = new Map<string, Set<string>>();
  const admin = users.find((u) => u.accountEnabled !== false && u.userType !== 'Guest');
  if (admin) assignments.set(admin.id, new Set([GLOBAL_ADMINISTRATOR]));
  return assignments;
}
