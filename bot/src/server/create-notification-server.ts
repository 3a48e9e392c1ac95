// A minimal restify server for the Graph webhooks and /healthz. The full service (Teams bot, REST
// API) arrives later and mounts registerGraphNotificationRoutes on its own server instead.
import type { AddressInfo } from 'node:net';
import type { Logger } from '@warmpath/shared/log';
import type { Server, ServerOptions } from 'restify';
import {
  registerGraphNotificationRoutes,
  type GraphNotificationRoutesDeps,
} from './graph-notification-routes.js';
import { loadRestify } from './restify.js';

export interface NotificationServerOptions extends GraphNotificationRoutesDeps {
  /** 0 picks a free port */
  port: number;
  /** default 127.0.0.1; 0.0.0.0 behind a reverse proxy or dev tunnel */
  host?: string;
  logger?: Logger;
}

export interface NotificationServer {
  server: Server;
  /** http://host:port the server listens on (Graph needs the public HTTPS URL in front of it) */
  url: string;
  close(): Promise<void>;
}

export async function createNotificationServer(
  options: NotificationServerOptions,
): Promise<NotificationServer> {
  const restify = loadRestify();
  const server = restify.createServer({
    name: 'warmpath',
    handleUncaughtExceptions: false,
    // restify 11 logs through pino; its type definitions still name bunyan
    ...(options.logger ? { log: options.logger as unknown as ServerOptions['log'] } : {}),
  });
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    next();
  });
  registerGraphNotificationRoutes(server, options);

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    server,
    url: `http://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.server.closeAllConnections();
      }),
  };
}
