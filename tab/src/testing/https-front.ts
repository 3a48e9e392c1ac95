// Teams runs only https pages (teams-js refuses an http authenticate URL, as Teams does), so the
// browser tests reach the service's tab through a small TLS proxy with the simulator's
// self-signed certificate; the browser context ignores that it is self-signed.
import { request } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureTlsMaterial } from '../../../sim/src/server/tls.js';

export interface HttpsFront {
  /** https://127.0.0.1:PORT, forwarding everything to the service */
  url: string;
  close(): Promise<void>;
}

export async function startHttpsFront(serviceUrl: string): Promise<HttpsFront> {
  const { key, cert } = await ensureTlsMaterial();
  const target = new URL(serviceUrl);
  const server = createServer({ key, cert }, (incoming, outgoing) => {
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        path: incoming.url,
        method: incoming.method,
        headers: { ...incoming.headers, host: target.host },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
