// GET /api/openapi.json: the OpenAPI 3.1 document, generated from the same zod schemas the
// routes validate with, plus the service's own routes (health, Graph webhooks, bot, static).
import { z } from 'zod';
import { MAX_API_BODY_BYTES } from './mount-api-routes.js';
import type { ApiRoute } from './api-route.js';
import { ErrorBody } from './schemas.js';

type JsonSchema = Record<string, unknown>;

export interface OpenApiOptions {
  /** where the service is reached, for `servers` */
  serverUrl?: string;
  /** /api/messages is documented only when a bot handler is mounted */
  bot: boolean;
  /** static front ends are documented as served */
  staticRoots: readonly string[];
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  400: 'The input is not valid: the message says what is wrong',
  401: 'No valid SSO token (WWW-Authenticate says why)',
  403: 'Not allowed: not an admin, consent missing (consent_required, with adminConsentUrl), or not in the directory yet',
  404: 'Not found',
  409: 'Conflicts with the current state',
  413: `The body is larger than ${MAX_API_BODY_BYTES} bytes`,
  503: 'Microsoft Entra ID, Graph or the simulator could not be reached; try again',
};

/** A zod schema as JSON Schema 2020-12, its named parts moved into `components`. */
function toJsonSchema(
  schema: z.ZodType,
  io: 'input' | 'output',
  components: Record<string, JsonSchema>,
): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  const text = JSON.stringify(json).replaceAll('"#/$defs/', '"#/components/schemas/');
  const {
    $schema: _schema,
    $defs,
    ...rest
  } = JSON.parse(text) as JsonSchema & {
    $defs?: Record<string, JsonSchema>;
  };
  for (const [name, def] of Object.entries($defs ?? {})) components[name] ??= def;
  return rest;
}

function errorResponse(status: number): JsonSchema {
  return {
    description: STATUS_TEXT[status] ?? 'Error',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}

function parameters(
  schema: z.ZodType | undefined,
  where: 'path' | 'query',
  components: Record<string, JsonSchema>,
): JsonSchema[] {
  if (schema === undefined) return [];
  const json = toJsonSchema(schema, 'input', components) as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
  }));
}

function operationFor(route: ApiRoute, components: Record<string, JsonSchema>): JsonSchema {
  const status = route.status ?? 200;
  const responses: Record<string, JsonSchema> = {
    [status]: {
      description: STATUS_TEXT[status] ?? 'OK',
      content: {
        'application/json': { schema: toJsonSchema(route.response, 'output', components) },
      },
    },
    400: errorResponse(400),
  };
  if (route.auth !== 'none') responses[401] = errorResponse(401);
  if (route.auth === 'admin') responses[403] = errorResponse(403);
  if (route.body) responses[413] = errorResponse(413);
  for (const code of route.errors ?? []) responses[code] = errorResponse(code);
  const operation: JsonSchema = {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    security: route.auth === 'none' ? [] : [{ sso: [] }],
    parameters: [
      ...parameters(route.params, 'path', components),
      ...parameters(route.query, 'query', components),
    ],
    responses,
  };
  if (route.auth === 'admin') operation['x-warmpath-admin'] = true;
  if (route.body) {
    operation.requestBody = {
      required: true,
      content: { 'application/json': { schema: toJsonSchema(route.body, 'input', components) } },
    };
  }
  return operation;
}

const plain = (description: string, type = 'application/json'): JsonSchema => ({
  description,
  content: { [type]: { schema: {} } },
});

/** The service's non-REST routes, described for people and for the route-coverage test. */
function serviceOperations(options: OpenApiOptions): Record<string, Record<string, JsonSchema>> {
  const paths: Record<string, Record<string, JsonSchema>> = {
    '/healthz': {
      get: {
        operationId: 'health',
        summary: 'The process is up',
        tags: ['service'],
        security: [],
        responses: { 200: plain('Up') },
      },
    },
    '/readyz': {
      get: {
        operationId: 'ready',
        summary: 'The store is reachable and migrated',
        tags: ['service'],
        security: [],
        responses: { 200: plain('Ready'), 503: plain('Not ready: the reason') },
      },
    },
    '/api/openapi.json': {
      get: {
        operationId: 'openApiDocument',
        summary: 'This document',
        tags: ['service'],
        security: [],
        responses: { 200: plain('OpenAPI 3.1') },
      },
    },
    '/api/graph/notifications': {
      post: {
        operationId: 'graphNotifications',
        summary:
          'Microsoft Graph change notifications (validationToken handshake, clientState checked)',
        tags: ['graph'],
        security: [],
        responses: {
          200: plain('Handshake echo', 'text/plain'),
          202: plain('Accepted'),
          400: plain('Not a notification'),
          413: plain('Too large'),
        },
      },
    },
    '/api/graph/lifecycle': {
      post: {
        operationId: 'graphLifecycle',
        summary: 'Microsoft Graph lifecycle notifications',
        tags: ['graph'],
        security: [],
        responses: {
          200: plain('Handshake echo', 'text/plain'),
          202: plain('Accepted'),
          400: plain('Not a notification'),
          413: plain('Too large'),
        },
      },
    },
  };
  if (options.bot) {
    paths['/api/messages'] = {
      post: {
        operationId: 'botMessages',
        summary: 'Bot Framework activities from Teams (the adapter checks the Bot Framework token)',
        tags: ['bot'],
        security: [],
        responses: { 200: plain('Handled'), 401: plain('Not from the Bot Framework') },
      },
    };
  }
  for (const root of options.staticRoots) {
    paths[`/${root}/{file}`] = {
      get: {
        operationId: `static_${root}`,
        summary: `The built ${root} (${root}/dist); a page saying how to build it when absent`,
        tags: ['static'],
        security: [],
        parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: plain('The file', 'text/html'),
          404: plain('Not built or no such file', 'text/html'),
        },
      },
    };
  }
  return paths;
}

export function buildOpenApiDocument(
  routes: readonly ApiRoute[],
  options: OpenApiOptions,
): JsonSchema {
  const components: Record<string, JsonSchema> = {};
  toJsonSchema(ErrorBody, 'output', components);
  const paths: Record<string, Record<string, JsonSchema>> = serviceOperations(options);
  for (const route of routes) {
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase()] = operationFor(route, components);
    paths[route.path] = item;
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'WarmPath API',
      version: '1.0.0',
      description:
        'Who in your organisation can introduce you, from Microsoft 365 calendar metadata. See docs/api.md.',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        sso: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'An Entra v2 access token for the WarmPath API (aud = CLIENT_ID or api://…/CLIENT_ID, scp access_as_user), as Teams getAuthToken or Outlook nested app authentication obtain it',
        },
      },
    },
  };
}
