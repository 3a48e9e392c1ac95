// The simulator's HTTPS server: Entra endpoints, Graph v1.0 and the /_sim/ control API on one
// port. node:https directly (no framework): Graph paths hold "$batch" and OData casts, faults
// need to destroy sockets, and the Graph layer stays a plain function $batch can call.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TenantEngine } from '../engine/tenant-engine-api.js';
import { ControlService, collectStats, type SimStats } from './control.js';
import { EntraService } from './entra.js';
import { GraphService } from './graph.js';
import { errorBody, safeDecode, type GraphRequest, type GraphResponse } from './graph-http.js';
import { newRequestId, type AppRegistration } from './ids.js';
import { OUTLOOK_LIMITS, type MailboxLimits } from './limits.js';
import { SimState } from './state.js';
import { DEFAULT_DELIVERY, SubscriptionService, type DeliveryOptions } from './subscriptions.js';
import { TokenService } from './tokens.js';
import { defaultTlsDir, ensureTlsMaterial } from './tls.js';

export { ensureTlsMaterial, defaultTlsDir } from './tls.js';
export { appRegistration, toImmutableId, fromImmutableId } from './ids.js';
export { DEFAULT_APP_ROLES, DEFAULT_DELEGATED_SCOPES } from './tokens.js';
export { OUTLOOK_LIMITS } from './limits.js';
export type { MailboxLimits } from './limits.js';
export type { AppRegistration } from './ids.js';
export type { GraphRequest, GraphResponse } from './graph-http.js';
export type { SimStats, MailboxReport } from './control.js';
export type { DeliveryOptions } from './subscriptions.js';

export interface SimServerOptions {
  engines: TenantEngine[];
  /** 0 picks a free port. Default 8443. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Where the self-signed certificate lives. Default `<repo>/data/sim-tls`. */
  tlsDir?: string;
  /** Outlook limits; tests shrink the 10-minute budget to reach it quickly. */
  limits?: Partial<MailboxLimits>;
  /** Change-notification timing (coalescing, timeouts, retries). */
  delivery?: Partial<DeliveryOptions>;
}

export interface SimServer {
  /** `https://127.0.0.1:PORT`: both GRAPH_BASE_URL and AUTHORITY_HOST. */
  readonly url: string;
  /** PEM of the certificate the server presents (trust it as a CA). */
  readonly certPath: string;
  readonly cert: string;
  close(): Promise<void>;
  /** The WarmPath app registration of a tenant (default: the first). */
  app(tenantId?: string): AppRegistration;
  /** Environment for the app: GRAPH_BASE_URL, AUTHORITY_HOST, TENANT_ID, CLIENT_ID, CLIENT_SECRET, NODE_EXTRA_CA_CERTS. */
  env(tenantId?: string): Record<string, string>;
  stats(window?: { start?: Date; end?: Date }): SimStats;
  /** The Graph layer without HTTP (path below /v1.0). */
  handleGraphRequest(request: GraphRequest): Promise<GraphResponse>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;

export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  if (options.engines.length === 0)
    throw new Error('startSimServer needs at least one tenant engine');
  const tls = await ensureTlsMaterial(options.tlsDir ?? defaultTlsDir());
  const tokens = await TokenService.create();
  const state = new SimState(
    options.engines,
    tokens,
    { ...OUTLOOK_LIMITS, ...options.limits },
    tls.cert,
  );
  const subscriptions = new SubscriptionService(state, {
    ...DEFAULT_DELIVERY,
    ...options.delivery,
  });
  const graph = new GraphService(state, subscriptions);
  const entra = new EntraService(state);
  const control = new ControlService(state, subscriptions);

  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    dispatch(req, res).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) {
        sendJson(res, 500, {}, { error: { code: 'generalException', message } });
      } else {
        res.destroy();
      }
    });
  });
  // a client that keeps connections alive must not be cut mid-request by the default timeouts
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://simulator.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const rawSegments = url.pathname.split('/').filter(Boolean);
    const first = rawSegments[0];
    const headers = lowerHeaders(req);
    // Entra and the control API answer with ids too (Graph sets its own in the Graph layer)
    const requestId = newRequestId();
    const ids = {
      'request-id': requestId,
      'x-ms-request-id': requestId,
      'client-request-id': headers['client-request-id'] ?? requestId,
    };
    const rawBody = await readBody(req);
    if (rawBody === undefined) {
      sendJson(res, 413, ids, {
        error: {
          code: 'RequestTooLarge',
          message: `Bodies are limited to ${MAX_BODY_BYTES} bytes.`,
        },
      });
      return;
    }

    if (first === 'v1.0') {
      const graphPath = url.pathname.slice('/v1.0'.length) || '/';
      const body = parseJson(rawBody);
      if (body === INVALID_JSON) {
        state.countStatus('graph', 400);
        sendJson(
          res,
          400,
          ids,
          errorBody(
            'BadRequest',
            'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
            { requestId, clientRequestId: ids['client-request-id'] },
          ),
        );
        return;
      }
      const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1]?.trim();
      const response = await graph.handle({
        method,
        path: graphPath,
        query: url.searchParams,
        headers,
        body,
        token: bearer,
      });
      if (response.drop) {
        state.countStatus('graph', 0);
        req.socket.destroy();
        return;
      }
      state.countStatus('graph', response.status);
      const text =
        response.body === undefined
          ? ''
          : typeof response.body === 'string'
            ? response.body
            : JSON.stringify(response.body);
      send(res, response.status, response.headers, text);
      return;
    }

    if (first === '_sim') {
      const body = parseJson(rawBody);
      if (body === INVALID_JSON) {
        state.countStatus('control', 400);
        sendJson(res, 400, ids, {
          error: { code: 'BadRequest', message: 'The body is not valid JSON.' },
        });
        return;
      }
      const segments = rawSegments.slice(1).map(safeDecode);
      const result = await control.handle(method, segments, url.searchParams, body);
      state.countStatus('control', result.status);
      send(
        res,
        result.status,
        result.body === undefined
          ? ids
          : { ...ids, 'Content-Type': 'application/json; charset=utf-8' },
        result.body === undefined ? '' : JSON.stringify(result.body),
      );
      return;
    }

    const segments = rawSegments.map(safeDecode);
    const entraResponse = await entra.handle(method, segments, url.searchParams, headers, rawBody);
    if (entraResponse) {
      state.countStatus('entra', entraResponse.status);
      send(
        res,
        entraResponse.status,
        { ...ids, ...entraResponse.headers },
        JSON.stringify(entraResponse.body),
      );
      return;
    }
    state.countStatus('other', 404);
    sendJson(res, 404, ids, {
      error: { code: 'NotFound', message: `Nothing is served at ${method} ${url.pathname}.` },
    });
  }

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8443, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  state.url = `https://${urlHost}:${address.port}`;

  const firstTenant = options.engines[0]?.tenantId as string;
  const app = (tenantId = firstTenant): AppRegistration => {
    const tenant = state.findTenant(tenantId);
    if (!tenant) throw new Error(`the simulator has no tenant ${tenantId}`);
    return { ...tenant.app };
  };
  let closed = false;

  return {
    url: state.url,
    certPath: tls.certPath,
    cert: tls.cert,
    app,
    env(tenantId?: string) {
      const registration = app(tenantId);
      return {
        GRAPH_BASE_URL: state.url,
        AUTHORITY_HOST: state.url,
        TENANT_ID: registration.tenantId,
        CLIENT_ID: registration.clientId,
        CLIENT_SECRET: registration.clientSecret,
        NODE_EXTRA_CA_CERTS: tls.certPath,
      };
    },
    stats: (window) => collectStats(state, subscriptions, window),
    handleGraphRequest: (request) => graph.handle(request),
    async close() {
      if (closed) return;
      closed = true;
      subscriptions.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function lowerHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** The body as text, or undefined when it exceeds the limit. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const INVALID_JSON = Symbol('invalid JSON');

/** The parsed body, undefined for an empty one, or INVALID_JSON. */
function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID_JSON;
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body: unknown,
): void {
  send(res, status, { ...headers, 'Content-Type': 'application/json' }, JSON.stringify(body));
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  text: string,
): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { ...headers, 'Content-Length': String(body.length) });
  res.end(body);
}
