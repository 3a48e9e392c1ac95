// Errors the engine throws, with a code the HTTP layer can map to Graph's error responses.

export type TenantEngineErrorCode =
  /** No such user (404 Request_ResourceNotFound). */
  | 'UserNotFound'
  /** The user has no Exchange mailbox (404 MailboxNotEnabledForRESTAPI). */
  | 'MailboxNotEnabledForRESTAPI'
  /** 404 ErrorItemNotFound. */
  | 'CalendarNotFound'
  /** 404 ErrorItemNotFound. */
  | 'EventNotFound'
  /** 404 Request_ResourceNotFound. */
  | 'GroupNotFound'
  /** Removing a member a group does not have (404 Request_ResourceNotFound). */
  | 'MemberNotFound'
  /** 400 ErrorInvalidRequest / Request_BadRequest. */
  | 'InvalidRequest';

export class TenantEngineError extends Error {
  override readonly name = 'TenantEngineError';
  constructor(
    readonly code: TenantEngineErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A tenant file that cannot be loaded; `issues` name the field and item of each problem. */
export class TenantFileError extends Error {
  override readonly name = 'TenantFileError';
  constructor(readonly issues: string[]) {
    const shown = issues.slice(0, 30);
    const more =
      issues.length > shown.length ? `\n  … and ${issues.length - shown.length} more` : '';
    super(`Invalid tenant file:\n  - ${shown.join('\n  - ')}${more}`);
  }
}
