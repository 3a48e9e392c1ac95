// GET /api/admin/consent: whether the tenant's admin has granted WarmPath's application
// permissions, and where to grant them.
import { adminConsentUrl } from '@warmpath/shared/auth';
import { z } from 'zod';
import { defineRoute } from './api-route.js';

export const getAdminConsent = defineRoute({
  method: 'GET',
  path: '/api/admin/consent',
  operationId: 'getAdminConsent',
  summary: "Whether WarmPath's application permissions are granted, and the admin consent URL",
  tag: 'admin',
  auth: 'admin',
  response: z
    .object({ granted: z.boolean(), adminConsentUrl: z.string() })
    .meta({ id: 'AdminConsent' }),
  async handle({ caller, deps }) {
    const app = deps.tenantApps.appFor(caller.tenantId);
    return {
      granted: await deps.appConsentGranted(caller.tenantId),
      adminConsentUrl: app ? adminConsentUrl(app, caller.tenantId) : '',
    };
  },
});
