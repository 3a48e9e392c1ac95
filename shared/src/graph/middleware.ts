// The Graph SDK middleware chain, outermost first:
// call → retry → request headers → auth → concurrency → logging → transport.
import { randomUUID } from 'node:crypto';
import type {
  AuthenticationProvider,
  Context,
  Middleware,
  MiddlewareOptions,
} from '@microsoft/microsoft-graph-client';
import type { Logger } from '../log/index.js';
import type { ConcurrencyLimiter, MailboxClaims } from './limiter.js';
import { mergePreferHeader } from './prefer.js';
import { decideRetry, parseRetryAfter, RETRYABLE_STATUSES, type RetryPolicy } from './retry.js';
import { NetworkError, type Transport } from './transport.js';

/** One Graph call's state, shared by the middleware (handed over as SDK middleware options). */
export class GraphCall implements MiddlewareOptions {
  /** Retries made so far; 0 on the first attempt. */
  retries = 0;
  /** Set after a 503/504 or a dropped connection: the next attempt avoids the pooled socket. */
  freshConnection = false;
  clientRequestId: string | undefined;
  /** Headers as the caller built them, before per-attempt additions. */
  baseHeaders = new Headers();
  /** Retry-After of the last answer, when Graph gave one. */
  retryAfterMs: number | undefined;
  /** What the chain threw, kept because the SDK re-wraps errors thrown through it. */
  failure: unknown;

  constructor(
    readonly url: string,
    /** Mailbox slots this call holds while in flight. */
    readonly claims: MailboxClaims,
    /** Safe to send again after a dropped connection (no side effects). */
    readonly idempotent: boolean,
    /** For logs: method and path, never the query. */
    readonly label: { method: string; path: string; mailbox: string | undefined },
  ) {}

  static of(context: Context): GraphCall {
    const call = context.middlewareControl?.getMiddlewareOptions(GraphCall);
    if (!(call instanceof GraphCall)) throw new Error('Graph middleware ran without a GraphCall.');
    return call;
  }
}

abstract class Link implements Middleware {
  protected next: Middleware | undefined;

  setNext(next: Middleware): void {
    this.next = next;
  }

  protected async forward(context: Context): Promise<void> {
    if (!this.next)
      throw new Error(`${this.constructor.name} is the end of the Graph middleware chain.`);
    await this.next.execute(context);
  }

  abstract execute(context: Context): Promise<void>;
}

/** Sends the call's URL verbatim (the SDK re-splits query strings; links are opaque) and keeps errors. */
export class CallMiddleware extends Link {
  async execute(context: Context): Promise<void> {
    const call = GraphCall.of(context);
    call.baseHeaders = new Headers(context.options?.headers);
    context.request = call.url;
    try {
      await this.forward(context);
    } catch (error) {
      call.failure = error;
      throw error;
    }
  }
}

/** Retries 429/503/504 (and dropped connections of idempotent calls) per the retry policy. */
export class RetryMiddleware extends Link {
  constructor(
    private readonly policy: RetryPolicy,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly random: () => number,
    private readonly logger: Logger,
  ) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const call = GraphCall.of(context);
    for (;;) {
      let networkError: NetworkError | undefined;
      try {
        await this.forward(context);
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error;
        networkError = error;
      }
      const status = context.response?.status;
      call.retryAfterMs = networkError
        ? undefined
        : parseRetryAfter(context.response?.headers.get('retry-after'));
      const retryable = networkError ? call.idempotent : RETRYABLE_STATUSES.has(status ?? 0);
      const decision = decideRetry(
        call.retries + 1,
        retryable,
        call.retryAfterMs,
        this.policy,
        this.random,
      );
      if (!decision.retry) {
        if (networkError) throw networkError;
        return;
      }
      call.retries += 1;
      call.freshConnection = networkError !== undefined || status === 503 || status === 504;
      this.logger.debug(
        {
          ...call.label,
          status: status ?? 0,
          retry: call.retries,
          retryInMs: decision.delayMs,
          freshConnection: call.freshConnection,
          clientRequestId: call.clientRequestId,
        },
        'graph request will be retried',
      );
      context.response = undefined;
      await this.sleep(decision.delayMs);
    }
  }
}

/** Per attempt: one merged Prefer header, a fresh client-request-id, retry-attempt on retries. */
export class RequestHeadersMiddleware extends Link {
  async execute(context: Context): Promise<void> {
    const call = GraphCall.of(context);
    const headers = new Headers(call.baseHeaders);
    headers.set('prefer', mergePreferHeader(headers.get('prefer')));
    call.clientRequestId = randomUUID();
    headers.set('client-request-id', call.clientRequestId);
    if (call.retries > 0) headers.set('retry-attempt', String(call.retries));
    if (!headers.has('accept')) headers.set('accept', 'application/json');
    context.options = { ...context.options, headers };
    await this.forward(context);
  }
}

/** Adds the app token; the URL is already checked to be on the Graph origin. */
export class AuthMiddleware extends Link {
  constructor(private readonly provider: AuthenticationProvider) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const token = await this.provider.getAccessToken();
    const headers = new Headers(context.options?.headers);
    headers.set('authorization', `Bearer ${token}`);
    context.options = { ...context.options, headers };
    await this.forward(context);
  }
}

/** Holds the call's mailbox and global slots for the attempt, not for back-off waits. */
export class ConcurrencyMiddleware extends Link {
  constructor(private readonly limiter: ConcurrencyLimiter) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const release = await this.limiter.acquire(GraphCall.of(context).claims);
    try {
      await this.forward(context);
    } finally {
      release();
    }
  }
}

/** One debug line per attempt: ids, status, duration. Never headers or bodies. */
export class LoggingMiddleware extends Link {
  constructor(private readonly logger: Logger) {
    super();
  }

  async execute(context: Context): Promise<void> {
    const call = GraphCall.of(context);
    const started = performance.now();
    const fields = {
      ...call.label,
      attempt: call.retries + 1,
      clientRequestId: call.clientRequestId,
    };
    try {
      await this.forward(context);
    } catch (error) {
      this.logger.debug(
        {
          ...fields,
          durationMs: Math.round(performance.now() - started),
          error: (error as Error).message,
        },
        'graph request failed without an answer',
      );
      throw error;
    }
    const response = context.response;
    this.logger.debug(
      {
        ...fields,
        status: response?.status,
        durationMs: Math.round(performance.now() - started),
        requestId: response?.headers.get('request-id') ?? undefined,
        diagnostic: response?.headers.get('x-ms-ags-diagnostic') ?? undefined,
      },
      'graph request',
    );
  }
}

/** The end of the chain: sends the attempt. */
export class TransportMiddleware implements Middleware {
  constructor(private readonly transport: Transport) {}

  async execute(context: Context): Promise<void> {
    const call = GraphCall.of(context);
    const body = context.options?.body;
    if (body !== undefined && body !== null && typeof body !== 'string') {
      throw new TypeError('Graph request bodies are sent as JSON text.');
    }
    context.response = await this.transport({
      url: call.url,
      method: context.options?.method ?? 'GET',
      headers: new Headers(context.options?.headers),
      body: body ?? undefined,
      freshConnection: call.freshConnection,
    });
  }
}
