// A REST route as data: method, path, who may call it, zod schemas for what comes in and goes
// out, and the use case it calls. The router mounts these; the OpenAPI document is built from them.
import type { Caller } from '@warmpath/shared/auth';
import type { Logger } from '@warmpath/shared/log';
import type { Person } from '@warmpath/shared/store';
import type { z } from 'zod';
import type { ApiDeps } from './api-deps.js';

/** none: anyone; user: a valid SSO token of an onboarded tenant; admin: and an admin role. */
export type RouteAuth = 'none' | 'user' | 'admin';

/** The verified caller of a user or admin route. */
export interface RequestCaller extends Caller {
  /** the directory person the token maps to, once the directory has been read */
  person: Person | undefined;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** present on user and admin routes */
  caller: RequestCaller;
  deps: ApiDeps;
  log: Logger;
}

export interface ApiRoute<P = unknown, Q = unknown, B = unknown, R = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** OpenAPI form: /api/companies/{domain} */
  path: string;
  operationId: string;
  summary: string;
  tag: 'intros' | 'directory' | 'intro-requests' | 'admin' | 'local' | 'me';
  auth: RouteAuth;
  /** only mounted when the service runs against its tenant simulator */
  localOnly?: boolean;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** success status; default 200 */
  status?: 200 | 201 | 202;
  response: z.ZodType<R>;
  /** error statuses this route may answer besides the common ones */
  errors?: readonly number[];
  handle(input: RouteInput<P, Q, B>): Promise<R>;
}

/** Keeps a route's types tied together while the router sees them all alike. */
export function defineRoute<P, Q, B, R>(route: ApiRoute<P, Q, B, R>): ApiRoute {
  return route as unknown as ApiRoute;
}
