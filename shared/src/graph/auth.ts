// App-only Graph tokens (client credentials) from Entra ID through @azure/msal-node.
import { ConfidentialClientApplication, LogLevel, type AuthError } from '@azure/msal-node';
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import type { MicrosoftTenantConfig } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { GraphError } from './errors.js';

/** The token audience is Graph itself, wherever GRAPH_BASE_URL points (the simulator, a proxy). */
export const GRAPH_APP_SCOPE = 'https://graph.microsoft.com/.default';

/** Renew this long before expiry, as msal-node's own refresh offset does. */
export const TOKEN_RENEW_BEFORE_MS = 5 * 60_000;

// Entra hosts MSAL carries instance metadata for (msal-common AuthorityMetadata); any other host,
// such as the tenant simulator, must be named a known authority or MSAL asks
// login.microsoftonline.com to vouch for it.
const ENTRA_CLOUD_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.windows.net',
  'login.microsoft.com',
  'sts.windows.net',
  'login.partner.microsoftonline.cn',
  'login.chinacloudapi.cn',
  'login.microsoftonline.de',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
  'login-us.microsoftonline.com',
  'login.sovcloud-identity.fr',
  'login.sovcloud-identity.de',
  'login.sovcloud-identity.sg',
]);

export interface AccessToken {
  token: string;
  expiresOnMs: number;
}

export interface CachedTokenSource {
  getAccessToken(): Promise<string>;
  /** Token requests made so far (not counting cache hits). */
  readonly acquisitions: number;
}

/**
 * Keeps the last token until TOKEN_RENEW_BEFORE_MS before it expires; callers arriving while a
 * token is being fetched share that one request.
 */
export function cacheAccessToken(
  acquire: () => Promise<AccessToken>,
  now: () => number = Date.now,
): CachedTokenSource {
  let current: AccessToken | undefined;
  let pending: Promise<AccessToken> | undefined;
  let acquisitions = 0;
  return {
    get acquisitions() {
      return acquisitions;
    },
    async getAccessToken() {
      if (current && current.expiresOnMs - now() > TOKEN_RENEW_BEFORE_MS) return current.token;
      if (!pending) {
        acquisitions += 1;
        pending = acquire().finally(() => {
          pending = undefined;
        });
      }
      current = await pending;
      return current.token;
    },
  };
}

export type AppOnlyAuthProvider = AuthenticationProvider & CachedTokenSource;

/** MSAL options for `tenant`: known-authority declaration only for hosts MSAL cannot discover. */
export function msalAuthOptions(tenant: MicrosoftTenantConfig): {
  clientId: string;
  clientSecret: string;
  authority: string;
  knownAuthorities?: string[];
} {
  const authorityHost = new URL(tenant.authorityHost);
  const options = {
    clientId: tenant.clientId,
    clientSecret: tenant.clientSecret,
    authority: `${tenant.authorityHost.replace(/\/+$/, '')}/${tenant.tenantId}`,
  };
  return ENTRA_CLOUD_HOSTS.has(authorityHost.hostname.toLowerCase())
    ? options
    : { ...options, knownAuthorities: [authorityHost.host] };
}

/** A Graph-SDK auth provider issuing app-only tokens for one tenant. */
export function createAppOnlyAuthProvider(
  tenant: MicrosoftTenantConfig,
  logger: Logger,
): AppOnlyAuthProvider {
  const msal = new ConfidentialClientApplication({
    auth: msalAuthOptions(tenant),
    system: {
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        // MSAL warns on every client-credentials token ("No client info in response"): debug
        loggerCallback: (level, message) => {
          if (level <= LogLevel.Error) logger.error({ msal: message }, 'msal-node error');
          else logger.debug({ msal: message }, 'msal-node warning');
        },
      },
    },
  });
  return cacheAccessToken(async () => {
    let result;
    try {
      result = await msal.acquireTokenByClientCredential({ scopes: [GRAPH_APP_SCOPE] });
    } catch (error) {
      throw tokenError(tenant, error);
    }
    if (!result?.accessToken)
      throw tokenError(tenant, new Error('Entra ID returned no access token.'));
    const expiresOnMs = result.expiresOn?.getTime() ?? Date.now() + TOKEN_RENEW_BEFORE_MS;
    logger.debug(
      { tenantId: tenant.tenantId, expiresOn: new Date(expiresOnMs).toISOString() },
      'graph app token acquired',
    );
    return { token: result.accessToken, expiresOnMs };
  });
}

function tokenError(tenant: MicrosoftTenantConfig, error: unknown): GraphError {
  const auth = error as Partial<AuthError>;
  const entraCode =
    typeof auth.errorCode === 'string' && auth.errorCode
      ? auth.errorCode
      : 'tokenAcquisitionFailed';
  const detail =
    typeof auth.errorMessage === 'string' && auth.errorMessage ? auth.errorMessage : String(error);
  return new GraphError({
    status: 0,
    code: entraCode,
    message:
      `Entra ID gave no Graph token for tenant ${tenant.tenantId} at ${tenant.authorityHost}: ${detail} ` +
      'Check TENANT_ID, CLIENT_ID and CLIENT_SECRET (secrets expire), and that an admin consented to the app.',
    cause: error,
  });
}
