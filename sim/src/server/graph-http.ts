// Framework-free request and response shapes of the Graph layer, and Graph's error format.

export interface GraphRequest {
  method: string;
  /** Path below `/v1.0`, starting with "/", not percent-decoded (e.g. "/users/x/calendarView"). */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body?: unknown;
  /** Tenant the request is addressed to, when the route names one; otherwise the token's. */
  tenant?: string;
  /** The bearer token (without "Bearer "). */
  token?: string;
  /** Set by $batch for its sub-requests. */
  inBatch?: boolean;
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON body; a string is sent as text/plain. Undefined for 204. */
  body?: unknown;
  /** Destroy the connection without answering (fault injection). */
  drop?: boolean;
}

export const ODATA_JSON =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** Thrown by route handlers; turned into Graph's error body. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Graph's innerError date: UTC, seconds, no zone designator ("2025-02-13T10:17:06"). */
export function innerErrorDate(now = new Date()): string {
  return now.toISOString().slice(0, 19);
}

export function errorBody(
  code: string,
  message: string,
  ids: { requestId: string; clientRequestId: string },
): { error: Record<string, unknown> } {
  return {
    error: {
      code,
      message,
      innerError: {
        date: innerErrorDate(),
        'request-id': ids.requestId,
        'client-request-id': ids.clientRequestId,
      },
    },
  };
}

/** The throttling page's 429 body (throttling__429-sample-response.body.json). */
export function tooManyRequestsBody(
  message: string,
  ids: { requestId: string; clientRequestId: string },
): { error: Record<string, unknown> } {
  return {
    error: {
      code: 'TooManyRequests',
      innerError: {
        code: '429',
        date: innerErrorDate(),
        message: 'Please retry after',
        'request-id': ids.requestId,
        'client-request-id': ids.clientRequestId,
        status: '429',
      },
      message,
    },
  };
}

export const notFoundSegment = (segment: string): GraphError =>
  new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);

export const methodNotAllowed = (): GraphError =>
  new GraphError(
    405,
    'Request_BadRequest',
    'Specified HTTP method is not allowed for the request target.',
  );

const OUTLOOK_SEGMENTS = new Set([
  'calendar',
  'calendars',
  'calendarview',
  'events',
  'mailboxsettings',
]);

/** Whether a Graph path reaches the Outlook service ($batch sends those 4 at a time). */
export function isOutlookPath(path: string): boolean {
  const segments = path.split('/').filter(Boolean);
  const first = segments[0]?.toLowerCase();
  if (first === 'places') return true;
  if (first === 'me') return OUTLOOK_SEGMENTS.has(segments[1]?.toLowerCase() ?? '');
  if (first === 'users') return OUTLOOK_SEGMENTS.has(segments[2]?.toLowerCase() ?? '');
  return false;
}

/** decodeURIComponent that leaves a malformed escape as it is instead of throwing. */
export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
