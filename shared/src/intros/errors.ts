/** Why an intro request could not be created, read or decided; `status` is the HTTP status to answer with. */
export type IntroRequestErrorCode =
  'intro_invalid' | 'intro_not_found' | 'intro_forbidden' | 'intro_conflict';

const STATUS: Record<IntroRequestErrorCode, 400 | 403 | 404 | 409> = {
  intro_invalid: 400,
  intro_not_found: 404,
  intro_forbidden: 403,
  intro_conflict: 409,
};

/** An intro request rule was broken; the message says what the person can do next. */
export class IntroRequestError extends Error {
  readonly code: IntroRequestErrorCode;
  readonly status: 400 | 403 | 404 | 409;

  constructor(code: IntroRequestErrorCode, message: string) {
    super(message);
    this.name = 'IntroRequestError';
    this.code = code;
    this.status = STATUS[code];
  }
}
