// The caller's own Graph view through on-behalf-of (msal-node): their profile and whether they
// hold an admin role. Least privilege: both calls need only the delegated permission User.Read
// (GET /me, and GET /me/memberOf/microsoft.graph.directoryRole for the signed-in user).
import { ConfidentialClientApplication, LogLevel } from '@azure/msal-node';
import { LRUCache } from 'lru-cache';
import type { MicrosoftTenantConfig } from '../config/index.js';
import { msalAuthOptions } from '../graph/auth.js';
import type { Logger } from '../log/index.js';
import { AuthError, ConsentRequiredError } from './auth-errors.js';
import type { Caller } from './verify-access-token.js';

/** The delegated Graph permissions on-behalf-of asks for (docs/api.md lists them). */
export const DELEGATED_SCOPES = ['https://graph.microsoft.com/User.Read'] as const;
/** Entra built-in roles that may administer WarmPath in a tenant (role template ids). */
export const ADMIN_ROLE_TEMPLATES: ReadonlyMap<string, string> = new Map([
  ['62e90394-69f5-4237-9190-012177145e10', 'Global Administrator'],
  ['e8611ab8-c189-46e8-94e1-60213ab1f814', 'Privileged Role Administrator'],
]);
/** How long a caller's profile and roles are reused before Graph is asked again. */
export const IDENTITY_TTL_MS = 5 * 60_000;
const GRAPH_TIMEOUT_MS = 10_000;

export interface DirectoryProfile {
  id: string;
  displayName: string;
  mail: string | null;
  userPrincipalName: string;
}

export interface CallerDirectoryView {
  profile: DirectoryProfile;
  /** display names of the directory roles the caller holds */
  roles: string[];
  /** holds Global Administrator or Privileged Role Administrator */
  isAdmin: boolean;
}

export interface OnBehalfOfGraph {
  /** The caller's profile and admin standing; throws ConsentRequiredError or AuthError (503). */
  directoryView(caller: Caller): Promise<CallerDirectoryView>;
}

export interface OnBehalfOfGraphOptions {
  /** the WarmPath app registration used for the tenant (its tenantId is the caller's) */
  appFor(tenantId: string): MicrosoftTenantConfig | undefined;
  logger: Logger;
  ttlMs?: number;
}

/** Where a tenant's admin grants WarmPath's permissions for the whole organisation. */
export function adminConsentUrl(
  app: Pick<MicrosoftTenantConfig, 'authorityHost' | 'clientId'>,
  tenantId: string,
): string {
  const authority = app.authorityHost.replace(/\/+$/, '');
  return `${authority}/${encodeURIComponent(tenantId)}/adminconsent?client_id=${encodeURIComponent(app.clientId)}`;
}

function isConsentError(error: unknown): boolean {
  const e = error as {
    errorCode?: unknown;
    subError?: unknown;
    errorMessage?: unknown;
    message?: unknown;
  };
  const text = `${String(e.errorMessage ?? '')} ${String(e.message ?? '')}`;
  return (
    e.subError === 'consent_required' ||
    /AADSTS65001\b/.test(text) ||
    e.errorCode === 'consent_required'
  );
}

export function createOnBehalfOfGraph(options: OnBehalfOfGraphOptions): OnBehalfOfGraph {
  const { logger } = options;
  const clients = new Map<string, ConfidentialClientApplication>();
  const ttlMs = options.ttlMs ?? IDENTITY_TTL_MS;
  const views = new LRUCache<string, CallerDirectoryView>({ max: 10_000, ttl: Math.max(1, ttlMs) });
  const pending = new Map<string, Promise<CallerDirectoryView>>();

  function clientFor(app: MicrosoftTenantConfig): ConfidentialClientApplication {
    const key = `${app.tenantId}|${app.clientId}`;
    let client = clients.get(key);
    if (client === undefined) {
      client = new ConfidentialClientApplication({
        auth: msalAuthOptions(app),
        system: {
          loggerOptions: {
            piiLoggingEnabled: false,
            logLevel: LogLevel.Warning,
            loggerCallback: (level, message) => {
              if (level <= LogLevel.Error) logger.warn({ msal: message }, 'msal-node on-behalf-of');
            },
          },
        },
      });
      clients.set(key, client);
    }
    return client;
  }

  async function graphGet<T>(app: MicrosoftTenantConfig, token: string, path: string): Promise<T> {
    const response = await fetch(`${app.graphBaseUrl.replace(/\/+$/, '')}/v1.0${path}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(GRAPH_TIMEOUT_MS),
    });
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error?: { code?: string } };
      throw new Error(
        `Graph ${path.split('?')[0]} answered ${response.status} ${body.error?.code ?? ''}`.trim(),
      );
    }
    return (await response.json()) as T;
  }

  async function lookUp(caller: Caller): Promise<CallerDirectoryView> {
    const configured = options.appFor(caller.tenantId);
    if (configured === undefined) {
      throw new AuthError(
        403,
        'tenant_not_onboarded',
        'Your organisation has not set up WarmPath yet.',
      );
    }
    const app = { ...configured, tenantId: caller.tenantId };
    let graphToken: string;
    try {
      const result = await clientFor(app).acquireTokenOnBehalfOf({
        oboAssertion: caller.token,
        scopes: [...DELEGATED_SCOPES],
      });
      if (!result?.accessToken) throw new Error('Entra ID returned no access token');
      graphToken = result.accessToken;
    } catch (error) {
      if (isConsentError(error))
        throw new ConsentRequiredError(adminConsentUrl(app, caller.tenantId));
      logger.warn(
        { tenantId: caller.tenantId, err: { code: (error as { errorCode?: string }).errorCode } },
        'on-behalf-of exchange failed',
      );
      throw new AuthError(
        503,
        'directory_unavailable',
        'Microsoft Entra ID could not be reached to check who you are; try again shortly.',
      );
    }
    try {
      const [me, memberOf] = await Promise.all([
        graphGet<DirectoryProfile>(
          app,
          graphToken,
          '/me?$select=id,displayName,mail,userPrincipalName',
        ),
        graphGet<{ value: Array<{ roleTemplateId?: string; displayName?: string }> }>(
          app,
          graphToken,
          '/me/memberOf/microsoft.graph.directoryRole?$select=id,displayName,roleTemplateId',
        ),
      ]);
      const templates = memberOf.value.map((role) => role.roleTemplateId ?? '');
      return {
        profile: {
          id: me.id,
          displayName: me.displayName,
          mail: me.mail ?? null,
          userPrincipalName: me.userPrincipalName,
        },
        roles: memberOf.value.map((role) => role.displayName ?? role.roleTemplateId ?? ''),
        isAdmin: templates.some((id) => ADMIN_ROLE_TEMPLATES.has(id)),
      };
    } catch (error) {
      logger.warn(
        { tenantId: caller.tenantId, err: error },
        'reading the caller from Graph failed',
      );
      throw new AuthError(
        503,
        'directory_unavailable',
        'Microsoft Graph could not be reached to check who you are; try again shortly.',
      );
    }
  }

  return {
    async directoryView(caller) {
      const key = `${caller.tenantId}|${caller.objectId}`;
      const cached = views.get(key);
      if (cached !== undefined) return cached;
      // concurrent requests of one caller share one exchange
      let inFlight = pending.get(key);
      if (inFlight === undefined) {
        inFlight = lookUp(caller).finally(() => pending.delete(key));
        pending.set(key, inFlight);
      }
      const view = await inFlight;
      // 0 turns the cache off (tests that change roles between calls)
      if (ttlMs > 0) views.set(key, view);
      return view;
    },
  };
}
