// Entra ID's v2.0 endpoints as MSAL and WarmPath use them: token (client credentials and
// on-behalf-of), JWKS, OpenID configuration, instance discovery.
import { randomUUID } from 'node:crypto';
import type { SimState, TenantState } from './state.js';
import { DEFAULT_TOKEN_SECONDS, GRAPH_APP_ID, GRAPH_AUDIENCE, userIssuer } from './tokens.js';

export interface EntraResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const JSON_HEADERS = {
  'Content-Type': 'application/json; charset=utf-8',
  'Cache-Control': 'no-store, no-cache',
};
const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** Entra's error body: error, AADSTS description, codes, timestamp, trace and correlation ids. */
export function entraError(
  status: number,
  error: string,
  code: number,
  description: string,
  correlationId: string = randomUUID(),
  extra: Record<string, unknown> = {},
): EntraResponse {
  const traceId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    status,
    headers: { ...JSON_HEADERS },
    body: {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
      ...extra,
    },
  };
}

function ok(body: unknown): EntraResponse {
  return { status: 200, headers: { ...JSON_HEADERS }, body };
}

/** AADSTS900144: a required form parameter is absent. */
function missingParameter(name: string, correlationId: string): EntraResponse {
  return entraError(
    400,
    'invalid_request',
    900144,
    `The request body must contain the following parameter: '${name}'.`,
    correlationId,
  );
}

export class EntraService {
  constructor(private readonly state: SimState) {}

  /** Routes `/{tenant}/…` and `/common/discovery/instance`; undefined when the path is not Entra's. */
  async handle(
    method: string,
    segments: string[],
    query: URLSearchParams,
    headers: Record<string, string | undefined>,
    rawBody: string,
  ): Promise<EntraResponse | undefined> {
    const [tenantSegment] = segments;
    if (tenantSegment === undefined) return undefined;
    const path = segments.slice(1).join('/').toLowerCase();
    if (
      tenantSegment.toLowerCase() === 'common' &&
      path === 'discovery/instance' &&
      method === 'GET'
    ) {
      return this.instanceDiscovery(query);
    }
    if (path === 'oauth2/v2.0/token' && method === 'POST') {
      return this.token(tenantSegment, headers, rawBody);
    }
    if ((path === 'discovery/v2.0/keys' || path === 'discovery/keys') && method === 'GET') {
      return this.keys(tenantSegment);
    }
    if (path === 'v2.0/.well-known/openid-configuration' && method === 'GET') {
      return this.openIdConfiguration(tenantSegment);
    }
    return undefined;
  }

  private knownTenantOrTemplate(
    segment: string,
  ): { tenant?: TenantState; name: string } | undefined {
    const generic = ['common', 'organizations', 'consumers'].includes(segment.toLowerCase());
    if (generic) return { name: '{tenantid}' };
    const tenant = this.state.findTenant(segment);
    return tenant ? { tenant, name: tenant.tenantId } : undefined;
  }

  private tenantNotFound(segment: string): EntraResponse {
    return entraError(
      400,
      'invalid_tenant',
      90002,
      `Tenant '${segment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    );
  }

  private async keys(segment: string): Promise<EntraResponse> {
    const found = this.knownTenantOrTemplate(segment);
    if (!found) return this.tenantNotFound(segment);
    const issuer = userIssuer(this.state.url, found.name);
    return ok(await this.state.tokens.jwks(issuer));
  }

  private openIdConfiguration(segment: string): EntraResponse {
    const found = this.knownTenantOrTemplate(segment);
    if (!found) return this.tenantNotFound(segment);
    const base = this.state.url;
    const host = new URL(base).host;
    const t = found.tenant ? found.tenant.tenantId : segment;
    return ok({
      token_endpoint: `${base}/${t}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: [
        'client_secret_post',
        'private_key_jwt',
        'client_secret_basic',
      ],
      jwks_uri: `${base}/${t}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: userIssuer(base, found.name),
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${base}/oidc/userinfo`,
      authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/${t}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
      claims_supported: [
        'sub',
        'iss',
        'cloud_instance_name',
        'cloud_instance_host_name',
        'cloud_graph_host_name',
        'msgraph_host',
        'aud',
        'exp',
        'iat',
        'auth_time',
        'acr',
        'nonce',
        'preferred_username',
        'name',
        'tid',
        'ver',
        'at_hash',
        'c_hash',
        'email',
      ],
      kerberos_endpoint: `${base}/${t}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: host,
      cloud_graph_host_name: host,
      msgraph_host: host,
      rbac_url: base,
    });
  }

  private instanceDiscovery(query: URLSearchParams): EntraResponse {
    const base = this.state.url;
    const host = new URL(base).host;
    // MSAL asks with authorization_endpoint=https://host/{tenant}/oauth2/v2.0/authorize
    let tenant = 'common';
    const endpoint = query.get('authorization_endpoint');
    if (endpoint) {
      try {
        tenant = new URL(endpoint).pathname.split('/').filter(Boolean)[0] ?? 'common';
      } catch {
        tenant = 'common';
      }
    }
    return ok({
      tenant_discovery_endpoint: `${base}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  }

  private async token(
    segment: string,
    headers: Record<string, string | undefined>,
    rawBody: string,
  ): Promise<EntraResponse> {
    const correlationId: string = headers['client-request-id'] ?? randomUUID();
    const form = new URLSearchParams(rawBody);
    const tenant = this.state.findTenant(segment);
    if (!tenant) return this.tenantNotFound(segment);

    let clientId = form.get('client_id') ?? undefined;
    let clientSecret = form.get('client_secret') ?? undefined;
    const basic = /^Basic\s+(.+)$/i.exec(headers.authorization ?? '');
    if (basic?.[1]) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      clientSecret = decodeURIComponent(secret ?? '');
    }
    const grantType = form.get('grant_type');
    if (!grantType) {
      return missingParameter('grant_type', correlationId);
    }
    if (!clientId) {
      return missingParameter('client_id', correlationId);
    }
    if (clientId !== tenant.app.clientId) {
      return entraError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant.engine.organization.displayName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
        correlationId,
      );
    }
    if (!clientSecret) {
      return entraError(
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        correlationId,
      );
    }
    if (clientSecret !== tenant.app.clientSecret) {
      return entraError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
        correlationId,
      );
    }
    if (grantType === 'client_credentials')
      return this.clientCredentials(tenant, form, correlationId);
    if (grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return this.onBehalfOf(tenant, form, correlationId);
    }
    return entraError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grantType}'.`,
      correlationId,
    );
  }

  private async clientCredentials(
    tenant: TenantState,
    form: URLSearchParams,
    correlationId: string,
  ): Promise<EntraResponse> {
    const scope = (form.get('scope') ?? '').trim();
    const resource = scope.endsWith('/.default') ? scope.slice(0, -'/.default'.length) : undefined;
    if (!resource || scope.includes(' ')) {
      return entraError(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope || '(empty)'} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        correlationId,
      );
    }
    if (resource !== GRAPH_AUDIENCE && resource !== GRAPH_APP_ID) {
      return entraError(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${resource} was not found in the tenant named ${tenant.engine.organization.displayName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
        correlationId,
      );
    }
    const accessToken = await this.state.tokens.appGraphToken({
      tenantId: tenant.tenantId,
      clientId: tenant.app.clientId,
      servicePrincipalId: tenant.servicePrincipalId,
      roles: tenant.appRoles,
    });
    return ok({
      token_type: 'Bearer',
      expires_in: DEFAULT_TOKEN_SECONDS,
      ext_expires_in: DEFAULT_TOKEN_SECONDS,
      access_token: accessToken,
    });
  }

  private async onBehalfOf(
    tenant: TenantState,
    form: URLSearchParams,
    correlationId: string,
  ): Promise<EntraResponse> {
    if (form.get('requested_token_use') !== 'on_behalf_of') {
      return missingParameter('requested_token_use', correlationId);
    }
    const assertion = form.get('assertion');
    if (!assertion) {
      return missingParameter('assertion', correlationId);
    }
    const verified = await this.state.tokens.verifyUserAssertion(assertion, {
      authorityUrl: this.state.url,
      tenantId: tenant.tenantId,
      clientId: tenant.app.clientId,
    });
    if (!verified.ok) {
      return entraError(400, 'invalid_grant', verified.code, verified.description, correlationId);
    }
    const claims = verified.claims;
    const user = tenant.engine.findUser(claims.oid);
    if (!user) {
      return entraError(
        400,
        'invalid_grant',
        50034,
        'The user account does not exist in this directory.',
        correlationId,
      );
    }
    const requested = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
    const graphScopes: string[] = [];
    for (const scope of requested) {
      if (OIDC_SCOPES.has(scope.toLowerCase())) continue;
      const slash = scope.lastIndexOf('/');
      const resource = slash > 0 ? scope.slice(0, slash) : GRAPH_AUDIENCE;
      const permission = slash > 0 ? scope.slice(slash + 1) : scope;
      if (resource !== GRAPH_AUDIENCE && resource !== GRAPH_APP_ID) {
        return entraError(
          400,
          'invalid_resource',
          500011,
          `The resource principal named ${resource} was not found in the tenant named ${tenant.engine.organization.displayName}.`,
          correlationId,
        );
      }
      if (permission === '.default') graphScopes.push(...tenant.delegatedScopes);
      else graphScopes.push(permission);
    }
    if (graphScopes.length === 0) {
      return entraError(
        400,
        'invalid_scope',
        70011,
        "The provided request must include a 'scope' input parameter.",
        correlationId,
      );
    }
    // scope names are case-insensitive; tokens carry the consented spelling
    const canonical = graphScopes.map(
      (s) =>
        tenant.delegatedScopes.find((granted) => granted.toLowerCase() === s.toLowerCase()) ?? s,
    );
    const unique = [...new Set(canonical)];
    const missing = unique.filter((s) => !tenant.delegatedScopes.includes(s));
    if (!tenant.consented || missing.length > 0) {
      return entraError(
        400,
        'invalid_grant',
        65001,
        `The user or administrator has not consented to use the application with ID '${tenant.app.clientId}' named 'WarmPath'. Send an interactive authorization request for this user and resource.`,
        correlationId,
        { suberror: 'consent_required' },
      );
    }
    const accessToken = await this.state.tokens.oboGraphToken({
      tenantId: tenant.tenantId,
      clientId: tenant.app.clientId,
      user,
      scopes: unique,
    });
    return ok({
      token_type: 'Bearer',
      scope: unique.map((s) => `${GRAPH_AUDIENCE}/${s}`).join(' '),
      expires_in: DEFAULT_TOKEN_SECONDS,
      ext_expires_in: DEFAULT_TOKEN_SECONDS,
      access_token: accessToken,
    });
  }
}
