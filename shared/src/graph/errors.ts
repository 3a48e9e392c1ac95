// The one error type of the Graph client: what Graph answered, with the ids Microsoft support
// asks for, and what to do next.

export interface GraphErrorInit {
  /** HTTP status Graph answered with; 0 when Graph never answered (network failure, no token). */
  status: number;
  /** Graph's `error.code` (code against this, never the message). */
  code: string;
  message: string;
  /** Graph's `request-id`, to quote to Microsoft support. */
  requestId?: string | undefined;
  clientRequestId?: string | undefined;
  /** How long Graph asked us to wait (Retry-After), when it did. */
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

export class GraphError extends Error {
  override readonly name = 'GraphError';
  readonly status: number;
  readonly code: string;
  readonly requestId: string | undefined;
  readonly clientRequestId: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: GraphErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.requestId = init.requestId;
    this.clientRequestId = init.clientRequestId;
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** Graph's code for an expired delta link; any 410 from Graph carries it here. */
export const SYNC_STATE_NOT_FOUND = 'syncStateNotFound';

// What an operator or caller does next, by Graph error code (lower case).
const NEXT_STEPS: Record<string, string> = {
  syncstatenotfound:
    'The delta link has expired: start a new calendarView/delta round for this mailbox without it.',
  mailboxnotenabledforrestapi:
    'This user has no Exchange Online mailbox (unlicensed or on-premises): leave it out of calendar sync.',
  erroraccessdenied:
    "An Exchange application access policy keeps the app out of this mailbox: an Exchange admin adds the mailbox to the policy's group, or it stays untracked.",
  authorization_requestdenied:
    'The app lacks an application permission: an admin grants consent at /admin/consent.',
  invalidauthenticationtoken:
    'Graph rejected the app token: check TENANT_ID, CLIENT_ID and CLIENT_SECRET, and that the token is for this tenant.',
  toomanyrequests: 'Graph is throttling this app: retry after retryAfterMs.',
  applicationthrottled: 'Graph is throttling this app for this mailbox: retry after retryAfterMs.',
  servicenotavailable: 'Graph is unavailable or overloaded: retry later.',
};

const FALLBACK_CODES: Record<number, string> = {
  410: SYNC_STATE_NOT_FOUND,
  429: 'TooManyRequests',
  503: 'serviceNotAvailable',
  504: 'gatewayTimeout',
};

interface GraphErrorBody {
  error?: {
    code?: unknown;
    message?: unknown;
    innerError?: { 'request-id'?: unknown; 'client-request-id'?: unknown };
  };
}

export interface ErrorResponseParts {
  status: number;
  /** Header lookup, case-insensitive. */
  header: (name: string) => string | undefined;
  /** Parsed JSON body (or text, or undefined). */
  body: unknown;
  /** "GET /v1.0/users/…" without the query, for the message. */
  request: string;
  retryAfterMs?: number | undefined;
}

/** A GraphError from a non-2xx answer (a whole response or a $batch sub-response). */
export function graphErrorFromResponse(parts: ErrorResponseParts): GraphError {
  const error = (
    typeof parts.body === 'object' && parts.body !== null ? parts.body : {}
  ) as GraphErrorBody;
  const graphCode = typeof error.error?.code === 'string' ? error.error.code : undefined;
  const graphMessage = typeof error.error?.message === 'string' ? error.error.message : undefined;
  const inner = error.error?.innerError;
  const requestId =
    parts.header('request-id') ??
    (typeof inner?.['request-id'] === 'string' ? inner['request-id'] : undefined);
  const clientRequestId =
    parts.header('client-request-id') ??
    (typeof inner?.['client-request-id'] === 'string' ? inner['client-request-id'] : undefined);
  // Graph spells it SyncStateNotFound or syncStateNotFound, and a reset 410 may carry another code
  const code =
    parts.status === 410
      ? SYNC_STATE_NOT_FOUND
      : (graphCode ?? FALLBACK_CODES[parts.status] ?? 'UnknownError');
  const nextStep = NEXT_STEPS[code.toLowerCase()];
  const message = [
    `Graph ${parts.request} answered ${parts.status} ${code}${graphMessage ? `: ${graphMessage}` : ''}.`,
    nextStep,
    requestId ? `(request-id ${requestId})` : undefined,
  ]
    .filter(Boolean)
    .join(' ');
  return new GraphError({
    status: parts.status,
    code,
    message,
    requestId,
    clientRequestId,
    retryAfterMs: parts.retryAfterMs,
  });
}
