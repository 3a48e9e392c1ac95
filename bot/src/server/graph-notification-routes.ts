// The Graph webhook routes on a restify server: thin adapters from restify to the framework-free
// receiver in @warmpath/shared/sync/notifications. The full service mounts them with the bot and API.
import type { Logger } from '@warmpath/shared/log';
import type {
  GraphWebhookReceiver,
  WebhookRequest,
  WebhookResponse,
} from '@warmpath/shared/sync/notifications';
import type { Request, Response, Server } from 'restify';
import { loadRestify } from './restify.js';

export const GRAPH_NOTIFICATIONS_PATH = '/api/graph/notifications';
export const GRAPH_LIFECYCLE_PATH = '/api/graph/lifecycle';
/** Basic notifications are under 1 KB each; 1 MiB holds any batch Graph sends without resource data. */
export const MAX_NOTIFICATION_BODY_BYTES = 1024 * 1024;

export interface GraphNotificationRoutesDeps {
  receiver: Pick<GraphWebhookReceiver, 'handleNotifications' | 'handleLifecycle'>;
  logger?: Logger;
  maxBodyBytes?: number;
}

/** POST /api/graph/notifications and POST /api/graph/lifecycle (handshake included). */
export function registerGraphNotificationRoutes(
  server: Server,
  deps: GraphNotificationRoutesDeps,
): void {
  const restify = loadRestify();
  // the raw body only: the receiver parses it, and a larger one is refused with 413 before reading on
  const readBody = restify.plugins.bodyReader({
    maxBodySize: deps.maxBodyBytes ?? MAX_NOTIFICATION_BODY_BYTES,
  });
  const { receiver } = deps;
  server.post(
    GRAPH_NOTIFICATIONS_PATH,
    readBody,
    adapt((request) => receiver.handleNotifications(request), deps.logger),
  );
  server.post(
    GRAPH_LIFECYCLE_PATH,
    readBody,
    adapt((request) => receiver.handleLifecycle(request), deps.logger),
  );
}

function adapt(
  handle: (request: WebhookRequest) => Promise<WebhookResponse>,
  logger: Logger | undefined,
): (req: Request, res: Response) => Promise<void> {
  return async function graphWebhook(req: Request, res: Response): Promise<void> {
    let response: WebhookResponse;
    try {
      response = await handle({
        query: new URL(req.url ?? '/', 'http://localhost').searchParams,
        rawBody: rawBodyOf(req),
      });
    } catch (error) {
      // the receiver answers its own failures; this is a bug, and Graph should retry
      logger?.error({ err: error, path: req.path() }, 'graph webhook handler failed');
      response = {
        status: 500,
        headers: { 'Content-Type': 'text/plain' },
        body: 'Internal error.',
      };
    }
    res.sendRaw(response.status, response.body, response.headers);
  };
}

function rawBodyOf(req: Request): string | Uint8Array | undefined {
  const body: unknown = req.body;
  return typeof body === 'string' || body instanceof Uint8Array ? body : undefined;
}
