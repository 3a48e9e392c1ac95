// The one error shape of the REST API: { error: { code, message } } with an HTTP status, and a
// message a person can act on. Use cases throw ApiError; the router answers with it.

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** extra fields beside code and message (e.g. adminConsentUrl) */
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toBody(): { error: Record<string, unknown> } {
    return { error: { code: this.code, message: this.message, ...this.details } };
  }
}

export const badRequest = (message: string, code = 'invalid_request'): ApiError =>
  new ApiError(400, code, message);
export const notFound = (message: string, code = 'not_found'): ApiError =>
  new ApiError(404, code, message);
export const forbidden = (message: string, code = 'forbidden'): ApiError =>
  new ApiError(403, code, message);
