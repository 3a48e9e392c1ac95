// JSON batching (graph-facts §1.5): chunks of 20, every sub-response inspected, throttled ones
// sent again in a new batch after the longest Retry-After they carry.
import { z } from 'zod';
import type { Logger } from '../log/index.js';
import { GraphError, graphErrorFromResponse } from './errors.js';
import type { MailboxClaims } from './limiter.js';
import { mailboxFromPath } from './mailbox.js';
import { mergePreferHeader } from './prefer.js';
import { decideRetry, parseRetryAfter, RETRYABLE_STATUSES, type RetryPolicy } from './retry.js';

/** Graph refuses a $batch of more than 20 requests. */
export const MAX_BATCH_REQUESTS = 20;

export interface BatchRequest {
  /** Unique within the call; the response comes back under the same id. */
  id: string;
  method: string;
  /** Below the API root ("/users/{id}/calendarView?…"), or a Graph link on the same root. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Ids (in the same chunk of 20) that must succeed first. */
  dependsOn?: string[];
}

export interface BatchResponse<T = unknown> {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: T | undefined;
  /** Set when status is not 2xx (after retries, for throttled ones). */
  error: GraphError | undefined;
}

const envelopeSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});
type SubResponse = z.infer<typeof envelopeSchema>['responses'][number];

interface WireRequest {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

export interface BatchRunner {
  /** POSTs one envelope through the middleware chain; resolves with its parsed JSON. */
  post(requests: WireRequest[], claims: MailboxClaims, idempotent: boolean): Promise<unknown>;
  /** A request url as a path below the API root. */
  relativeUrl(url: string): string;
  maxConcurrencyPerMailbox: number;
  policy: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  logger: Logger;
}

const headerOf = (headers: Record<string, string> | undefined, name: string): string | undefined =>
  Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];

function toWire(request: BatchRequest, relativeUrl: (url: string) => string): WireRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (name.toLowerCase() !== 'prefer') headers[name] = value;
  }
  headers.Prefer = mergePreferHeader(headerOf(request.headers, 'prefer'));
  if (request.body !== undefined && headerOf(headers, 'content-type') === undefined) {
    headers['Content-Type'] = 'application/json';
  }
  const wire: WireRequest = {
    id: request.id,
    method: request.method.toUpperCase(),
    url: relativeUrl(request.url),
    headers,
  };
  if (request.body !== undefined) wire.body = request.body;
  if (request.dependsOn && request.dependsOn.length > 0) wire.dependsOn = [...request.dependsOn];
  return wire;
}

function chunksOf(requests: BatchRequest[]): BatchRequest[][] {
  const seen = new Set<string>();
  for (const request of requests) {
    if (seen.has(request.id))
      throw new TypeError(`Batch request ids must be unique; '${request.id}' repeats.`);
    seen.add(request.id);
  }
  const chunks: BatchRequest[][] = [];
  for (let i = 0; i < requests.length; i += MAX_BATCH_REQUESTS) {
    const chunk = requests.slice(i, i + MAX_BATCH_REQUESTS);
    const ids = new Set(chunk.map((r) => r.id));
    for (const request of chunk) {
      const outside = request.dependsOn?.find((id) => !ids.has(id));
      if (outside !== undefined) {
        throw new TypeError(
          `Batch request '${request.id}' depends on '${outside}', which is not among the same ${MAX_BATCH_REQUESTS}: order the requests so dependants share a chunk.`,
        );
      }
    }
    chunks.push(chunk);
  }
  return chunks;
}

/** Mailbox slots of one envelope: Graph forwards its Outlook sub-requests up to 4 at a time. */
function claimsOf(
  requests: WireRequest[],
  mailbox: string | undefined,
  perMailbox: number,
): MailboxClaims {
  const claims = new Map<string, number>();
  for (const request of requests) {
    const key = mailbox ?? mailboxFromPath(request.url);
    if (key !== undefined) claims.set(key, Math.min(perMailbox, (claims.get(key) ?? 0) + 1));
  }
  return claims;
}

function toResponse<T>(request: WireRequest, sub: SubResponse): BatchResponse<T> {
  const headers = sub.headers ?? {};
  const ok = sub.status >= 200 && sub.status < 300;
  return {
    id: sub.id,
    status: sub.status,
    headers,
    body: sub.body as T | undefined,
    error: ok
      ? undefined
      : graphErrorFromResponse({
          status: sub.status,
          header: (name) => headerOf(headers, name.toLowerCase()),
          body: sub.body,
          request: `${request.method} ${request.url.split('?', 1)[0]} (in $batch)`,
          retryAfterMs: parseRetryAfter(headerOf(headers, 'retry-after')),
        }),
  };
}

async function runChunk<T>(
  chunk: BatchRequest[],
  mailbox: string | undefined,
  runner: BatchRunner,
): Promise<Map<string, BatchResponse<T>>> {
  const results = new Map<string, BatchResponse<T>>();
  let pending = chunk.map((request) => toWire(request, runner.relativeUrl));
  for (let retry = 1; ; retry += 1) {
    const claims = claimsOf(pending, mailbox, runner.maxConcurrencyPerMailbox);
    const idempotent = pending.every((r) => r.method === 'GET');
    const parsed = envelopeSchema.safeParse(await runner.post(pending, claims, idempotent));
    if (!parsed.success) {
      throw new GraphError({
        status: 200,
        code: 'invalidBatchResponse',
        message: 'Graph answered $batch without a readable responses array.',
      });
    }
    const byId = new Map(parsed.data.responses.map((sub) => [sub.id, sub]));
    const missing = pending.find((r) => !byId.has(r.id));
    if (missing) {
      throw new GraphError({
        status: 200,
        code: 'invalidBatchResponse',
        message: `Graph answered $batch without a response for request '${missing.id}'.`,
      });
    }
    const answer = (request: WireRequest) => byId.get(request.id) as SubResponse;

    const again = new Set(
      pending.filter((r) => RETRYABLE_STATUSES.has(answer(r).status)).map((r) => r.id),
    );
    // dependants that failed only because a request being retried did go again with it
    for (let grew = true; grew;) {
      grew = false;
      for (const request of pending) {
        if (again.has(request.id) || answer(request).status !== 424) continue;
        if (request.dependsOn?.some((id) => again.has(id))) {
          again.add(request.id);
          grew = true;
        }
      }
    }
    const waits = [...again]
      .map((id) => parseRetryAfter(headerOf(byId.get(id)?.headers, 'retry-after')))
      .filter((ms): ms is number => ms !== undefined);
    const retryAfterMs = waits.length > 0 ? Math.max(...waits) : undefined;
    const decision =
      again.size > 0
        ? decideRetry(retry, true, retryAfterMs, runner.policy, runner.random)
        : ({ retry: false } as const);

    for (const request of pending) {
      if (!(decision.retry && again.has(request.id)))
        results.set(request.id, toResponse<T>(request, answer(request)));
    }
    if (!decision.retry) return results;
    runner.logger.debug(
      { retried: again.size, retry, retryInMs: decision.delayMs },
      'graph $batch sub-requests will be retried',
    );
    await runner.sleep(decision.delayMs);
    pending = pending
      .filter((r) => again.has(r.id))
      .map((r) => {
        const dependsOn = r.dependsOn?.filter((id) => again.has(id));
        const { dependsOn: _done, ...rest } = r;
        return dependsOn && dependsOn.length > 0 ? { ...rest, dependsOn } : rest;
      });
  }
}

/** Runs `requests` as $batch envelopes of up to 20; responses by request id, in request order. */
export async function runBatch<T>(
  requests: BatchRequest[],
  mailbox: string | undefined,
  runner: BatchRunner,
): Promise<Map<string, BatchResponse<T>>> {
  const chunks = chunksOf(requests);
  const answered = await Promise.all(chunks.map((chunk) => runChunk<T>(chunk, mailbox, runner)));
  const byId = new Map(answered.flatMap((results) => [...results]));
  return new Map(requests.map((request) => [request.id, byId.get(request.id) as BatchResponse<T>]));
}
