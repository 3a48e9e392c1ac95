// Test helpers: a Graph client on a scripted transport, no network, no MSAL, no waiting.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { MicrosoftTenantConfig } from '../config/index.js';
import type { Logger } from '../log/index.js';
import { createGraphClient, type GraphClient, type GraphClientOptions } from './graph-client.js';
import type { TransportRequest } from './transport.js';

export const TEST_TENANT: MicrosoftTenantConfig = {
  graphBaseUrl: 'https://graph.test',
  authorityHost: 'https://login.test',
  tenantId: '11111111-2222-4333-8444-555555555555',
  clientId: '66666666-7777-4888-9999-000000000000',
  clientSecret: 'test-secret',
};

export const TEST_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.test-token.';

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'request-id': `req-${status}`, ...headers },
  });
}

export function graphErrorBody(code: string, message = `${code} happened`): unknown {
  return { error: { code, message, innerError: { 'request-id': 'inner-request-id' } } };
}

/** A logger that keeps every line (JSON text) for assertions. */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

export interface ScriptedGraph {
  client: GraphClient;
  /** Every request the transport saw, in order. */
  requests: TransportRequest[];
  /** Every delay the client slept. */
  sleeps: number[];
}

/**
 * A client whose transport answers with `answer` (called per attempt, numbered from 0), a fixed
 * token, a sleep that returns at once and recorded delays.
 */
export function scriptedGraph(
  answer: (request: TransportRequest, attempt: number) => Response | Promise<Response>,
  options: Partial<GraphClientOptions> = {},
): ScriptedGraph {
  const requests: TransportRequest[] = [];
  const sleeps: number[] = [];
  const client = createGraphClient({
    tenant: TEST_TENANT,
    logger: pino({ level: 'silent' }),
    authProvider: { getAccessToken: async () => TEST_TOKEN },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    transport: async (request) => {
      requests.push(request);
      return answer(request, requests.length - 1);
    },
    ...options,
  });
  return { client, requests, sleeps };
}
