// Outbound HTTP(S) POSTs to webhook receivers (validation handshakes and notifications).
import http from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';

export interface OutboundResult {
  status: number;
  body: string;
}

/**
 * POSTs `body` and resolves with the status and text answered, or rejects on a network error or
 * when no complete answer arrives within `timeoutMs`.
 */
export function postText(
  url: string,
  body: string,
  contentType: string,
  timeoutMs: number,
  extraCa?: string,
): Promise<OutboundResult> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const isHttps = target.protocol === 'https:';
    const options: https.RequestOptions = {
      method: 'POST',
      headers: {
        'Content-Type': contentType,
        'Content-Length': Buffer.byteLength(body),
        'User-Agent': 'Microsoft-Graph-Simulator/1.0',
      },
      // one connection per POST: receivers in tests start and stop freely
      agent: false,
      timeout: timeoutMs,
    };
    if (isHttps && extraCa) options.ca = [...rootCertificates, extraCa];
    const request = (isHttps ? https : http).request(target, options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
      response.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    const timer = setTimeout(() => {
      request.destroy(new Error(`no answer from ${target.origin} within ${timeoutMs} ms`));
    }, timeoutMs);
    request.on('timeout', () => request.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}
