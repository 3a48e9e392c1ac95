// Who is calling: SSO bearer tokens verified against Entra's keys, and the caller's own Graph view
// (profile, admin roles) through on-behalf-of.
export {
  AuthError,
  ConsentRequiredError,
  unauthorized,
  type AuthErrorCode,
} from './auth-errors.js';
export {
  API_SCOPE,
  CLOCK_TOLERANCE_SECONDS,
  MAX_TOKEN_LENGTH,
  createAccessTokenVerifier,
  type AccessTokenVerifier,
  type AccessTokenVerifierOptions,
  type Caller,
  type TenantAudience,
} from './verify-access-token.js';
export {
  ADMIN_ROLE_TEMPLATES,
  DELEGATED_SCOPES,
  IDENTITY_TTL_MS,
  adminConsentUrl,
  createOnBehalfOfGraph,
  type CallerDirectoryView,
  type DirectoryProfile,
  type OnBehalfOfGraph,
  type OnBehalfOfGraphOptions,
} from './on-behalf-of.js';
export { createTenantApps, type TenantApps } from './tenant-apps.js';
export { appRolesGranted } from './app-consent.js';
