// Mounts the REST routes on restify: the bearer token is checked first, then every path
// parameter, query and body is validated with the route's zod schema, then the use case runs.
// Bad input is a 4xx with a message; only a bug is a 5xx.
import { AuthError, ConsentRequiredError, type Caller } from '@warmpath/shared/auth';
import type { Logger } from '@warmpath/shared/log';
import type { Person } from '@warmpath/shared/store';
import type { Request, Response, Server } from 'restify';
import type { z } from 'zod';
import { loadRestify } from '../server/restify.js';
import type { ApiDeps } from './api-deps.js';
import { ApiError, badRequest } from './api-error.js';
import type { ApiRoute, RequestCaller } from './api-route.js';

/** Largest JSON body a route reads; bigger ones get 413 before they are read further. */
export const MAX_API_BODY_BYTES = 64 * 1024;
// how long a token's directory person is remembered: the mapping changes only with the directory
const PERSON_CACHE_MS = 60_000;
const PERSON_CACHE_MAX = 20_000;

export interface MountApiRoutesOptions {
  deps: ApiDeps;
  logger: Logger;
  maxBodyBytes?: number;
}

/** OpenAPI's /api/companies/{domain} as restify's /api/companies/:domain. */
export function restifyPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

function describeIssues(where: string, error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return `The ${where} is not valid.`;
  const field = issue.path.map(String).join('.');
  return field ? `${where} ${field}: ${issue.message}` : `${where}: ${issue.message}`;
}

function validate<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (schema === undefined) return undefined as T;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw badRequest(describeIssues(where, parsed.error), 'invalid_input');
  return parsed.data;
}

function queryOf(req: Request): Record<string, string> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const query: Record<string, string> = {};
  // a repeated parameter keeps its first value
  for (const [name, value] of url.searchParams) if (!(name in query)) query[name] = value;
  return query;
}

function jsonBodyOf(req: Request): unknown {
  const raw: unknown = req.body;
  const text =
    typeof raw === 'string'
      ? raw
      : raw instanceof Uint8Array
        ? Buffer.from(raw).toString('utf8')
        : '';
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('The body is not valid JSON.', 'invalid_json');
  }
}

/** Any failure as the API's error; unknown ones are bugs (500) and are logged. */
export function toApiError(error: unknown, log: Logger): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof AuthError) {
    const challenge = error.wwwAuthenticate;
    return new ApiError(
      error.status,
      error.code,
      error.message,
      error instanceof ConsentRequiredError ? { adminConsentUrl: error.adminConsentUrl } : {},
      challenge ? { 'WWW-Authenticate': challenge } : {},
    );
  }
  log.error({ err: error }, 'request failed');
  return new ApiError(500, 'internal_error', 'Something went wrong on our side; try again.');
}

export function sendApiError(res: Response, error: ApiError): void {
  for (const [name, value] of Object.entries(error.headers)) res.header(name, value);
  res.header('Cache-Control', 'no-store');
  res.send(error.status, error.toBody());
}

export function mountApiRoutes(
  server: Server,
  routes: readonly ApiRoute[],
  options: MountApiRoutesOptions,
): ApiRoute[] {
  const restify = loadRestify();
  const { deps, logger } = options;
  const readBody = restify.plugins.bodyReader({
    maxBodySize: options.maxBodyBytes ?? MAX_API_BODY_BYTES,
  });
  const people = new Map<string, { person: Person | undefined; at: number }>();

  async function personOf(caller: Caller): Promise<Person | undefined> {
    const key = `${caller.tenantId}|${caller.objectId}`;
    const cached = people.get(key);
    if (cached && Date.now() - cached.at < PERSON_CACHE_MS) return cached.person;
    const row = await deps.store.db
      .selectFrom('people')
      .selectAll()
      .where('tenant_id', '=', caller.tenantId)
      .where('aad_object_id', '=', caller.objectId)
      .executeTakeFirst();
    const person: Person | undefined = row && {
      personId: Number(row.person_id),
      email: row.email,
      displayName: row.display_name,
      kind: row.kind,
      aadObjectId: row.aad_object_id,
      domain: row.domain,
      isPersonalDomain: Number(row.is_personal_domain) === 1,
      companyName: row.company_name,
      jobTitle: row.job_title,
      department: row.department,
      accountEnabled: row.account_enabled === null ? null : Number(row.account_enabled) === 1,
      leftAt: row.left_at === null ? null : Number(row.left_at),
      firstSeenAt: Number(row.first_seen_at),
      updatedAt: Number(row.updated_at),
    };
    if (people.size >= PERSON_CACHE_MAX) people.clear();
    people.set(key, { person, at: Date.now() });
    return person;
  }

  const mounted: ApiRoute[] = [];
  for (const route of routes) {
    if (route.localOnly && deps.local === undefined) continue;
    const method = route.method;
    const handler = async (req: Request, res: Response): Promise<void> => {
      const started = performance.now();
      const reqId = req.id();
      const routeName = `${method} ${route.path}`;
      // one child logger per request, made once the tenant is known (pino serialises its fields then)
      let log: Logger | undefined;
      const logOf = (tenantId?: string): Logger =>
        (log ??= logger.child(
          tenantId === undefined
            ? { reqId, route: routeName }
            : { reqId, route: routeName, tenantId },
        ));
      res.header('request-id', reqId);
      let status: number = route.status ?? 200;
      try {
        let caller: RequestCaller | undefined;
        if (route.auth !== 'none') {
          const verified = await deps.verifyToken(req.header('authorization'));
          logOf(verified.tenantId);
          caller = { ...verified, person: await personOf(verified) };
        }
        const params = validate(route.params, req.params ?? {}, 'Path parameter');
        const query = validate(route.query, queryOf(req), 'Query parameter');
        const body = route.body ? validate(route.body, jsonBodyOf(req), 'Body field') : undefined;
        if (route.auth === 'admin' && caller) {
          const view = await deps.directoryView(caller);
          if (!view.isAdmin) {
            throw new ApiError(
              403,
              'admin_required',
              'Only a Global Administrator or Privileged Role Administrator of your organisation can do this.',
            );
          }
        }
        const result = await route.handle({
          params,
          query,
          body,
          caller: caller as RequestCaller,
          deps,
          log: logOf(),
        });
        res.header('Cache-Control', 'no-store');
        res.send(status, result);
      } catch (error) {
        const apiError = toApiError(error, logOf());
        status = apiError.status;
        sendApiError(res, apiError);
      }
      const fields = { status, ms: Math.round((performance.now() - started) * 10) / 10 };
      if (status >= 500) logOf().error(fields, 'request answered');
      else if (status >= 400) logOf().info(fields, 'request answered');
      else if (logger.isLevelEnabled('debug')) logOf().debug(fields, 'request answered');
    };
    const path = restifyPath(route.path);
    const name = route.operationId;
    if (method === 'GET') server.get({ path, name }, handler);
    else if (method === 'DELETE') server.del({ path, name }, handler);
    else if (method === 'POST') server.post({ path, name }, readBody, handler);
    else server.put({ path, name }, readBody, handler);
    mounted.push(route);
  }
  return mounted;
}
