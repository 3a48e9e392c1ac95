// Helpers for the server's tests: a simulator on the small fixture tenant, an HTTPS client that
// trusts its certificate, and a local webhook receiver.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { createTenantEngine } from '../engine/index.js';
import type { TenantEngine } from '../engine/tenant-engine-api.js';
import type { TenantFile } from '../graph-types.js';
import { stableGuid } from './ids.js';
import { startSimServer, type SimServer, type SimServerOptions } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURE_PATH = resolve(here, '../../fixtures/small-tenant.json');
const SAMPLES_PATH = resolve(here, '../../fixtures/server-graph-samples.json');

// Users and groups of sim/fixtures/small-tenant.json the tests refer to.
export const ADELE = { id: 'a1d3c6b2-7e4f-4c1a-8b2d-3f5e6a7b8c01', upn: 'adele.vance@contoso.com' };
export const ALEX = { id: 'b2e4d7c3-8f5a-4d2b-9c3e-4a6f7b8c9d02', upn: 'alex.wilber@contoso.com' };
export const MEGAN = {
  id: 'c3f5e8d4-9a6b-4e3c-8d4f-5b7a8c9d0e03',
  upn: 'megan.bowen@contoso-labs.io',
};
/** Has no mailbox (no `mail`). */
export const LEE = { id: 'd4a6f9e5-0b7c-4f4d-9e5a-6c8b9d0e1f04', upn: 'lee.gu@contoso.com' };
export const DIEGO = {
  id: 'e5b7a0f6-1c8d-4a5e-8f6b-7d9c0e1f2a05',
  upn: 'diego.siciliani@contoso.com',
};
export const SALES_GROUP = '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d11';
export const ADELE_CUSTOMER_CALENDAR = 'AAMkAGFkZWxlLWN1c3RvbWVycy1jYWxlbmRhcgAA=';
/** A window holding every meeting of the fixture. */
export const WINDOW = { start: '2026-08-01T00:00:00Z', end: '2027-01-01T00:00:00Z' };

export function fixtureTenant(): TenantFile {
  return JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as TenantFile;
}

/** The fixture with every GUID and the domains replaced: a second, unrelated tenant. */
export function otherTenant(): TenantFile {
  const text = readFileSync(FIXTURE_PATH, 'utf8')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (guid) =>
      stableGuid(`other:${guid}`),
    )
    .replace(/contoso-labs\.io/g, 'tailspin-labs.example')
    .replace(/contoso\.com/g, 'tailspin.example')
    .replace(/"Contoso"/g, '"Tailspin"');
  return JSON.parse(text) as TenantFile;
}

export interface TestSim {
  server: SimServer;
  engines: TenantEngine[];
  client: Client;
  close(): Promise<void>;
}

export type TestSimOptions = Partial<SimServerOptions> & { tenants?: TenantFile[] };

export async function startTestSim(options: TestSimOptions = {}): Promise<TestSim> {
  const engines =
    options.engines ??
    (options.tenants ?? [fixtureTenant()]).map((file) => createTenantEngine(file));
  const server = await startSimServer({ port: 0, ...options, engines });
  const client = new Client(server);
  return {
    server,
    engines,
    client,
    close: async () => {
      client.close();
      await server.close();
    },
  };
}

/**
 * A simulator started before the enclosing file's (or describe block's) tests and closed after
 * them. Its parts are there from its `beforeAll` on: read them in tests and later hooks.
 */
export function useTestSim(options: TestSimOptions = {}): TestSim {
  let started: TestSim | undefined;
  beforeAll(async () => {
    started = await startTestSim(options);
  });
  afterAll(() => started?.close());
  const current = (): TestSim => {
    if (started === undefined) throw new Error('the test simulator starts in beforeAll');
    return started;
  };
  return {
    get server() {
      return current().server;
    },
    get engines() {
      return current().engines;
    },
    get client() {
      return current().client;
    },
    close: () => current().close(),
  };
}

export interface CallResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  json: any;
}

export interface CallOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  token?: string;
  form?: Record<string, string>;
}

/** HTTPS client trusting the simulator's certificate (works whether or not NODE_EXTRA_CA_CERTS is set). */
export class Client {
  readonly agent: https.Agent;
  private tokens = new Map<string, string>();

  constructor(private readonly server: SimServer) {
    this.agent = new https.Agent({ ca: server.cert, keepAlive: true, maxSockets: 64 });
  }

  close(): void {
    this.agent.destroy();
  }

  call(pathOrUrl: string, options: CallOptions = {}): Promise<CallResult> {
    const url = pathOrUrl.startsWith('https://') ? pathOrUrl : `${this.server.url}${pathOrUrl}`;
    const headers: Record<string, string> = { ...options.headers };
    let payload: string | undefined;
    if (options.form) {
      payload = new URLSearchParams(options.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (options.body !== undefined) {
      payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    return new Promise((resolvePromise, reject) => {
      const request = https.request(
        url,
        {
          method: options.method ?? (payload === undefined ? 'GET' : 'POST'),
          headers,
          agent: this.agent,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: unknown;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = undefined;
            }
            resolvePromise({
              status: response.statusCode ?? 0,
              headers: response.headers,
              text,
              json,
            });
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  /** An app-only Graph token for the tenant (cached per tenant). */
  async appToken(tenantId = this.server.app().tenantId): Promise<string> {
    const cached = this.tokens.get(tenantId);
    if (cached) return cached;
    const app = this.server.app(tenantId);
    const result = await this.call(`/${tenantId}/oauth2/v2.0/token`, {
      form: {
        grant_type: 'client_credentials',
        client_id: app.clientId,
        client_secret: app.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
      },
    });
    if (result.status !== 200) throw new Error(`token request failed: ${result.text}`);
    const token = result.json.access_token as string;
    this.tokens.set(tenantId, token);
    return token;
  }

  /** GET (or other) on Graph with the tenant's app token. */
  async graph(
    path: string,
    options: CallOptions & { tenantId?: string } = {},
  ): Promise<CallResult> {
    const token = options.token ?? (await this.appToken(options.tenantId));
    const full = path.startsWith('https://') ? path : `/v1.0${path}`;
    return this.call(full, { ...options, token });
  }

  /** Follows @odata.nextLink until the last page; returns every item and the final page. */
  async allPages(
    path: string,
    options: CallOptions & { tenantId?: string } = {},
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  ): Promise<{ items: any[]; pages: CallResult[] }> {
    const pages: CallResult[] = [];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
    const items: any[] = [];
    let next: string | undefined = path;
    while (next) {
      const page = await this.graph(next, options);
      if (page.status !== 200)
        throw new Error(`page ${next} answered ${page.status}: ${page.text}`);
      pages.push(page);
      items.push(...(page.json.value as unknown[]));
      next = page.json['@odata.nextLink'] as string | undefined;
    }
    return { items, pages };
  }

  /** POST /_sim/… */
  control(path: string, options: CallOptions = {}): Promise<CallResult> {
    return this.call(`/_sim${path}`, options);
  }
}

export interface ReceivedRequest {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

/**
 * A webhook receiver on http://127.0.0.1: answers Graph's validation handshake (echoing the
 * decoded token), records every POST, and answers notifications with `status()` (default 202).
 */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  status: (request: ReceivedRequest) => number = () => 202;
  /** What to answer to a validation request; default: the decoded token. */
  validationAnswer: (token: string) => string = (token) => token;
  private waiters: Array<() => void> = [];
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const received: ReceivedRequest = {
        method: req.method ?? '',
        url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      this.requests.push(received);
      for (const wake of this.waiters.splice(0)) wake();
      const token = url.searchParams.get('validationToken');
      if (token !== null) {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(this.validationAnswer(token));
        return;
      }
      res.writeHead(this.status(received));
      res.end();
    });
  });

  url = '';

  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Notification POSTs (validation requests excluded) to `path`. */
  notifications(path = '/notify'): ReceivedRequest[] {
    return this.requests.filter(
      (r) => r.url.pathname === path && !r.url.searchParams.has('validationToken'),
    );
  }

  /** Waits until `predicate` holds or `timeoutMs` passes (then throws). */
  async waitFor(predicate: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for the webhook receiver');
      await new Promise<void>((r) => {
        const timer = setTimeout(r, Math.min(left, 50));
        this.waiters.push(() => {
          clearTimeout(timer);
          r();
        });
      });
    }
  }
}

let samples: Record<string, unknown> | undefined;

/**
 * A Graph documentation sample by its file name in the graph-samples folder, from
 * sim/fixtures/server-graph-samples.json (attribution inside that file).
 */
export function sample(name: string): unknown {
  samples ??= (
    JSON.parse(readFileSync(SAMPLES_PATH, 'utf8')) as { samples: Record<string, unknown> }
  ).samples;
  const found = samples[name];
  if (found === undefined) throw new Error(`no Graph sample named ${name}`);
  return found;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
