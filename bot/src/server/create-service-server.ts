// The one restify process: the REST API, the Graph webhooks, health, the OpenAPI document, the
// built tab and add-in, and /api/messages when a Teams bot is given. Structured logs carry request
// and tenant ids, never tokens or meeting content; close() drains requests before it resolves.
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@warmpath/shared/log';
import type { Request, Response, Server, ServerOptions } from 'restify';
import type { ApiDeps } from '../api/api-deps.js';
import type { ApiRoute } from '../api/api-route.js';
import { API_ROUTES } from '../api/api-routes.js';
import { ApiError } from '../api/api-error.js';
import { mountApiRoutes, sendApiError } from '../api/mount-api-routes.js';
import { buildOpenApiDocument } from '../api/openapi-document.js';
import {
  registerGraphNotificationRoutes,
  type GraphNotificationRoutesDeps,
} from './graph-notification-routes.js';
import { storeNotReadyReason } from './readiness.js';
import { loadRestify } from './restify.js';
import { mountStaticFrontEnd } from './static-front-end.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** Bot Framework activities are small; attachments travel by URL. */
export const MAX_ACTIVITY_BYTES = 256 * 1024;
/** How long close() lets requests in flight finish before cutting connections. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** What the Teams bot engineer's createTeamsBot(...) returns, as far as the server needs it. */
export interface BotHandler {
  handleActivity(req: Request, res: Response): Promise<void>;
}

export interface ServiceServerOptions {
  /** 0 picks a free port */
  port: number;
  /** default 127.0.0.1; 0.0.0.0 behind a reverse proxy or dev tunnel */
  host?: string;
  logger: Logger;
  api: ApiDeps;
  graphWebhooks: GraphNotificationRoutesDeps['receiver'];
  /** mounts POST /api/messages */
  bot?: BotHandler | undefined;
  /** built front ends by URL prefix; default tab/dist and addin/dist of this repository */
  frontEnds?: Record<string, string>;
  /** for the OpenAPI document's servers entry */
  publicUrl?: string;
  /** the routes to mount; default every REST route */
  routes?: readonly ApiRoute[];
}

export interface ServiceServer {
  server: Server;
  /** http://host:port */
  url: string;
  /** the REST routes mounted (local-only ones only in local mode) */
  routes: readonly ApiRoute[];
  openApi: Record<string, unknown>;
  close(): Promise<void>;
}

export async function createServiceServer(options: ServiceServerOptions): Promise<ServiceServer> {
  const restify = loadRestify();
  const { logger } = options;
  const server = restify.createServer({
    name: 'warmpath',
    handleUncaughtExceptions: false,
    // restify 11 logs through pino; its type definitions still name bunyan
    log: logger as unknown as ServerOptions['log'],
  });
  // restify's own errors (404, 405, 413, bad URLs) in the API's error shape
  server.on(
    'restifyError',
    (req: Request, res: Response, err: Error & Record<string, unknown>, cb: () => void) => {
      const status = Number(err.statusCode ?? 500);
      const code =
        status === 404
          ? 'not_found'
          : status === 405
            ? 'method_not_allowed'
            : status === 413
              ? 'payload_too_large'
              : status < 500
                ? 'invalid_request'
                : 'internal_error';
      const message =
        status === 404
          ? `Nothing is served at ${req.method} ${req.path?.() ?? ''}.`
          : status === 413
            ? 'The body is too large.'
            : status < 500
              ? err.message || 'The request is not valid.'
              : 'Something went wrong on our side; try again.';
      if (status >= 500) logger.error({ err, reqId: req.id?.() }, 'request failed');
      err.toJSON = () => ({ error: { code, message } });
      return cb();
    },
  );
  // a malformed URL (bad percent-encoding in a path parameter) must be a 400, not a crash
  server.pre((req: Request, res: Response, next: (err?: unknown) => void) => {
    try {
      decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      sendApiError(
        res,
        new ApiError(400, 'invalid_request', 'The URL path is not validly encoded.'),
      );
      return next(false);
    }
    return next();
  });

  server.get('/healthz', (_req: Request, res: Response, next: () => void) => {
    res.send(200, { status: 'ok' });
    next();
  });
  server.get('/readyz', async (_req: Request, res: Response) => {
    const reason = await storeNotReadyReason(options.api.store);
    res.send(
      reason === undefined ? 200 : 503,
      reason === undefined ? { status: 'ready' } : { status: 'not ready', reason },
    );
  });

  registerGraphNotificationRoutes(server, { receiver: options.graphWebhooks, logger });

  if (options.bot) {
    const bot = options.bot;
    const parseActivity = restify.plugins.bodyParser({
      maxBodySize: MAX_ACTIVITY_BYTES,
      mapParams: false,
    });
    server.post('/api/messages', parseActivity, async (req: Request, res: Response) => {
      try {
        await bot.handleActivity(req, res);
      } catch (error) {
        logger.error({ err: error, reqId: req.id() }, 'bot activity failed');
        if (!res.headersSent)
          res.send(500, {
            error: { code: 'internal_error', message: 'The bot failed on this activity.' },
          });
      }
    });
  }

  const routes = mountApiRoutes(server, options.routes ?? API_ROUTES, {
    deps: options.api,
    logger,
  });
  const frontEnds = options.frontEnds ?? {
    tab: path.join(REPO_ROOT, 'tab', 'dist'),
    addin: path.join(REPO_ROOT, 'addin', 'dist'),
  };
  for (const [name, root] of Object.entries(frontEnds)) mountStaticFrontEnd(server, name, root);

  const openApi = buildOpenApiDocument(routes, {
    ...(options.publicUrl ? { serverUrl: options.publicUrl } : {}),
    bot: options.bot !== undefined,
    staticRoots: Object.keys(frontEnds),
  });
  server.get('/api/openapi.json', (_req: Request, res: Response, next: () => void) => {
    res.send(200, openApi);
    next();
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  // keep-alive clients (Teams, load balancers) must not race the server's idle timeout
  server.server.keepAliveTimeout = 65_000;
  server.server.headersTimeout = 66_000;
  const { port } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  let closing: Promise<void> | undefined;
  return {
    server,
    url: `http://${urlHost}:${port}`,
    routes,
    openApi,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const cutOff = setTimeout(() => server.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
        // idle keep-alive sockets would hold close() open; busy ones become idle as they finish
        const sweep = setInterval(() => server.server.closeIdleConnections(), 25);
        cutOff.unref();
        server.close(() => {
          clearTimeout(cutOff);
          clearInterval(sweep);
          resolve();
        });
        server.server.closeIdleConnections();
      });
      return closing;
    },
  };
}
