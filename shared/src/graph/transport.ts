// HTTP for the Graph client on node:http(s) rather than fetch: a retry after 503/504 or a dropped
// connection must go over a new connection (graph-facts §1.3), which fetch cannot ask for, and
// close() must end the client's keep-alive sockets.
import http from 'node:http';
import https from 'node:https';
import { GraphError } from './errors.js';
import { parseJsonChunks, type ParseJsonOptions } from './parse-json-bytes.js';

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

// The bytes of each response the transport made, as received, so readers can skip the web-stream
// machinery of Response.text() and the copies a large body would cost (see parse-json-bytes.ts).
const bufferedBodies = new WeakMap<Response, readonly Buffer[]>();

/** The text of a response: from the transport's own buffer when it made the response. */
export async function responseText(response: Response): Promise<string> {
  const chunks = bufferedBodies.get(response);
  if (chunks === undefined) return response.text();
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A response's body: what JSON.parse makes of its text when that is JSON, the text otherwise,
 * undefined when it is empty. Read from the transport's own buffer when it made the response;
 * `itemMembers` then leaves out the other members of a collection's items (parse-json-bytes.ts).
 */
export async function responseBody(
  response: Response,
  options: ParseJsonOptions = {},
): Promise<unknown> {
  const chunks = bufferedBodies.get(response);
  if (chunks !== undefined && chunks.some((chunk) => chunk.length > 0)) {
    try {
      return parseJsonChunks(chunks, options);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
    }
  }
  const text = await responseText(response);
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A body stream over chunks already received: nothing is copied unless someone reads it. */
function streamOf(chunks: readonly Buffer[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    pull(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
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
            const hasBody = !NULL_BODY_STATUSES.has(status);
            const response = new Response(hasBody ? streamOf(chunks) : null, {
              status,
              statusText: incoming.statusMessage ?? '',
              headers: responseHeaders,
            });
            if (hasBody) bufferedBodies.set(response, chunks);
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
