// WarmPath's one Microsoft Graph client: @microsoft/microsoft-graph-client with our middleware
// (retries, Prefer, request ids, per-mailbox concurrency, logging) and app-only MSAL tokens.
import {
  Client,
  ResponseType,
  type AuthenticationProvider,
  type GraphRequest,
} from '@microsoft/microsoft-graph-client';
import { z } from 'zod';
import type { MicrosoftTenantConfig } from '../config/index.js';
import { createLogger, type Logger } from '../log/index.js';
import { createAppOnlyAuthProvider } from './auth.js';
import { runBatch, type BatchRequest, type BatchResponse } from './batch.js';
import { GraphError, graphErrorFromResponse } from './errors.js';
import type { JsonItemMembers } from './parse-json-bytes.js';
import { ConcurrencyLimiter, type ConcurrencyStats, type MailboxClaims } from './limiter.js';
import { mailboxFromPath } from './mailbox.js';
import {
  AuthMiddleware,
  CallMiddleware,
  ConcurrencyMiddleware,
  GraphCall,
  LoggingMiddleware,
  RequestHeadersMiddleware,
  RetryMiddleware,
  TransportMiddleware,
} from './middleware.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
import { createNodeTransport, NetworkError, responseBody, type Transport } from './transport.js';

export const GRAPH_API_VERSION = 'v1.0';
/** Outlook allows 4 concurrent requests per app and mailbox (graph-facts §1.1). */
export const DEFAULT_MAX_CONCURRENCY_PER_MAILBOX = 4;
export const DEFAULT_MAX_CONCURRENCY = 32;
export const DEFAULT_REQUEST_TIMEOUT_MS = 100_000;

export interface GraphClientOptions {
  tenant: MicrosoftTenantConfig;
  logger?: Logger;
  /** Requests in flight per mailbox (user id); default 4, Outlook's limit. */
  maxConcurrencyPerMailbox?: number;
  /** Requests in flight in total; default 32. */
  maxConcurrency?: number;
  /** Retries after the first attempt; default 6. */
  maxRetries?: number;
  /** First back-off ceiling when Graph sends no Retry-After; default 3 s, doubling per retry. */
  initialBackoffMs?: number;
  /** Back-off ceiling; default 180 s. */
  maxBackoffMs?: number;
  /** A longer Retry-After fails the call (GraphError.retryAfterMs) instead of waiting; default 180 s. */
  maxRetryAfterMs?: number;
  /** Per attempt; default 100 s. */
  requestTimeoutMs?: number;
  /** Jitter source, [0, 1). */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Instead of app-only tokens from MSAL (tests, other credentials). */
  authProvider?: AuthenticationProvider;
  /** Instead of node:https (tests). */
  transport?: Transport;
}

export interface GraphRequestOptions {
  /** Mailbox (user id) whose Outlook limits the call counts against; default: from /users/{id}/…. */
  mailbox?: string;
  /** Extra headers; a Prefer header is merged with IdType="ImmutableId". */
  headers?: Record<string, string>;
  /**
   * The members of each collection item the caller reads: the others may be left out of the
   * parsed items (skipped in the bytes, never made strings). Callers must not rely on their absence.
   */
  itemMembers?: JsonItemMembers;
}

export interface GraphPage<T> {
  value: T[];
  /** More pages follow in this round. */
  nextLink: string | undefined;
  /** The round is complete: keep this link for the next delta round. */
  deltaLink: string | undefined;
}

export interface GraphClient {
  /** GET a path below the API root ("/users/{id}/mailboxSettings") or a Graph link. */
  get<T>(path: string, options?: GraphRequestOptions): Promise<T>;
  /** Pages of a collection, following @odata.nextLink verbatim until the last page. */
  getAllPages<T>(
    path: string,
    options?: GraphRequestOptions,
  ): AsyncGenerator<GraphPage<T>, void, undefined>;
  /** Any method; POST and PATCH are not resent after a dropped connection. Undefined for 204. */
  request<T>(
    method: string,
    path: string,
    options?: GraphRequestOptions & { body?: unknown },
  ): Promise<T | undefined>;
  /** $batch in envelopes of 20; throttled sub-requests are retried; responses by request id. */
  batch<T = unknown>(
    requests: BatchRequest[],
    options?: { mailbox?: string },
  ): Promise<Map<string, BatchResponse<T>>>;
  /** Concurrency counters (in flight, queued, peaks per mailbox). */
  stats(): ConcurrencyStats;
  /** Refuses queued and new calls and closes pooled connections. */
  close(): Promise<void>;
}

const pageSchema = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.string().optional(),
  '@odata.deltaLink': z.string().optional(),
});

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const { tenant } = options;
  const graphRoot = tenant.graphBaseUrl.replace(/\/+$/, '');
  const apiRoot = `${graphRoot}/${GRAPH_API_VERSION}`;
  const apiRootPath = new URL(apiRoot).pathname;
  const graphOrigin = new URL(graphRoot).origin;
  const logger = (options.logger ?? createLogger({ name: 'graph' })).child({
    component: 'graph',
    tenantId: tenant.tenantId,
  });
  const perMailbox = options.maxConcurrencyPerMailbox ?? DEFAULT_MAX_CONCURRENCY_PER_MAILBOX;
  const total = options.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY;
  const policy: RetryPolicy = {
    maxRetries: options.maxRetries ?? DEFAULT_RETRY_POLICY.maxRetries,
    initialBackoffMs: options.initialBackoffMs ?? DEFAULT_RETRY_POLICY.initialBackoffMs,
    maxBackoffMs: options.maxBackoffMs ?? DEFAULT_RETRY_POLICY.maxBackoffMs,
    maxRetryAfterMs: options.maxRetryAfterMs ?? DEFAULT_RETRY_POLICY.maxRetryAfterMs,
  };
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const limiter = new ConcurrencyLimiter({ perMailbox, total });
  const nodeTransport = options.transport
    ? undefined
    : createNodeTransport({
        maxSockets: total,
        timeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      });
  const transport = options.transport ?? (nodeTransport as { send: Transport }).send;
  const authProvider = options.authProvider ?? createAppOnlyAuthProvider(tenant, logger);

  const sdk = Client.initWithMiddleware({
    baseUrl: graphRoot,
    defaultVersion: GRAPH_API_VERSION,
    middleware: [
      new CallMiddleware(),
      new RetryMiddleware(policy, sleep, random, logger),
      new RequestHeadersMiddleware(),
      new AuthMiddleware(authProvider),
      new ConcurrencyMiddleware(limiter),
      new LoggingMiddleware(logger),
      new TransportMiddleware(transport),
    ],
  });

  /** The absolute URL and the path below the API root; links must stay on the Graph origin. */
  function locate(pathOrUrl: string): { url: string; path: string } {
    if (!/^https?:\/\//i.test(pathOrUrl)) {
      const path = `/${pathOrUrl.replace(/^\/+/, '')}`;
      return { url: `${apiRoot}${path}`, path };
    }
    const url = new URL(pathOrUrl);
    if (url.origin !== graphOrigin) {
      throw new GraphError({
        status: 0,
        code: 'untrustedLink',
        message: `Refusing to send the Graph token to ${url.origin}: links must stay on ${graphOrigin}.`,
      });
    }
    const below = url.pathname.startsWith(`${apiRootPath}/`)
      ? url.pathname.slice(apiRootPath.length)
      : url.pathname;
    return { url: pathOrUrl, path: `${below}${url.search}` };
  }

  async function send(
    method: string,
    pathOrUrl: string,
    call: {
      mailbox?: string | undefined;
      headers?: Record<string, string> | undefined;
      body?: unknown;
      claims?: MailboxClaims;
      idempotent?: boolean;
      itemMembers?: JsonItemMembers | undefined;
    },
  ): Promise<Response> {
    const { url, path } = locate(pathOrUrl);
    const verb = method.toUpperCase();
    const mailbox = call.mailbox?.toLowerCase() ?? mailboxFromPath(path);
    const claims = call.claims ?? new Map(mailbox === undefined ? [] : [[mailbox, 1]]);
    const label = { method: verb, path: path.split('?', 1)[0] ?? path, mailbox };
    const graphCall = new GraphCall(
      url,
      claims,
      call.idempotent ?? IDEMPOTENT_METHODS.has(verb),
      label,
    );
    let request: GraphRequest = sdk
      .api(url)
      .middlewareOptions([graphCall])
      .responseType(ResponseType.RAW);
    if (call.headers) request = request.headers(call.headers);
    let response: Response;
    try {
      response = (await dispatch(request, verb, call.body)) as Response;
    } catch (error) {
      throw asGraphError(graphCall.failure ?? error, label, graphCall.retries);
    }
    if (response.ok) return response;
    throw graphErrorFromResponse({
      status: response.status,
      header: (name) => response.headers.get(name) ?? undefined,
      body: await responseBody(response),
      request: `${label.method} ${apiRootPath}${label.path}`,
      retryAfterMs: graphCall.retryAfterMs,
    });
  }

  async function sendForJson<T>(
    method: string,
    pathOrUrl: string,
    call: Parameters<typeof send>[2],
  ): Promise<T | undefined> {
    const response = await send(method, pathOrUrl, call);
    return (await responseBody(response, { itemMembers: call.itemMembers })) as T | undefined;
  }

  const client: GraphClient = {
    async get<T>(path: string, requestOptions: GraphRequestOptions = {}) {
      return (await sendForJson<T>('GET', path, requestOptions)) as T;
    },

    async *getAllPages<T>(path: string, requestOptions: GraphRequestOptions = {}) {
      // nextLinks keep the mailbox of the first request even if their path is unfamiliar
      const mailbox = requestOptions.mailbox ?? mailboxFromPath(locate(path).path);
      let next: string | undefined = path;
      while (next !== undefined) {
        const body = await sendForJson<unknown>('GET', next, { ...requestOptions, mailbox });
        const parsed = pageSchema.safeParse(body);
        if (!parsed.success) {
          throw new GraphError({
            status: 200,
            code: 'notACollection',
            message: `Graph GET ${locate(next).path.split('?', 1)[0]} did not answer with a collection (no "value" array).`,
          });
        }
        const page = parsed.data;
        next = page['@odata.nextLink'];
        yield { value: page.value as T[], nextLink: next, deltaLink: page['@odata.deltaLink'] };
      }
    },

    request<T>(
      method: string,
      path: string,
      requestOptions: GraphRequestOptions & { body?: unknown } = {},
    ) {
      return sendForJson<T>(method, path, requestOptions);
    },

    batch<T = unknown>(requests: BatchRequest[], batchOptions: { mailbox?: string } = {}) {
      return runBatch<T>(requests, batchOptions.mailbox?.toLowerCase(), {
        post: (wire, claims, idempotent) =>
          sendForJson<unknown>('POST', '/$batch', { body: { requests: wire }, claims, idempotent }),
        relativeUrl: (url) => {
          if (!/^https?:\/\//i.test(url)) return `/${url.replace(/^\/+/, '')}`;
          const { path } = locate(url);
          if (!new URL(url).pathname.startsWith(`${apiRootPath}/`)) {
            throw new TypeError(`Batch request url ${url} is not below ${apiRoot}.`);
          }
          return path;
        },
        maxConcurrencyPerMailbox: perMailbox,
        policy,
        sleep,
        random,
        logger,
      });
    },

    stats: () => limiter.stats(),

    async close() {
      limiter.close(
        new GraphError({
          status: 0,
          code: 'clientClosed',
          message: 'The Graph client was closed.',
        }),
      );
      nodeTransport?.close();
    },
  };
  return client;
}

function dispatch(request: GraphRequest, method: string, body: unknown): Promise<unknown> {
  switch (method) {
    case 'GET':
      return request.get();
    case 'POST':
      return request.post(body);
    case 'PATCH':
      return request.patch(body);
    case 'PUT':
      return request.put(body);
    case 'DELETE':
      return request.delete();
    default:
      throw new TypeError(`The Graph client does not send ${method} requests.`);
  }
}

function asGraphError(
  error: unknown,
  label: { method: string; path: string },
  retries: number,
): unknown {
  if (error instanceof NetworkError) {
    return new GraphError({
      status: 0,
      code: 'networkError',
      message: `Graph ${label.method} ${label.path} got no answer after ${retries + 1} attempt(s): ${error.message} Check connectivity to GRAPH_BASE_URL.`,
      cause: error,
    });
  }
  return error;
}
