// Bearer tokens from Teams SSO and Outlook nested app authentication: Entra v2 access tokens for
// the WarmPath API, checked against the authority's published keys (teams-outlook-facts.md §3).
import { createHash } from 'node:crypto';
import {
  createRemoteJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { unauthorized, type AuthError } from './auth-errors.js';

/** The delegated scope Teams and Outlook request for the WarmPath API. */
export const API_SCOPE = 'access_as_user';
/** Clock difference tolerated on exp and nbf, in seconds. */
export const CLOCK_TOLERANCE_SECONDS = 60;
/** Bearer tokens longer than this are refused unread (Entra's are ~1.5–4 KB). */
export const MAX_TOKEN_LENGTH = 16 * 1024;
// Entra tenant ids are GUIDs; anything else never reaches a key fetch or a query
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_KEY_SETS = 256;
// verified tokens remembered (by hash) until they expire: a busy tab sends the same token often
const MAX_REMEMBERED_TOKENS = 10_000;

/** Who is calling, from a verified token. The raw token is kept only for on-behalf-of. */
export interface Caller {
  tenantId: string;
  /** Entra object id of the user */
  objectId: string;
  /** preferred_username: the sign-in name, usually the UPN */
  userName: string;
  displayName: string;
  scopes: string[];
  /** the token as presented; exchanged on-behalf-of, never logged */
  token: string;
}

/** What the verifier needs to know about a tenant: undefined when it has not onboarded. */
export interface TenantAudience {
  /** the WarmPath app registration's client id the tenant's tokens are issued for */
  clientId: string;
}

export interface AccessTokenVerifierOptions {
  /** e.g. https://login.microsoftonline.com (AUTHORITY_HOST) */
  authorityHost: string;
  /** the tenant's app if it has onboarded; undefined otherwise */
  tenantAudience(tenantId: string): Promise<TenantAudience | undefined>;
  /** keys per tenant; default the authority's JWKS, cached and refetched on an unknown kid */
  keysForTenant?: (tenantId: string) => JWTVerifyGetKey;
  /** epoch ms; default Date.now (tests move the clock) */
  now?: () => number;
}

export type AccessTokenVerifier = (authorization: string | undefined) => Promise<Caller>;

/** `api://<anything>/<clientId>` or the bare client id, as Entra writes v2 audiences. */
function audienceMatches(aud: JWTPayload['aud'], clientId: string): boolean {
  const wanted = clientId.toLowerCase();
  const values = Array.isArray(aud) ? aud : aud === undefined ? [] : [aud];
  return values.some((value) => {
    const lower = value.toLowerCase();
    return lower === wanted || (lower.startsWith('api://') && lower.endsWith(`/${wanted}`));
  });
}

function describeJoseError(error: unknown): AuthError {
  if (error instanceof joseErrors.JWTExpired) {
    return unauthorized('invalid_token', 'The token has expired: get a new one and try again.');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') {
      return unauthorized('invalid_token', 'The token is not valid yet (nbf is in the future).');
    }
    return unauthorized('invalid_token', `The token's ${error.claim} claim is not acceptable.`);
  }
  if (error instanceof joseErrors.JWKSNoMatchingKey) {
    return unauthorized(
      'invalid_token',
      'The token is signed with a key the authority does not publish.',
    );
  }
  if (error instanceof joseErrors.JOSEAlgNotAllowed) {
    return unauthorized('invalid_token', 'The token must be signed with RS256.');
  }
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return unauthorized('invalid_token', 'The token signature does not verify.');
  }
  return unauthorized('invalid_token', 'The token is not a well-formed signed JWT.');
}

/**
 * Checks `Authorization: Bearer …` and returns the caller, or throws AuthError (401): signature
 * by the authority's keys (RS256 only), v2 issuer of the token's own tenant, audience = the
 * tenant's WarmPath client id (or its api:// URI), scp containing access_as_user, a user (not an
 * app-only) token, exp and nbf within CLOCK_TOLERANCE_SECONDS, and an onboarded tenant.
 */
export function createAccessTokenVerifier(
  options: AccessTokenVerifierOptions,
): AccessTokenVerifier {
  const authority = options.authorityHost.replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  const keySets = new Map<string, JWTVerifyGetKey>();
  const remembered = new Map<string, { caller: Omit<Caller, 'token'>; acceptUntil: number }>();
  const keysFor =
    options.keysForTenant ??
    ((tenantId: string): JWTVerifyGetKey => {
      let keys = keySets.get(tenantId);
      if (keys === undefined) {
        // jose caches the set and refetches it (at most every 30 s) when a kid is unknown
        keys = createRemoteJWKSet(new URL(`${authority}/${tenantId}/discovery/v2.0/keys`));
        if (keySets.size >= MAX_KEY_SETS) keySets.delete(keySets.keys().next().value as string);
        keySets.set(tenantId, keys);
      }
      return keys;
    });

  return async function verifyAccessToken(authorization) {
    const match = /^Bearer[ ]+([^\s]+)\s*$/i.exec(authorization ?? '');
    if (!authorization || authorization.trim() === '') {
      throw unauthorized('missing_token', 'Sign in: send Authorization: Bearer <SSO token>.');
    }
    const token = match?.[1];
    if (token === undefined || token.length > MAX_TOKEN_LENGTH) {
      throw unauthorized('invalid_token', 'The Authorization header must be "Bearer <token>".');
    }
    const digest = createHash('sha256').update(token).digest('base64url');
    const known = remembered.get(digest);
    if (known !== undefined) {
      if (now() < known.acceptUntil) {
        // onboarding can be withdrawn while a token lives
        if ((await options.tenantAudience(known.caller.tenantId)) !== undefined) {
          return { ...known.caller, token };
        }
      }
      remembered.delete(digest);
    }
    let unverified: JWTPayload;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== 'RS256') {
        throw unauthorized('invalid_token', 'The token must be signed with RS256.');
      }
      unverified = decodeJwt(token);
    } catch (error) {
      if (error instanceof Error && error.name === 'AuthError') throw error;
      throw unauthorized('invalid_token', 'The token is not a well-formed signed JWT.');
    }
    const tenantId = unverified.tid;
    if (typeof tenantId !== 'string' || !TENANT_ID.test(tenantId)) {
      throw unauthorized('invalid_token', 'The token names no Entra tenant (tid).');
    }
    // before any key fetch: tokens of tenants that never onboarded cost nothing
    const app = await options.tenantAudience(tenantId.toLowerCase());
    if (app === undefined) {
      throw unauthorized(
        'tenant_not_onboarded',
        'Your organisation has not set up WarmPath yet: ask your Microsoft 365 admin to add it.',
      );
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keysFor(tenantId), {
        algorithms: ['RS256'],
        issuer: `${authority}/${tenantId}/v2.0`,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'iss', 'aud', 'tid'],
        currentDate: new Date(now()),
      }));
    } catch (error) {
      throw describeJoseError(error);
    }
    if (!audienceMatches(payload.aud, app.clientId)) {
      throw unauthorized('invalid_token', 'The token was issued for another application.');
    }
    const scopes = typeof payload.scp === 'string' ? payload.scp.split(' ').filter(Boolean) : [];
    if (payload.idtyp === 'app' || payload.scp === undefined) {
      throw unauthorized(
        'user_required',
        'An app-only token cannot call this API: a signed-in user must.',
      );
    }
    if (!scopes.includes(API_SCOPE)) {
      throw unauthorized('insufficient_scope', `The token lacks the ${API_SCOPE} scope.`);
    }
    const objectId = payload.oid;
    if (typeof objectId !== 'string' || objectId === '') {
      throw unauthorized('invalid_token', 'The token names no user (oid).');
    }
    const caller = {
      tenantId,
      objectId,
      userName: typeof payload.preferred_username === 'string' ? payload.preferred_username : '',
      displayName: typeof payload.name === 'string' ? payload.name : '',
      scopes,
    };
    if (remembered.size >= MAX_REMEMBERED_TOKENS) {
      remembered.delete(remembered.keys().next().value as string);
    }
    remembered.set(digest, {
      caller,
      acceptUntil: ((payload.exp as number) + CLOCK_TOLERANCE_SECONDS) * 1000,
    });
    return { ...caller, token };
  };
}
