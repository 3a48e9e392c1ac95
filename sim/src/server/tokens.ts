// Entra-style RS256 tokens: app-only and on-behalf-of Graph tokens, and the v2 SSO token a Teams
// or Outlook client would hold for the WarmPath API. One signing key per simulator run.
import { createHash, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, exportJWK, jwtVerify, type JWTPayload } from 'jose';
import { generate } from 'selfsigned';

export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';
/** Graph's application id, which Entra also accepts as the resource in scopes. */
export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
/** Teams desktop and mobile client: the `azp` of SSO tokens Teams obtains. */
export const TEAMS_DESKTOP_CLIENT_ID = '1fec8e78-bce4-4aaf-ab1b-5451cc387264';
/** Entra's default access-token lifetime answer for client credentials. */
export const DEFAULT_TOKEN_SECONDS = 3599;

/** Application permissions an admin consents to for WarmPath in each simulated tenant. */
export const DEFAULT_APP_ROLES: readonly string[] = [
  'Calendars.Read',
  'User.Read.All',
  'GroupMember.Read.All',
  'MailboxSettings.Read',
  'Place.Read.All',
  'Organization.Read.All',
];

/** Delegated permissions consented for on-behalf-of (what `/.default` expands to). */
export const DEFAULT_DELEGATED_SCOPES: readonly string[] = [
  'User.Read',
  'User.ReadBasic.All',
  'Calendars.Read',
  'MailboxSettings.Read',
  'GroupMember.Read.All',
  'Place.Read.All',
];

export interface GraphTokenClaims extends JWTPayload {
  tid: string;
  appid: string;
  oid: string;
  idtyp: 'app' | 'user';
  roles?: string[];
  scp?: string;
  upn?: string;
  name?: string;
}

export interface UserTokenClaims extends JWTPayload {
  tid: string;
  oid: string;
  scp: string;
  preferred_username: string;
  name: string;
  azp: string;
}

export interface UserIdentity {
  id: string;
  displayName: string;
  userPrincipalName: string;
}

interface CacheEntry {
  claims: GraphTokenClaims;
  exp: number;
}

export class TokenService {
  private verified = new Map<string, CacheEntry>();

  private constructor(
    private readonly privateKey: KeyObject,
    private readonly publicKey: KeyObject,
    readonly kid: string,
    private readonly x5c: string,
  ) {}

  static async create(): Promise<TokenService> {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // Entra publishes each signing key with its certificate; kid and x5t are its SHA-1 thumbprint
    const pems = await generate([{ name: 'commonName', value: 'accounts.simulator.warmpath' }], {
      algorithm: 'sha256',
      keyPair: {
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      },
    });
    const der = Buffer.from(
      pems.cert.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''),
      'base64',
    );
    const thumbprint = createHash('sha1').update(der).digest('base64url');
    return new TokenService(privateKey, publicKey, thumbprint, der.toString('base64'));
  }

  /** The JWKS document; `issuer` as Entra templates it or for one tenant. */
  async jwks(issuer: string): Promise<{ keys: Record<string, unknown>[] }> {
    const jwk = await exportJWK(this.publicKey);
    return {
      keys: [
        {
          kty: 'RSA',
          use: 'sig',
          kid: this.kid,
          x5t: this.kid,
          n: jwk.n,
          e: jwk.e,
          x5c: [this.x5c],
          issuer,
        },
      ],
    };
  }

  /** `overrides` (tests only) replace claims after the standard ones; a null removes one. */
  private sign(
    claims: JWTPayload,
    lifetimeSeconds: number,
    overrides: Record<string, unknown> = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      ...claims,
      uti: randomUUID().replace(/-/g, '').slice(0, 22),
      iat: now,
      nbf: now - 300,
      exp: now + lifetimeSeconds,
    };
    for (const [name, value] of Object.entries(overrides)) {
      if (value === null) delete payload[name];
      else payload[name] = value;
    }
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid, x5t: this.kid })
      .sign(this.privateKey);
  }

  /** App-only Graph token (client credentials). */
  appGraphToken(args: {
    tenantId: string;
    clientId: string;
    servicePrincipalId: string;
    roles: readonly string[];
    lifetimeSeconds?: number;
  }): Promise<string> {
    const claims: Record<string, unknown> = {
      aud: GRAPH_AUDIENCE,
      iss: graphIssuer(args.tenantId),
      idp: graphIssuer(args.tenantId),
      appid: args.clientId,
      appidacr: '1',
      idtyp: 'app',
      oid: args.servicePrincipalId,
      sub: args.servicePrincipalId,
      tid: args.tenantId,
      ver: '1.0',
    };
    // Entra leaves `roles` out entirely when nothing is consented
    if (args.roles.length > 0) claims.roles = [...args.roles];
    return this.sign(claims, args.lifetimeSeconds ?? DEFAULT_TOKEN_SECONDS);
  }

  /** Delegated Graph token from the on-behalf-of flow. */
  oboGraphToken(args: {
    tenantId: string;
    clientId: string;
    user: UserIdentity;
    scopes: readonly string[];
    lifetimeSeconds?: number;
  }): Promise<string> {
    return this.sign(
      {
        aud: GRAPH_AUDIENCE,
        iss: graphIssuer(args.tenantId),
        idp: graphIssuer(args.tenantId),
        appid: args.clientId,
        appidacr: '1',
        idtyp: 'user',
        oid: args.user.id,
        sub: pairwiseSubject(args.user.id, GRAPH_APP_ID),
        tid: args.tenantId,
        upn: args.user.userPrincipalName,
        unique_name: args.user.userPrincipalName,
        name: args.user.displayName,
        scp: args.scopes.join(' '),
        ver: '1.0',
      },
      args.lifetimeSeconds ?? DEFAULT_TOKEN_SECONDS,
    );
  }

  /** v2 access token for the WarmPath API, as Teams SSO hands it to the tab or bot. */
  userApiToken(args: {
    authorityUrl: string;
    tenantId: string;
    clientId: string;
    user: UserIdentity;
    scp?: string;
    lifetimeSeconds?: number;
    /** tests only: claims to replace (null removes one), e.g. another audience */
    overrides?: Record<string, unknown>;
  }): Promise<string> {
    return this.sign(
      {
        aud: args.clientId,
        iss: userIssuer(args.authorityUrl, args.tenantId),
        azp: TEAMS_DESKTOP_CLIENT_ID,
        azpacr: '0',
        name: args.user.displayName,
        oid: args.user.id,
        preferred_username: args.user.userPrincipalName,
        scp: args.scp ?? 'access_as_user',
        sub: pairwiseSubject(args.user.id, args.clientId),
        tid: args.tenantId,
        ver: '2.0',
      },
      args.lifetimeSeconds ?? 3600 + 60 * 15,
      args.overrides,
    );
  }

  /**
   * Checks a bearer token presented to Graph: our signature, Graph audience, time, issuer of its
   * own tenant. Returns the claims, or a reason it is not acceptable.
   */
  async verifyGraphToken(
    token: string,
  ): Promise<{ ok: true; claims: GraphTokenClaims } | { ok: false; reason: string }> {
    const cached = this.verified.get(token);
    const nowSeconds = Date.now() / 1000;
    if (cached) {
      if (cached.exp > nowSeconds) return { ok: true, claims: cached.claims };
      this.verified.delete(token);
      return { ok: false, reason: 'Lifetime validation failed, the token is expired.' };
    }
    try {
      const { payload } = await jwtVerify(token, this.publicKey, {
        algorithms: ['RS256'],
        audience: GRAPH_AUDIENCE,
      });
      const claims = payload as GraphTokenClaims;
      if (typeof claims.tid !== 'string' || claims.iss !== graphIssuer(claims.tid)) {
        return { ok: false, reason: 'Invalid issuer.' };
      }
      if (this.verified.size >= 2000) this.verified.clear();
      this.verified.set(token, { claims, exp: claims.exp ?? 0 });
      return { ok: true, claims };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') {
        return { ok: false, reason: 'Lifetime validation failed, the token is expired.' };
      }
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED')
        return { ok: false, reason: 'Invalid audience.' };
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') {
        return { ok: false, reason: 'IDX10511: Signature validation failed.' };
      }
      return { ok: false, reason: 'IDX14100: JWT is not well formed.' };
    }
  }

  /** Checks a user assertion for on-behalf-of: signed by us, for `clientId`, issued in `tenantId`. */
  async verifyUserAssertion(
    assertion: string,
    expected: { authorityUrl: string; tenantId: string; clientId: string },
  ): Promise<
    { ok: true; claims: UserTokenClaims } | { ok: false; code: number; description: string }
  > {
    try {
      const { payload } = await jwtVerify(assertion, this.publicKey, { algorithms: ['RS256'] });
      const claims = payload as UserTokenClaims;
      if (claims.aud !== expected.clientId) {
        return {
          ok: false,
          code: 50013,
          description:
            'Assertion failed signature validation. [Reason - The audience of the assertion does not match the client presenting it.]',
        };
      }
      if (claims.iss !== userIssuer(expected.authorityUrl, expected.tenantId)) {
        return {
          ok: false,
          code: 50013,
          description: 'Assertion failed signature validation. [Reason - Invalid issuer.]',
        };
      }
      return { ok: true, claims };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ERR_JWT_EXPIRED') {
        return {
          ok: false,
          code: 500133,
          description: 'Assertion is not within its valid time range.',
        };
      }
      if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') {
        return { ok: false, code: 50013, description: 'Assertion failed signature validation.' };
      }
      return { ok: false, code: 50027, description: 'JWT token is invalid or malformed.' };
    }
  }
}

/** Issuer of Graph (v1) tokens, as Entra writes it. */
export function graphIssuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/** Issuer of v2 tokens: `{AUTHORITY_HOST}/{tid}/v2.0`. */
export function userIssuer(authorityUrl: string, tenantId: string): string {
  return `${authorityUrl}/${tenantId}/v2.0`;
}

// Entra's `sub` is pairwise: stable per user and application, different across applications.
function pairwiseSubject(userId: string, appId: string): string {
  return createHash('sha256').update(`${userId}|${appId}`).digest('base64url').slice(0, 43);
}
