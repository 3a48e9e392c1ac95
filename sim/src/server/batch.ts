// JSON batching: up to 20 sub-requests, unique ids, dependsOn (424 for dependants of a failure),
// Outlook sub-requests forwarded at most 4 at a time. The envelope answers 200 once parsed.
import { GraphError, isOutlookPath, type GraphRequest, type GraphResponse } from './graph-http.js';

export const MAX_BATCH_REQUESTS = 20;
/** Graph forwards this many sub-requests of one batch to Outlook at once. */
export const OUTLOOK_BATCH_CONCURRENCY = 4;

interface SubRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  dependsOn: string[];
}

interface SubResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

// Headers a sub-response carries (the rest belong to the envelope).
const SUB_RESPONSE_HEADERS = [
  'Content-Type',
  'Retry-After',
  'Preference-Applied',
  'Location',
  'Cache-Control',
  'OData-Version',
];

const invalid = (message: string): GraphError => new GraphError(400, 'BadRequest', message);

function parseBatch(body: unknown): SubRequest[] {
  if (
    typeof body !== 'object' ||
    body === null ||
    !Array.isArray((body as { requests?: unknown }).requests)
  ) {
    throw invalid('Invalid batch payload format.');
  }
  const raw = (body as { requests: unknown[] }).requests;
  if (raw.length === 0) throw invalid('Invalid batch payload format: no requests.');
  if (raw.length > MAX_BATCH_REQUESTS) {
    throw invalid(`The number of requests in the batch cannot exceed ${MAX_BATCH_REQUESTS}.`);
  }
  const seen = new Set<string>();
  const requests = raw.map((item): SubRequest => {
    if (typeof item !== 'object' || item === null) throw invalid('Invalid batch payload format.');
    const r = item as Record<string, unknown>;
    if (typeof r.id !== 'string' || r.id.length === 0)
      throw invalid('Each request in a batch needs an id.');
    if (typeof r.method !== 'string' || typeof r.url !== 'string') {
      throw invalid(`Request '${r.id}' needs a method and a url.`);
    }
    if (seen.has(r.id))
      throw invalid(`Request ids must be unique within a batch; '${r.id}' is repeated.`);
    seen.add(r.id);
    const headers: Record<string, string> = {};
    if (typeof r.headers === 'object' && r.headers !== null) {
      for (const [k, v] of Object.entries(r.headers))
        if (typeof v === 'string') headers[k.toLowerCase()] = v;
    }
    const dependsOn = Array.isArray(r.dependsOn)
      ? r.dependsOn.filter((d): d is string => typeof d === 'string')
      : [];
    return {
      id: r.id,
      method: r.method.toUpperCase(),
      url: r.url,
      headers,
      body: r.body,
      dependsOn,
    };
  });
  for (const request of requests) {
    for (const dependency of request.dependsOn) {
      if (!seen.has(dependency) || dependency === request.id) {
        throw invalid(
          `Request '${request.id}' depends on '${dependency}', which is not in the batch.`,
        );
      }
    }
  }
  assertAcyclic(requests);
  return requests;
}

function assertAcyclic(requests: SubRequest[]): void {
  const byId = new Map(requests.map((r) => [r.id, r]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string): void => {
    const mark = state.get(id);
    if (mark === 'done') return;
    if (mark === 'visiting') throw invalid(`The dependsOn chain of request '${id}' is circular.`);
    state.set(id, 'visiting');
    for (const dependency of byId.get(id)?.dependsOn ?? []) visit(dependency);
    state.set(id, 'done');
  };
  for (const request of requests) visit(request.id);
}

/** Splits a sub-request url ("/users/x/calendarView?…" or "users?…") into path and query. */
function splitUrl(url: string): { path: string; query: URLSearchParams } {
  if (/^https?:/i.test(url)) throw invalid(`Sub-request urls must be relative; got '${url}'.`);
  const [rawPath = '', rawQuery = ''] = url.split(/\?(.*)/s, 2);
  let path = rawPath.startsWith('/') ? rawPath : `/${rawPath}`;
  path = path.replace(/^\/v1\.0(?=\/|$)/i, '') || '/';
  return { path, query: new URLSearchParams(rawQuery) };
}

/** A counting semaphore for the Outlook lane. */
class Lane {
  private active = 0;
  private waiting: Array<() => void> = [];

  constructor(private readonly size: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
    try {
      return await task();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

export async function runBatch(
  body: unknown,
  handle: (request: GraphRequest) => Promise<GraphResponse>,
): Promise<{ responses: SubResponse[] }> {
  const requests = parseBatch(body);
  const outlook = new Lane(OUTLOOK_BATCH_CONCURRENCY);
  const responses: SubResponse[] = [];
  const results = new Map<string, Promise<SubResponse>>();

  const execute = async (request: SubRequest): Promise<SubResponse> => {
    const dependencies = await Promise.all(
      request.dependsOn.map((d) => results.get(d) as Promise<SubResponse>),
    );
    if (dependencies.some((d) => d.status < 200 || d.status >= 300)) {
      return subError(
        request.id,
        424,
        'FailedDependency',
        'The request was not run because a request it depends on failed.',
      );
    }
    let url: { path: string; query: URLSearchParams };
    try {
      url = splitUrl(request.url);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return subError(request.id, 400, 'BadRequest', message);
    }
    if (request.body !== undefined && request.headers['content-type'] === undefined) {
      return subError(
        request.id,
        400,
        'BadRequest',
        'A request with a body must have a Content-Type header.',
      );
    }
    const call = () =>
      handle({
        method: request.method,
        path: url.path,
        query: url.query,
        headers: request.headers,
        body: request.body,
      });
    const response = isOutlookPath(url.path) ? await outlook.run(call) : await call();
    const headers: Record<string, string> = {};
    for (const name of SUB_RESPONSE_HEADERS) {
      const value = response.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    // a dropped connection cannot happen inside a batch; answer as a gateway timeout would
    if (response.drop)
      return subError(
        request.id,
        504,
        'UnknownError',
        'The gateway did not receive a timely response.',
      );
    const sub: SubResponse = { id: request.id, status: response.status, headers };
    if (response.body !== undefined) sub.body = response.body;
    return sub;
  };

  for (const request of requests) {
    const promise = execute(request).then((response) => {
      responses.push(response);
      return response;
    });
    results.set(request.id, promise);
  }
  await Promise.all(results.values());
  return { responses };
}

function subError(id: string, status: number, code: string, message: string): SubResponse {
  return {
    id,
    status,
    headers: { 'Content-Type': 'application/json' },
    body: { error: { code, message } },
  };
}
