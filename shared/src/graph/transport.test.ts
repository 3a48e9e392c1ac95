import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphClient, type GraphClient } from './graph-client.js';
import { TEST_TENANT } from './testing.js';
import { createNodeTransport, responseBody, responseText } from './transport.js';

interface Seen {
  path: string;
  connection: number;
}

/** A local Graph stand-in whose answers the test scripts per path. */
describe('the node:http transport', () => {
  const seen: Seen[] = [];
  const connections = new WeakMap<Socket, number>();
  let nextConnection = 0;
  const script = new Map<
    string,
    Array<(res: http.ServerResponse, req: http.IncomingMessage) => void>
  >();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    seen.push({ path, connection: connections.get(req.socket) ?? -1 });
    const step = script.get(path)?.shift();
    if (step) {
      step(res, req);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'ok' });
    res.end('{"ok":true}');
  });
  server.on('connection', (socket) => connections.set(socket, nextConnection++));
  let client: GraphClient;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = createGraphClient({
      tenant: { ...TEST_TENANT, graphBaseUrl: `http://127.0.0.1:${port}` },
      logger: pino({ level: 'silent' }),
      authProvider: { getAccessToken: async () => 'token' },
      sleep: async () => {},
      requestTimeoutMs: 2_000,
    });
  });

  afterAll(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const connectionsOf = (path: string) =>
    seen.filter((s) => s.path === path).map((s) => s.connection);

  it('keeps a healthy connection for the next request', async () => {
    await client.get('/users/a/events');
    await client.get('/users/a/events');
    const [first, second] = connectionsOf('/v1.0/users/a/events');
    expect(second).toBe(first);
  });

  it('retries a 503 over a new connection', async () => {
    script.set('/v1.0/users/b/events', [
      (res) => {
        res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0.01' });
        res.end('{"error":{"code":"serviceNotAvailable","message":"busy"}}');
      },
    ]);
    await client.get('/users/a/events');
    expect(await client.get('/users/b/events')).toEqual({ ok: true });
    const pooled = connectionsOf('/v1.0/users/a/events').at(-1);
    const [refused, retried] = connectionsOf('/v1.0/users/b/events');
    expect(refused).toBe(pooled);
    expect(retried).not.toBe(refused);
    expect(retried).not.toBe(pooled);
  });

  it('resends a GET whose connection dropped mid-request', async () => {
    script.set('/v1.0/users/c/events', [(_res, req) => req.socket.destroy()]);
    expect(await client.get('/users/c/events')).toEqual({ ok: true });
    expect(connectionsOf('/v1.0/users/c/events')).toHaveLength(2);
  });

  it('gives a request without an answer up to the timeout', async () => {
    script.set('/v1.0/users/d/events', [() => {}, () => {}, () => {}]);
    const slow = createGraphClient({
      tenant: {
        ...TEST_TENANT,
        graphBaseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      },
      logger: pino({ level: 'silent' }),
      authProvider: { getAccessToken: async () => 'token' },
      sleep: async () => {},
      maxRetries: 1,
      requestTimeoutMs: 50,
    });
    try {
      await expect(slow.get('/users/d/events')).rejects.toMatchObject({
        status: 0,
        code: 'networkError',
      });
      expect(connectionsOf('/v1.0/users/d/events')).toHaveLength(2);
    } finally {
      await slow.close();
    }
  });
});

describe('responseText and responseBody', () => {
  it('read multi-byte text split across chunks from the transport buffer, and the Response still has its body', async () => {
    const body = JSON.stringify({ value: [{ displayName: 'Zoë Ångström 東京' }] });
    const bytes = Buffer.from(body, 'utf8');
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // split inside a multi-byte character so decoding must see the whole buffer
      res.write(bytes.subarray(0, 30));
      setTimeout(() => res.end(bytes.subarray(30)), 5);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const transport = createNodeTransport({ maxSockets: 1, timeoutMs: 2_000 });
    try {
      const response = await transport.send({
        url: `http://127.0.0.1:${port}/x`,
        method: 'GET',
        headers: new Headers(),
        body: undefined,
        freshConnection: false,
      });
      expect(await responseText(response)).toBe(body);
      expect(await responseBody(response)).toEqual(JSON.parse(body));
      // the transport's buffer is no copy of the body stream: the Response reads on its own
      expect(await response.text()).toBe(body);
      expect(await responseText(response)).toBe(body);
    } finally {
      transport.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('read a Response the transport did not make', async () => {
    expect(await responseText(new Response('plain'))).toBe('plain');
    expect(await responseBody(new Response('plain'))).toBe('plain');
    expect(await responseBody(new Response('{"a":[1]}'))).toEqual({ a: [1] });
    expect(await responseBody(new Response(''))).toBeUndefined();
  });
});
