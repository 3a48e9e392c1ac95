// GET /api/admin/settings: the tenant's sync settings as the admin page shows them.
import { getTenantSettings } from '@warmpath/shared/store';
import { defineRoute } from './api-route.js';
import { AdminSettings, toAdminSettings } from './admin-settings-shape.js';

export const getAdminSettings = defineRoute({
  method: 'GET',
  path: '/api/admin/settings',
  operationId: 'getAdminSettings',
  summary: "The tenant's sync settings",
  tag: 'admin',
  auth: 'admin',
  response: AdminSettings,
  async handle({ caller, deps }) {
    return toAdminSettings(await getTenantSettings(deps.store.db, caller.tenantId));
  },
});
