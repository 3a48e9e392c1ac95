// Whether a tenant's admin has consented to WarmPath's application permissions: an app-only
// token from Entra carries them in `roles` (none at all when nothing is consented).
import { decodeJwt } from 'jose';
import type { MicrosoftTenantConfig } from '../config/index.js';
import { createAppOnlyAuthProvider } from '../graph/auth.js';
import type { Logger } from '../log/index.js';

/** true when an app-only token for the tenant holds every one of `requiredRoles`. */
export async function appRolesGranted(
  app: MicrosoftTenantConfig,
  requiredRoles: readonly string[],
  logger: Logger,
): Promise<boolean> {
  try {
    const token = await createAppOnlyAuthProvider(app, logger).getAccessToken();
    const roles = decodeJwt(token).roles;
    return Array.isArray(roles) && requiredRoles.every((role) => roles.includes(role));
  } catch (error) {
    // Entra refuses an app the tenant never consented to: not granted
    logger.info(
      { tenantId: app.tenantId, err: { message: (error as Error).message } },
      'no app-only token',
    );
    return false;
  }
}
