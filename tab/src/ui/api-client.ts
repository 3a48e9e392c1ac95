// One typed client for the WarmPath REST API (docs/api.md), used by the tab and the add-in.
import type {
  AdminConsent,
  AdminSettings,
  ApiErrorBody,
  CompanyPage,
  DirectoryEntry,
  IntroAnswer,
  IntroRequest,
  IntroTargetRef,
  LocalUser,
  MeetingFact,
  Me,
  ParticipantsAnswer,
  PersonPage,
  SearchResult,
  SyncDashboard,
  TrackedPrincipal,
} from './api-types.js';

/** Returns an SSO token for the WarmPath API; `fresh` asks for a new one after a 401. */
export type TokenProvider = (options?: { fresh?: boolean }) => Promise<string>;

/** The add-in asks about at most this many addresses at once (the API's limit). */
export const MAX_PARTICIPANTS = 100;

/** A failure with a sentence a rep can act on; `status` 0 means the service was not reached. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
    /** consent_required: where the tenant's admin grants WarmPath's permissions */
    readonly adminConsentUrl?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  /** origin the service runs on; '' for the page's own */
  baseUrl?: string;
  getToken: TokenProvider;
  fetch?: typeof fetch;
}

const FALLBACK_MESSAGES: Record<number, string> = {
  401: 'Your sign-in has expired. Close WarmPath and open it again to sign in.',
  403: 'WarmPath is not set up for your organisation yet. Ask your Microsoft 365 admin to add it.',
  404: 'WarmPath could not find that.',
  429: 'WarmPath is busy right now. Try again in a minute.',
};

function messageFor(
  status: number,
  body: unknown,
): { message: string; code: string; adminConsentUrl?: string } {
  const error = (body as Partial<ApiErrorBody> | null)?.error;
  if (error && typeof error.message === 'string' && error.message !== '') {
    return {
      message: error.message,
      code: error.code ?? `http_${status}`,
      ...(typeof error.adminConsentUrl === 'string'
        ? { adminConsentUrl: error.adminConsentUrl }
        : {}),
    };
  }
  return {
    message:
      FALLBACK_MESSAGES[status] ??
      'WarmPath had a problem on its side. Try again in a minute; if it keeps happening, tell your admin.',
    code: `http_${status}`,
  };
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function createApiClient(options: ApiClientOptions) {
  const baseUrl = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function send(
    method: string,
    path: string,
    body: unknown,
    auth: boolean,
    fresh = false,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (auth) headers.authorization = `Bearer ${await options.getToken({ fresh })}`;
    try {
      return await doFetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(
        'WarmPath cannot be reached. Check your connection and try again.',
        0,
        'unreachable',
      );
    }
  }

  async function call<T>(method: string, path: string, body?: unknown, auth = true): Promise<T> {
    let response = await send(method, path, body, auth);
    // a cached token may have expired between calls: one retry with a fresh one
    if (response.status === 401 && auth) response = await send(method, path, body, auth, true);
    const parsed = await readBody(response);
    if (!response.ok) {
      const { message, code, adminConsentUrl } = messageFor(response.status, parsed);
      throw new ApiError(message, response.status, code, adminConsentUrl);
    }
    return parsed as T;
  }

  const q = encodeURIComponent;
  return {
    me: () => call<Me>('GET', '/api/me'),
    intros: (target: string) => call<IntroAnswer>('GET', `/api/intros?target=${q(target)}`),
    participants: (emails: string[]) =>
      call<ParticipantsAnswer>('POST', '/api/intros/participants', {
        emails: emails.slice(0, MAX_PARTICIPANTS),
      }),
    search: (text: string, limit = 8) =>
      call<{ results: SearchResult[] }>('GET', `/api/search?q=${q(text)}&limit=${limit}`),
    company: (domain: string) => call<CompanyPage>('GET', `/api/companies/${q(domain)}`),
    companyMeetings: (domain: string, connectorId: string) =>
      call<{ meetings: MeetingFact[] }>(
        'GET',
        `/api/companies/${q(domain)}/meetings?connector=${q(connectorId)}`,
      ),
    person: (id: string) => call<PersonPage>('GET', `/api/people/${q(id)}`),
    requestIntro: (request: { connectorId: string; target: IntroTargetRef; note?: string }) =>
      call<IntroRequest>('POST', '/api/intro-requests', request),
    introRequests: () =>
      call<{ sent: IntroRequest[]; received: IntroRequest[] }>('GET', '/api/intro-requests'),
    decideIntroRequest: (id: string, decision: 'accept' | 'decline') =>
      call<IntroRequest>('POST', `/api/intro-requests/${q(id)}/decision`, { decision }),
    admin: {
      consent: () => call<AdminConsent>('GET', '/api/admin/consent'),
      settings: () => call<AdminSettings>('GET', '/api/admin/settings'),
      saveSettings: (settings: Partial<AdminSettings>) =>
        call<AdminSettings>('PUT', '/api/admin/settings', settings),
      tracked: () => call<{ tracked: TrackedPrincipal[] }>('GET', '/api/admin/tracked'),
      track: (ids: string[]) => call<unknown>('POST', '/api/admin/tracked', { ids }),
      untrack: (id: string) => call<unknown>('DELETE', `/api/admin/tracked/${q(id)}`),
      directory: (text: string) =>
        call<{ results: DirectoryEntry[] }>('GET', `/api/admin/directory?q=${q(text)}`),
      sync: () => call<SyncDashboard>('GET', '/api/admin/sync'),
      syncNow: (userId?: string) =>
        call<unknown>('POST', '/api/admin/sync', userId === undefined ? {} : { userId }),
    },
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** Local mode (the service runs on its simulator): the users one may sign in as, or null. */
export async function listLocalUsers(baseUrl = ''): Promise<LocalUser[] | null> {
  try {
    const response = await fetch(`${baseUrl}/api/local/users`);
    if (!response.ok) return null;
    const body = (await response.json()) as { users: LocalUser[] };
    return body.users;
  } catch {
    return null;
  }
}

/** Local mode: an SSO token from the simulator for that user. */
export async function localSignIn(upn: string, baseUrl = ''): Promise<string> {
  const response = await fetch(`${baseUrl}/api/local/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ upn }),
  });
  const body = (await readBody(response)) as
    { token?: string; access_token?: string; accessToken?: string } | ApiErrorBody | null;
  if (!response.ok) {
    const { message, code } = messageFor(response.status, body);
    throw new ApiError(message, response.status, code);
  }
  const token =
    body && !('error' in body) ? (body.token ?? body.accessToken ?? body.access_token) : undefined;
  if (!token) throw new ApiError('The local sign-in answered without a token.', 500, 'no_token');
  return token;
}
