// HTTP for the Graph client on node:http(s) rather than fetch: a retry after 503/504 or a dropped
// connection must go over a new connection (graph-facts §1.3), which fetch cannot ask for, and
// close() must end the client's keep-alive sockets.
import http from 'node:http';
import https from 'node:https';
import { GraphError } from './errors.js';

export interface TransportRequest {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
  /** Open a new connection for this request instead of reusing a pooled one. */
  freshConnection: boolean;
}

/** Sends one request; resolves with the whole (buffered) response, rejects with NetworkError. */
export type Transport = (request: TransportRequest) => Promise<Response>;

/** No HTTP answer: refused, reset, dropped mid-body, or timed out. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
}

// The bytes of each response the transport made, so readers can skip the web-stream machinery of
// Response.text(), which costs more than JSON.parse on large calendar pages.
const bufferedBodies = new WeakMap<Response, Buffer>();

/** The text of a response: from the transport's own buffer when it made the response. */
export async function responseText(response: Response): Promise<string> {
  const buffered = bufferedBodies.get(response);
  if (buffered === undefined || response.bodyUsed) return response.text();
  bufferedBodies.delete(response);
  return buffered.toString('utf8');
}

// Statuses whose responses must not carry a body (the Response constructor refuses one).
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export interface NodeTransport {
  send: Transport;
  close(): void;
}

export function createNodeTransport(options: {
  maxSockets: number;
  timeoutMs: number;
}): NodeTransport {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets };
  const httpsAgent = new https.Agent(agentOptions);
  const httpAgent = new http.Agent(agentOptions);
  let closed = false;

  const send: Transport = (request) =>
    new Promise<Response>((resolve, reject) => {
      if (closed) {
        reject(
          new GraphError({
            status: 0,
            code: 'clientClosed',
            message: 'The Graph client was closed.',
          }),
        );
        return;
      }
      const target = new URL(request.url);
      const secure = target.protocol === 'https:';
      const headers: Record<string, string> = {};
      for (const [name, value] of request.headers) headers[name] = value;
      if (request.body !== undefined)
        headers['content-length'] = String(Buffer.byteLength(request.body));
      // agent: false gives a one-off connection, closed after this exchange
      const agent = request.freshConnection ? false : secure ? httpsAgent : httpAgent;
      const outgoing = (secure ? https : http).request(target, {
        method: request.method,
        headers,
        agent,
      });
      const fail = (error: Error) =>
        reject(
          error instanceof NetworkError
            ? error
            : new NetworkError(
                `${request.method} ${target.origin}${target.pathname} got no answer: ${error.message}`,
                {
                  cause: error,
                },
              ),
        );
      outgoing.setTimeout(options.timeoutMs, () => {
        outgoing.destroy(
          new NetworkError(
            `${request.method} ${target.origin}${target.pathname} got no answer within ${options.timeoutMs} ms.`,
          ),
        );
      });
      outgoing.on('error', fail);
      outgoing.on('response', (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', fail);
        incoming.on('aborted', () => fail(new Error('the connection closed mid-response')));
        incoming.on('end', () => {
          const status = incoming.statusCode ?? 0;
          const responseHeaders = new Headers();
          for (let i = 0; i + 1 < incoming.rawHeaders.length; i += 2) {
            responseHeaders.append(
              incoming.rawHeaders[i] as string,
              incoming.rawHeaders[i + 1] as string,
            );
          }
          try {
            const body = NULL_BODY_STATUSES.has(status) ? null : Buffer.concat(chunks);
            const response = new Response(body, {
              status,
              statusText: incoming.statusMessage ?? '',
              headers: responseHeaders,
            });
            if (body !== null) bufferedBodies.set(response, body);
            resolve(response);
          } catch (error) {
            fail(error as Error);
          }
        });
      });
      outgoing.end(request.body);
    });

  return {
    send,
    close() {
      closed = true;
      httpsAgent.destroy();
      httpAgent.destroy();
    },
  };
}
