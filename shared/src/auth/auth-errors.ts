// The auth failures a caller can act on: each carries its HTTP status, a stable code the front
// ends switch on, and a sentence for people. Never the token.

export type AuthErrorCode =
  | 'missing_token'
  | 'invalid_token'
  | 'insufficient_scope'
  | 'user_required'
  | 'tenant_not_onboarded'
  | 'consent_required'
  | 'admin_required'
  | 'directory_unavailable';

export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly status: 401 | 403 | 503,
    readonly code: AuthErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** RFC 6750's challenge for a 401 (no error attribute when no token was sent). */
  get wwwAuthenticate(): string | undefined {
    if (this.status !== 401) return undefined;
    if (this.code === 'missing_token') return 'Bearer realm="WarmPath"';
    const error = this.code === 'insufficient_scope' ? 'insufficient_scope' : 'invalid_token';
    const description = this.message.replace(/["\\]/g, "'");
    return `Bearer realm="WarmPath", error="${error}", error_description="${description}"`;
  }
}

export const unauthorized = (code: AuthErrorCode, message: string): AuthError =>
  new AuthError(401, code, message);

/** The caller's tenant has not consented to WarmPath's Graph permissions (AADSTS65001). */
export class ConsentRequiredError extends AuthError {
  constructor(readonly adminConsentUrl: string) {
    super(
      403,
      'consent_required',
      'WarmPath is not yet allowed to read your profile from Microsoft 365: your admin grants consent at the adminConsentUrl, or you sign in again to consent for yourself.',
    );
  }
}
