// Microsoft Graph v1.0 as WarmPath calls it. Framework-free: a request object in, a response
// object out, so $batch runs its sub-requests through the same path.
import { resolveTimeZone, TenantEngineError } from '../engine/index.js';
import type { GraphGroup, GraphUser } from '../graph-types.js';
import { runBatch } from './batch.js';
import {
  GraphError,
  ODATA_JSON,
  errorBody,
  methodNotAllowed,
  notFoundSegment,
  safeDecode,
  tooManyRequestsBody,
  type GraphRequest,
  type GraphResponse,
} from './graph-http.js';
import { findRoleTemplate, presentDirectoryRole, type RoleTemplate } from './directory-roles.js';
import { fromImmutableId, newRequestId, type IdType } from './ids.js';
import {
  buildQuery,
  decodeToken,
  encodeToken,
  matchesEq,
  parseEqFilter,
  parsePrefer,
  parseSelect,
  parseTop,
  project,
  type Filterable,
  type Preferences,
} from './odata.js';
import {
  presentCalendar,
  presentDirectoryObject,
  presentEvent,
  presentGroup,
  presentMailboxSettings,
  presentOrganization,
  presentRoom,
  presentUser,
  removedItem,
  type EventView,
} from './present.js';
import type { SimState, TenantState } from './state.js';
import {
  checkExpiration,
  validateSubscriptionInput,
  type SubscriptionService,
} from './subscriptions.js';
import type { GraphTokenClaims } from './tokens.js';

/** Default and largest page for calendarView and delta (Prefer: odata.maxpagesize, $top). */
export const DEFAULT_EVENT_PAGE = 10;
export const MAX_EVENT_PAGE = 1000;
const DEFAULT_DIRECTORY_PAGE = 100;
const MAX_DIRECTORY_PAGE = 999;
const USER_FILTERABLE: Filterable = {
  resource: 'User',
  properties: ['mail', 'userPrincipalName', 'displayName', 'id'],
};
const GROUP_FILTERABLE: Filterable = {
  resource: 'Group',
  properties: ['mail', 'displayName', 'mailNickname', 'id'],
};

type Denial = 'directory' | 'mailbox';

interface Permission {
  app: readonly string[];
  delegated: readonly string[];
  /** Delegated permissions that only reach the signed-in user's own object or mailbox. */
  self?: readonly string[];
  denial: Denial;
}

const DIRECTORY_ALL = ['Directory.Read.All', 'Directory.ReadWrite.All'];
const PERMISSIONS = {
  organization: {
    app: ['Organization.Read.All', 'Organization.ReadWrite.All', ...DIRECTORY_ALL],
    delegated: ['User.Read', 'Organization.Read.All', ...DIRECTORY_ALL],
    denial: 'directory',
  },
  users: {
    app: ['User.Read.All', 'User.ReadWrite.All', ...DIRECTORY_ALL],
    delegated: ['User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite.All', ...DIRECTORY_ALL],
    self: ['User.Read'],
    denial: 'directory',
  },
  groups: {
    app: ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', ...DIRECTORY_ALL],
    delegated: ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', ...DIRECTORY_ALL],
    denial: 'directory',
  },
  calendars: {
    app: ['Calendars.Read', 'Calendars.ReadBasic', 'Calendars.ReadWrite'],
    delegated: [],
    self: ['Calendars.Read', 'Calendars.ReadBasic', 'Calendars.ReadWrite'],
    denial: 'mailbox',
  },
  mailboxSettings: {
    app: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
    delegated: [],
    self: ['MailboxSettings.Read', 'MailboxSettings.ReadWrite'],
    denial: 'mailbox',
  },
  // the signed-in user's own memberships need only User.Read (Graph's user-list-memberof page)
  memberOf: {
    app: [...DIRECTORY_ALL],
    delegated: ['GroupMember.Read.All', 'Group.Read.All', 'User.Read.All', ...DIRECTORY_ALL],
    self: ['User.Read', 'User.ReadBasic.All'],
    denial: 'directory',
  },
  places: {
    app: ['Place.Read.All'],
    delegated: ['Place.Read.All'],
    denial: 'mailbox',
  },
} satisfies Record<string, Permission>;

interface RouteResult {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface Ctx {
  req: GraphRequest;
  tenant: TenantState;
  claims: GraphTokenClaims;
  prefs: Preferences;
  /** Preferences honoured, for Preference-Applied. */
  applied: string[];
  user?: GraphUser;
}

interface Route {
  permission?: Permission;
  /** The user (id or UPN) whose mailbox an Outlook route reads; subject to Outlook's limits. */
  mailbox?: string;
  /** A directory user the route reads (users/{id}); 404 when unknown. */
  directoryUser?: string;
  /** $batch: its sub-requests meet latency and injected errors, the envelope only drops. */
  envelope?: boolean;
  run(ctx: Ctx): RouteResult | Promise<RouteResult>;
}

// Tokens are opaque to clients; short keys keep links short.
interface ListToken {
  k: 'list';
  b: string;
  t: string;
  p: string;
  o: number;
}

interface ViewToken {
  k: 'view';
  b: string;
  t: string;
  u: string;
  c?: string;
  s: number;
  e: number;
  a: string;
}

interface DeltaToken {
  k: 'delta';
  b: string;
  t: string;
  u: string;
  c?: string;
  s: number;
  e: number;
  g: number;
  since?: number;
  until?: number;
  a?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isListToken = (v: unknown): v is ListToken =>
  isObj(v) && v.k === 'list' && typeof v.o === 'number' && typeof v.p === 'string';
const isViewToken = (v: unknown): v is ViewToken =>
  isObj(v) && v.k === 'view' && typeof v.u === 'string' && typeof v.a === 'string';
const isDeltaToken = (v: unknown): v is DeltaToken =>
  isObj(v) && v.k === 'delta' && typeof v.u === 'string' && typeof v.g === 'number';

export class GraphService {
  constructor(
    private readonly state: SimState,
    private readonly subscriptions: SubscriptionService,
  ) {}

  /** Answers one Graph request (top-level or a $batch sub-request). */
  async handle(req: GraphRequest): Promise<GraphResponse> {
    const requestId = newRequestId();
    const ids = { requestId, clientRequestId: req.headers['client-request-id'] ?? requestId };
    const baseHeaders: Record<string, string> = {
      'request-id': requestId,
      'client-request-id': ids.clientRequestId,
      'x-ms-ags-diagnostic':
        '{"ServerInfo":{"DataCenter":"Simulator","Slice":"E","Ring":"5","ScaleUnit":"000","RoleInstance":"SIM"}}',
      'Cache-Control': 'no-cache',
      'Strict-Transport-Security': 'max-age=31536000',
    };
    const fail = (error: GraphError): GraphResponse => ({
      status: error.status,
      headers: { ...baseHeaders, 'Content-Type': 'application/json', ...error.headers },
      body:
        error.status === 429 && error.code === 'TooManyRequests'
          ? tooManyRequestsBody(error.message, ids)
          : errorBody(error.code, error.message, ids),
    });

    let release: (() => void) | undefined;
    try {
      const { tenant, claims } = await this.authenticate(req);
      const prefs = parsePrefer(req.headers.prefer);
      const ctx: Ctx = { req, tenant, claims, prefs, applied: [] };
      const route = this.route(ctx);

      if (route.directoryUser !== undefined) {
        ctx.user = tenant.engine.findUser(route.directoryUser);
        if (!ctx.user) {
          throw resourceNotFound(route.directoryUser);
        }
      }
      if (route.mailbox !== undefined) {
        ctx.user = tenant.engine.findUser(route.mailbox);
        if (!ctx.user) {
          throw new GraphError(
            404,
            'ErrorInvalidUser',
            `The requested user '${route.mailbox}' is invalid.`,
          );
        }
        const admission = this.state.limiter.admit(
          claims.appid,
          `${tenant.tenantId}/${ctx.user.id}`,
        );
        if (!admission.admitted) {
          const message =
            admission.kind === 'concurrency'
              ? 'Application is over its MailboxConcurrency limit.'
              : 'Application is over its MailboxRequests limit.';
          throw new GraphError(429, 'ApplicationThrottled', message, {
            'Retry-After': String(admission.retryAfterSeconds),
          });
        }
        release = admission.release;
      }

      const faults = this.state.faults;
      const latency = faults.current.latencyMs;
      if (latency > 0 && !route.envelope) {
        await new Promise((resolve) => setTimeout(resolve, latency));
      }
      if (!req.inBatch && faults.drawDrop()) return { status: 0, headers: {}, drop: true };
      const injected = route.envelope ? undefined : faults.drawStatus();
      if (injected !== undefined) throw this.injectedError(injected);

      if (route.permission) this.authorize(ctx, route.permission);
      if (route.mailbox !== undefined && ctx.user) this.checkMailbox(ctx, ctx.user);

      const result = await route.run(ctx);
      const headers: Record<string, string> = { ...baseHeaders };
      if (result.body !== undefined) {
        headers['Content-Type'] = typeof result.body === 'string' ? 'text/plain' : ODATA_JSON;
        headers['OData-Version'] = '4.0';
      }
      if (ctx.applied.length > 0) headers['Preference-Applied'] = ctx.applied.join(', ');
      Object.assign(headers, result.headers);
      return { status: result.status ?? 200, headers, body: result.body };
    } catch (error) {
      if (error instanceof GraphError) return fail(error);
      if (error instanceof TenantEngineError) return fail(fromEngineError(error));
      const message = error instanceof Error ? error.message : String(error);
      return fail(
        new GraphError(500, 'generalException', `An internal error occurred: ${message}`),
      );
    } finally {
      // released before the response is written, so a client that saw the answer never races it
      release?.();
    }
  }

  private injectedError(status: 429 | 503 | 504): GraphError {
    const retryAfter = String(this.state.faults.current.retryAfterSeconds);
    if (status === 429) {
      return new GraphError(429, 'TooManyRequests', 'Please retry again later.', {
        'Retry-After': retryAfter,
      });
    }
    if (status === 503) {
      return new GraphError(
        503,
        'serviceNotAvailable',
        'The service is temporarily unavailable for maintenance or is overloaded. Please retry later.',
        { 'Retry-After': retryAfter },
      );
    }
    return new GraphError(504, 'UnknownError', 'The gateway did not receive a timely response.');
  }

  private async authenticate(
    req: GraphRequest,
  ): Promise<{ tenant: TenantState; claims: GraphTokenClaims }> {
    const challenge = {
      'WWW-Authenticate': `Bearer realm="", authorization_uri="${this.state.url}/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
    };
    if (!req.token) {
      throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.', challenge);
    }
    const verified = await this.state.tokens.verifyGraphToken(req.token);
    if (!verified.ok) {
      throw new GraphError(401, 'InvalidAuthenticationToken', verified.reason, challenge);
    }
    const claims = verified.claims;
    const tenant = this.state.tenants.get(claims.tid);
    const addressed = req.tenant === undefined ? tenant : this.state.findTenant(req.tenant);
    if (!tenant || addressed !== tenant) {
      throw new GraphError(
        401,
        'InvalidAuthenticationToken',
        'Access token validation failure. The token was issued for a different tenant.',
        challenge,
      );
    }
    return { tenant, claims };
  }

  private authorize(ctx: Ctx, permission: Permission): void {
    const { claims } = ctx;
    const deny = (): never => {
      if (permission.denial === 'directory') {
        throw new GraphError(
          403,
          'Authorization_RequestDenied',
          'Insufficient privileges to complete the operation.',
        );
      }
      throw new GraphError(
        403,
        'ErrorAccessDenied',
        'Access is denied. Check credentials and try again.',
      );
    };
    if (claims.idtyp === 'app') {
      const roles = claims.roles ?? [];
      if (!permission.app.some((p) => roles.includes(p))) deny();
      return;
    }
    const scopes = (claims.scp ?? '').split(' ');
    if (permission.delegated.some((p) => scopes.includes(p))) return;
    const self = ctx.user?.id === claims.oid;
    if (self && permission.self?.some((p) => scopes.includes(p))) return;
    deny();
  }

  /** Outlook's own answers for users without a mailbox and mailboxes closed to the app. */
  private checkMailbox(ctx: Ctx, user: GraphUser): void {
    if (!ctx.tenant.engine.hasMailbox(user.id)) {
      throw mailboxNotEnabled();
    }
    if (ctx.claims.idtyp === 'app' && ctx.tenant.accessDenied.has(user.id)) {
      throw new GraphError(403, 'ErrorAccessDenied', 'Access to OData is disabled.');
    }
  }

  // ---------------------------------------------------------------- routing

  private route(ctx: Ctx): Route {
    const { req } = ctx;
    const method = req.method.toUpperCase();
    let segments = req.path.split('/').filter(Boolean).map(safeDecode);
    if (segments[0]?.toLowerCase() === 'me') {
      if (ctx.claims.idtyp !== 'user') {
        throw new GraphError(
          400,
          'BadRequest',
          '/me request is only valid with delegated authentication flow.',
        );
      }
      segments = ['users', ctx.claims.oid, ...segments.slice(1)];
    }
    const lower = segments.map((s) => s.toLowerCase());
    const only = (allowed: string, route: Route): Route => {
      if (method !== allowed) throw methodNotAllowed();
      return route;
    };
    const [s0, s1, s2, s3, s4] = lower;

    switch (s0) {
      case undefined:
        throw notFoundSegment('v1.0');
      case '$batch':
        if (segments.length !== 1) throw notFoundSegment(segments[1] ?? '');
        return only('POST', { envelope: true, run: (c) => this.batch(c) });
      case 'organization':
        if (segments.length !== 1) throw notFoundSegment(segments[1] ?? '');
        return only('GET', {
          permission: PERMISSIONS.organization,
          run: (c) => ({
            body: {
              '@odata.context': `${this.state.graphBase}/$metadata#organization`,
              value: [presentOrganization(c.tenant.engine.organization)],
            },
          }),
        });
      case 'places':
        if (s1 === 'microsoft.graph.room' && segments.length === 2) {
          return only('GET', { permission: PERMISSIONS.places, run: (c) => this.rooms(c) });
        }
        throw notFoundSegment(segments[1] ?? 'places');
      case 'subscriptions':
        return this.subscriptionRoute(ctx, method, segments);
      case 'groups':
        return this.groupRoute(method, segments, lower);
      case 'users':
        break;
      default:
        throw notFoundSegment(segments[0] ?? '');
    }

    // users
    const userRef = segments[1];
    if (userRef === undefined) {
      return only('GET', { permission: PERMISSIONS.users, run: (c) => this.listUsers(c) });
    }
    if (s2 === undefined) {
      return only('GET', {
        permission: PERMISSIONS.users,
        directoryUser: userRef,
        run: (c) => ({
          body: {
            '@odata.context': `${this.state.graphBase}/$metadata#users/$entity`,
            ...presentUser(c.user as GraphUser, parseSelect(c.req.query)),
          },
        }),
      });
    }
    const mailboxRoute = (permission: Permission, run: Route['run']): Route =>
      only('GET', { permission, mailbox: userRef, run });
    // `…/calendarView` and `…/calendarView/delta`, where segment `at` follows calendarView
    const viewRoute = (at: number, calendarId?: string): Route => {
      if (lower[at] === undefined) {
        return mailboxRoute(PERMISSIONS.calendars, (c) => this.calendarView(c, calendarId));
      }
      if (lower[at] === 'delta' && segments.length === at + 1) {
        return mailboxRoute(PERMISSIONS.calendars, (c) => this.delta(c, calendarId));
      }
      throw notFoundSegment(segments[lower[at] === 'delta' ? at + 1 : at] ?? '');
    };
    switch (s2) {
      case 'mailboxsettings':
        if (segments.length > 4) throw notFoundSegment(segments[4] ?? '');
        return mailboxRoute(PERMISSIONS.mailboxSettings, (c) =>
          this.mailboxSettings(c, segments[3]),
        );
      case 'calendars': {
        const calendarId = segments[3];
        if (calendarId === undefined) {
          return mailboxRoute(PERMISSIONS.calendars, (c) => this.listCalendars(c));
        }
        if (s4 === undefined) {
          return mailboxRoute(PERMISSIONS.calendars, (c) => this.getCalendar(c, calendarId));
        }
        if (s4 === 'calendarview') return viewRoute(5, calendarId);
        throw notFoundSegment(segments[4] ?? '');
      }
      case 'calendar':
        if (s3 === undefined) {
          return mailboxRoute(PERMISSIONS.calendars, (c) => this.getCalendar(c));
        }
        if (s3 === 'calendarview') return viewRoute(4);
        throw notFoundSegment(segments[3] ?? '');
      case 'calendarview':
        return viewRoute(3);
      case 'memberof':
      case 'transitivememberof': {
        const cast = s3;
        if (segments.length > 4) throw notFoundSegment(segments[4] ?? '');
        if (
          cast !== undefined &&
          cast !== 'microsoft.graph.group' &&
          cast !== 'microsoft.graph.directoryrole'
        ) {
          throw notFoundSegment(segments[3] ?? '');
        }
        return only('GET', {
          permission: PERMISSIONS.memberOf,
          directoryUser: userRef,
          run: (c) => this.memberOf(c, s2 === 'transitivememberof', cast),
        });
      }
      case 'events':
        if (s3 !== undefined && segments.length === 4) {
          const eventId = segments[3] as string;
          return mailboxRoute(PERMISSIONS.calendars, (c) => this.getEvent(c, eventId));
        }
        throw notFoundSegment(segments[3] ?? 'events');
      default:
        throw notFoundSegment(segments[2] ?? '');
    }
  }

  private groupRoute(method: string, segments: string[], lower: string[]): Route {
    if (method !== 'GET') throw methodNotAllowed();
    const groupId = segments[1];
    if (groupId === undefined) {
      return { permission: PERMISSIONS.groups, run: (c) => this.listGroups(c) };
    }
    const relation = lower[2];
    if (relation === undefined) {
      return { permission: PERMISSIONS.groups, run: (c) => this.getGroup(c, groupId) };
    }
    if ((relation === 'members' || relation === 'transitivemembers') && segments.length <= 4) {
      const cast = lower[3];
      if (
        cast !== undefined &&
        cast !== 'microsoft.graph.user' &&
        cast !== 'microsoft.graph.group'
      ) {
        throw notFoundSegment(segments[3] ?? '');
      }
      return {
        permission: PERMISSIONS.groups,
        run: (c) => this.members(c, groupId, relation === 'transitivemembers', cast),
      };
    }
    throw notFoundSegment(segments[2] ?? '');
  }

  private subscriptionRoute(ctx: Ctx, method: string, segments: string[]): Route {
    const id = segments[1];
    if (segments.length > 2) throw notFoundSegment(segments[2] ?? '');
    if (id === undefined) {
      if (method === 'GET') return { run: (c) => this.listSubscriptions(c) };
      if (method === 'POST') {
        // the mailbox named in the resource decides permissions and access policy
        const resourceUser = parseEventsResource(ctx.req.body, ctx.claims);
        return {
          permission: PERMISSIONS.calendars,
          mailbox: resourceUser,
          run: (c) => this.createSubscription(c),
        };
      }
      throw methodNotAllowed();
    }
    if (method === 'GET') {
      return {
        run: (c) => ({
          body: this.subscriptions.present(
            this.subscriptions.find(c.tenant.tenantId, id, c.claims.appid),
          ),
        }),
      };
    }
    if (method === 'PATCH') return { run: (c) => this.renewSubscription(c, id) };
    if (method === 'DELETE') {
      return {
        run: (c) => {
          const subscription = this.subscriptions.find(c.tenant.tenantId, id, c.claims.appid);
          this.subscriptions.delete(subscription.id);
          return { status: 204 };
        },
      };
    }
    throw methodNotAllowed();
  }

  // ---------------------------------------------------------------- directory

  private listUsers(ctx: Ctx): RouteResult {
    const users = ctx.tenant.engine.listUsers();
    return this.filteredList(ctx, users, USER_FILTERABLE, presentUser, 'users');
  }

  private listGroups(ctx: Ctx): RouteResult {
    const groups = ctx.tenant.engine.listGroups();
    return this.filteredList(ctx, groups, GROUP_FILTERABLE, presentGroup, 'groups');
  }

  /** A directory collection with `$filter` (eq on what is `filterable`), `$select` and paging. */
  private filteredList<T extends object>(
    ctx: Ctx,
    items: T[],
    filterable: Filterable,
    present: (item: T, select: string[] | undefined) => Record<string, unknown>,
    contextName: string,
  ): RouteResult {
    const select = parseSelect(ctx.req.query);
    const filters = parseEqFilter(ctx.req.query, filterable);
    const wanted = filters ? items.filter((item) => matchesEq(item, filters)) : items;
    return this.pagedList(ctx, wanted, (item) => present(item, select), contextName, select);
  }

  private requireGroup(ctx: Ctx, groupId: string): GraphGroup {
    const group = ctx.tenant.engine.findGroup(groupId);
    if (!group) {
      throw resourceNotFound(groupId);
    }
    return group;
  }

  private getGroup(ctx: Ctx, groupId: string): RouteResult {
    const group = this.requireGroup(ctx, groupId);
    return {
      body: {
        '@odata.context': `${this.state.graphBase}/$metadata#groups/$entity`,
        ...presentGroup(group, parseSelect(ctx.req.query)),
      },
    };
  }

  private members(
    ctx: Ctx,
    groupId: string,
    transitive: boolean,
    cast: string | undefined,
  ): RouteResult {
    const group = this.requireGroup(ctx, groupId);
    const select = parseSelect(ctx.req.query);
    const engine = ctx.tenant.engine;
    const all = transitive ? engine.transitiveMembers(group.id) : engine.members(group.id);
    const isUser = (m: GraphUser | GraphGroup): m is GraphUser => 'userPrincipalName' in m;
    const wanted =
      cast === 'microsoft.graph.user'
        ? all.filter(isUser)
        : cast === 'microsoft.graph.group'
          ? all.filter((m) => !isUser(m))
          : all;
    return this.pagedList(
      ctx,
      wanted,
      (m) => presentDirectoryObject(m, isUser(m), select),
      'directoryObjects',
      select,
    );
  }

  /** Groups and directory roles the user is a member of (directly, or through groups). */
  private memberOf(ctx: Ctx, transitive: boolean, cast: string | undefined): RouteResult {
    const user = ctx.user as GraphUser;
    const select = parseSelect(ctx.req.query);
    const engine = ctx.tenant.engine;
    const groups =
      cast === 'microsoft.graph.directoryrole'
        ? []
        : engine
            .listGroups()
            .filter((group) =>
              (transitive ? engine.transitiveMembers(group.id) : engine.members(group.id)).some(
                (member) => member.id === user.id,
              ),
            );
    const roles =
      cast === 'microsoft.graph.group'
        ? []
        : [...(ctx.tenant.directoryRoles.get(user.id) ?? [])]
            .map((id) => findRoleTemplate(id))
            .filter((t): t is RoleTemplate => t !== undefined);
    const items: Array<{ group?: GraphGroup; role?: RoleTemplate }> = [
      ...groups.map((group) => ({ group })),
      ...roles.map((role) => ({ role })),
    ];
    const present = (item: { group?: GraphGroup; role?: RoleTemplate }) => {
      if (item.group) return presentDirectoryObject(item.group, false, select);
      const role = presentDirectoryRole(ctx.tenant.tenantId, item.role as RoleTemplate);
      return select ? project(role, select, ['@odata.type']) : role;
    };
    const contextName =
      cast === 'microsoft.graph.directoryrole'
        ? 'directoryRoles'
        : cast === 'microsoft.graph.group'
          ? 'groups'
          : 'directoryObjects';
    return this.pagedList(ctx, items, present, contextName, select);
  }

  /** Offset paging with an opaque $skiptoken, as Graph pages directory collections. */
  private pagedList<T>(
    ctx: Ctx,
    items: readonly T[],
    present: (item: T) => Record<string, unknown>,
    contextName: string,
    select: string[] | undefined,
  ): RouteResult {
    const { query } = ctx.req;
    const top = parseTop(query, MAX_DIRECTORY_PAGE);
    let pageSize = top ?? DEFAULT_DIRECTORY_PAGE;
    if (top === undefined && ctx.prefs.maxPageSize !== undefined) {
      pageSize = Math.min(ctx.prefs.maxPageSize, MAX_DIRECTORY_PAGE);
      ctx.applied.push(`odata.maxpagesize=${pageSize}`);
    }
    let offset = 0;
    const skipRaw = queryParam(query, '$skiptoken');
    if (skipRaw !== undefined) {
      const token = decodeToken(skipRaw, isListToken);
      if (
        !token ||
        token.t !== ctx.tenant.tenantId ||
        token.p !== ctx.req.path ||
        token.b !== this.state.bootId
      ) {
        throw new GraphError(
          400,
          'Directory_ExpiredPageToken',
          'The specified page token value has expired and can no longer be included in your request.',
        );
      }
      offset = token.o;
    }
    const page = items.slice(offset, offset + pageSize);
    const body: Record<string, unknown> = {
      '@odata.context': `${this.state.graphBase}/$metadata#${contextName}${select ? `(${select.join(',')})` : ''}`,
    };
    if (queryParam(query, '$count') === 'true') body['@odata.count'] = items.length;
    if (offset + pageSize < items.length) {
      const token: ListToken = {
        k: 'list',
        b: this.state.bootId,
        t: ctx.tenant.tenantId,
        p: ctx.req.path,
        o: offset + pageSize,
      };
      body['@odata.nextLink'] = this.link(ctx.req.path, ctx.req.query, [
        '$skiptoken',
        encodeToken(token),
      ]);
    }
    body.value = page.map(present);
    return { body };
  }

  /** Absolute link under the Graph base: `path` with the query minus paging tokens, plus `extra`. */
  private link(
    path: string,
    query: URLSearchParams,
    extra: [string, string],
    drop: string[] = [],
  ): string {
    const dropped = new Set(['$skiptoken', '$deltatoken', ...drop].map((d) => d.toLowerCase()));
    const kept: Array<[string, string]> = [];
    for (const [k, v] of query) if (!dropped.has(k.toLowerCase())) kept.push([k, v]);
    kept.push(extra);
    return `${this.state.graphBase}${path}${buildQuery(kept)}`;
  }

  private rooms(ctx: Ctx): RouteResult {
    const { query } = ctx.req;
    const rooms = ctx.tenant.engine.listRooms();
    const top = parseTop(query, MAX_DIRECTORY_PAGE) ?? DEFAULT_DIRECTORY_PAGE;
    const skipRaw = queryParam(query, '$skip') ?? '0';
    const skip = Number(skipRaw);
    if (!Number.isInteger(skip) || skip < 0) {
      throw new GraphError(400, 'BadRequest', `Invalid value '${skipRaw}' for $skip.`);
    }
    const body: Record<string, unknown> = {
      '@odata.context': `${this.state.graphBase}/$metadata#places/microsoft.graph.room`,
    };
    if (skip + top < rooms.length) {
      body['@odata.nextLink'] = this.link(
        ctx.req.path,
        query,
        ['$skip', String(skip + top)],
        ['$skip'],
      );
    }
    body.value = rooms.slice(skip, skip + top).map(presentRoom);
    return { body };
  }

  // ---------------------------------------------------------------- mailbox

  private mailboxSettings(ctx: Ctx, property: string | undefined): RouteResult {
    const user = ctx.user as GraphUser;
    const settings = presentMailboxSettings(ctx.tenant.engine.mailboxSettings(user.id));
    const context = `${this.state.graphBase}/$metadata#users('${user.id}')/mailboxSettings`;
    if (property === undefined) return { body: { '@odata.context': context, ...settings } };
    const key = Object.keys(settings).find((k) => k.toLowerCase() === property.toLowerCase());
    if (!key) throw notFoundSegment(property);
    const value = settings[key];
    if (typeof value === 'object' && value !== null) {
      return { body: { '@odata.context': `${context}/${key}`, ...value } };
    }
    return { body: { '@odata.context': `${context}/${key}`, value } };
  }

  private listCalendars(ctx: Ctx): RouteResult {
    const user = ctx.user as GraphUser;
    return {
      body: {
        '@odata.context': `${this.state.graphBase}/$metadata#users('${user.id}')/calendars`,
        value: ctx.tenant.engine.listCalendars(user.id).map(presentCalendar),
      },
    };
  }

  /** The calendar id as the engine knows it (undefined = primary), or Graph's 404. */
  private resolveCalendar(ctx: Ctx, calendarId: string | undefined): string | undefined {
    if (calendarId === undefined) return undefined;
    const user = ctx.user as GraphUser;
    const calendars = ctx.tenant.engine.listCalendars(user.id);
    const found = calendars.find((c) => c.id === calendarId);
    if (!found) {
      throw itemNotFound();
    }
    return found.isDefaultCalendar ? undefined : found.id;
  }

  private getCalendar(ctx: Ctx, calendarId?: string): RouteResult {
    const user = ctx.user as GraphUser;
    const calendars = ctx.tenant.engine.listCalendars(user.id);
    const calendar =
      calendarId === undefined
        ? (calendars.find((c) => c.isDefaultCalendar) ?? calendars[0])
        : calendars.find((c) => c.id === calendarId);
    if (!calendar) {
      throw itemNotFound();
    }
    return {
      body: {
        '@odata.context': `${this.state.graphBase}/$metadata#users('${user.id}')/calendars/$entity`,
        ...presentCalendar(calendar),
      },
    };
  }

  /** The id encoding asked for (Prefer: IdType), recorded as honoured. */
  private idType(ctx: Ctx): IdType {
    if (!ctx.prefs.immutableIds) return 'rest';
    ctx.applied.push('IdType="ImmutableId"');
    return 'immutable';
  }

  /** How events are shown: id encoding, time zone, $select, honoured preferences recorded. */
  private eventView(ctx: Ctx, options: { select: boolean; delta?: boolean }): EventView {
    const { prefs } = ctx;
    const idType = this.idType(ctx);
    let timeZone: string | undefined;
    if (prefs.timeZone && resolveTimeZone(prefs.timeZone) !== undefined) {
      timeZone = prefs.timeZone;
      ctx.applied.push(`outlook.timezone="${prefs.timeZone}"`);
    }
    const textBody = prefs.bodyContentType === 'text';
    if (prefs.bodyContentType !== undefined) {
      ctx.applied.push(`outlook.body-content-type="${prefs.bodyContentType}"`);
    }
    return {
      idType,
      timeZone,
      select: options.select ? parseSelect(ctx.req.query) : undefined,
      delta: options.delta,
      textBody,
    };
  }

  private eventPageSize(ctx: Ctx, allowTop: boolean): number {
    if (allowTop) {
      const raw = queryParam(ctx.req.query, '$top');
      if (raw !== undefined) {
        const n = Number(raw);
        if (!Number.isInteger(n) || n < 1) {
          throw new GraphError(
            400,
            'ErrorInvalidUrlQuery',
            `The value '${raw}' is not valid for $top.`,
          );
        }
        return Math.min(n, MAX_EVENT_PAGE);
      }
    }
    if (ctx.prefs.maxPageSize !== undefined) {
      const size = Math.min(ctx.prefs.maxPageSize, MAX_EVENT_PAGE);
      ctx.applied.push(`odata.maxpagesize=${size}`);
      return size;
    }
    return DEFAULT_EVENT_PAGE;
  }

  private getEvent(ctx: Ctx, eventId: string): RouteResult {
    const user = ctx.user as GraphUser;
    const engine = ctx.tenant.engine;
    const immutable = fromImmutableId(eventId);
    const event =
      engine.getEvent(user.id, eventId) ??
      (immutable ? engine.getEvent(user.id, immutable) : undefined);
    if (!event) {
      throw itemNotFound();
    }
    const view = this.eventView(ctx, { select: true });
    return {
      body: {
        '@odata.context': `${this.state.graphBase}/$metadata#users('${user.id}')/events/$entity`,
        ...presentEvent(event, view),
      },
    };
  }

  private calendarView(ctx: Ctx, calendarPathId?: string): RouteResult {
    const user = ctx.user as GraphUser;
    const calendarId = this.resolveCalendar(ctx, calendarPathId);
    const { query } = ctx.req;
    let start: Date;
    let end: Date;
    let afterId: string | undefined;
    const skipRaw = queryParam(query, '$skiptoken');
    if (skipRaw !== undefined) {
      const token = decodeToken(skipRaw, isViewToken);
      if (
        !token ||
        token.b !== this.state.bootId ||
        token.t !== ctx.tenant.tenantId ||
        token.u !== user.id ||
        token.c !== calendarId
      ) {
        throw new GraphError(400, 'ErrorInvalidUrlQuery', 'The $skiptoken value is not valid.');
      }
      start = new Date(token.s);
      end = new Date(token.e);
      afterId = token.a;
    } else {
      ({ start, end } = requireWindow(query));
    }
    const pageSize = this.eventPageSize(ctx, true);
    const view = this.eventView(ctx, { select: true });
    const page = ctx.tenant.engine.calendarViewPage({
      userId: user.id,
      calendarId,
      start,
      end,
      afterId,
      limit: pageSize,
    });
    const body: Record<string, unknown> = {
      '@odata.context': `${this.state.graphBase}/$metadata#users('${user.id}')/calendarView`,
    };
    if (page.nextAfterId !== undefined) {
      const token: ViewToken = {
        k: 'view',
        b: this.state.bootId,
        t: ctx.tenant.tenantId,
        u: user.id,
        c: calendarId,
        s: start.getTime(),
        e: end.getTime(),
        a: page.nextAfterId,
      };
      body['@odata.nextLink'] = this.link(
        `${calendarPath(user.id, calendarPathId)}/calendarView`,
        query,
        ['$skiptoken', encodeToken(token)],
      );
    }
    body.value = page.events.map((e) => presentEvent(e, view));
    return { body };
  }

  private delta(ctx: Ctx, calendarPathId?: string): RouteResult {
    const user = ctx.user as GraphUser;
    const tenant = ctx.tenant;
    const calendarId = this.resolveCalendar(ctx, calendarPathId);
    const { query } = ctx.req;
    const skipRaw = queryParam(query, '$skiptoken');
    const deltaRaw = queryParam(query, '$deltatoken');
    const basePath = `${calendarPath(user.id, calendarPathId)}/calendarView/delta`;
    let token: DeltaToken;
    if (skipRaw !== undefined || deltaRaw !== undefined) {
      const decoded = decodeToken((skipRaw ?? deltaRaw) as string, isDeltaToken);
      if (
        !decoded ||
        decoded.t !== tenant.tenantId ||
        decoded.u !== user.id ||
        decoded.c !== calendarId
      ) {
        throw new GraphError(
          400,
          'ErrorInvalidUrlQuery',
          'The delta or skip token is not valid for this request.',
        );
      }
      const stale =
        decoded.b !== this.state.bootId ||
        this.state.isDeltaTokenExpired(tenant, user.id, decoded.g);
      if (stale) {
        const restart = this.link(basePath, new URLSearchParams(), [
          'startDateTime',
          new Date(decoded.s).toISOString(),
        ]);
        throw new GraphError(
          410,
          'syncStateNotFound',
          'The sync state generation is not found; the delta token has expired. Start over with a new synchronization.',
          { Location: `${restart}&endDateTime=${new Date(decoded.e).toISOString()}` },
        );
      }
      token = decoded;
    } else {
      const { start, end } = requireWindow(query);
      token = {
        k: 'delta',
        b: this.state.bootId,
        t: tenant.tenantId,
        u: user.id,
        c: calendarId,
        s: start.getTime(),
        e: end.getTime(),
        g: 0,
      };
    }
    const continuing = skipRaw !== undefined;
    const until =
      continuing && token.until !== undefined
        ? token.until
        : tenant.engine.currentSeq(user.id, calendarId);
    const pageSize = this.eventPageSize(ctx, false);
    const view = this.eventView(ctx, { select: false, delta: true });
    const page = tenant.engine.calendarViewPage({
      userId: user.id,
      calendarId,
      start: new Date(token.s),
      end: new Date(token.e),
      afterId: continuing ? token.a : undefined,
      limit: pageSize,
      sinceSeq: token.since,
      untilSeq: until,
    });
    const value: Record<string, unknown>[] = [];
    for (const id of page.removed) value.push(removedItem(id, view.idType));
    for (const event of page.events) value.push(presentEvent(event, view));
    const body: Record<string, unknown> = {
      '@odata.context': `${this.state.graphBase}/$metadata#Collection(event)`,
    };
    const base = {
      k: 'delta' as const,
      b: this.state.bootId,
      t: tenant.tenantId,
      u: user.id,
      c: calendarId,
      s: token.s,
      e: token.e,
    };
    if (page.nextAfterId !== undefined) {
      const next: DeltaToken = {
        ...base,
        g: this.state.nextGeneration(),
        since: token.since,
        until,
        a: page.nextAfterId,
      };
      body['@odata.nextLink'] =
        `${this.state.graphBase}${basePath}?$skiptoken=${encodeToken(next)}`;
    } else {
      const next: DeltaToken = { ...base, g: this.state.nextGeneration(), since: until };
      body['@odata.deltaLink'] =
        `${this.state.graphBase}${basePath}?$deltatoken=${encodeToken(next)}`;
    }
    body.value = value;
    return { body };
  }

  // ---------------------------------------------------------------- subscriptions and batch

  private async createSubscription(ctx: Ctx): Promise<RouteResult> {
    const input = validateSubscriptionInput(ctx.req.body);
    const user = ctx.user as GraphUser;
    const idType = this.idType(ctx);
    const subscription = await this.subscriptions.create(ctx.tenant, input, {
      userId: user.id,
      applicationId: ctx.claims.appid,
      creatorId: ctx.claims.oid,
      idType,
    });
    return { status: 201, body: this.subscriptions.present(subscription) };
  }

  private renewSubscription(ctx: Ctx, id: string): RouteResult {
    const subscription = this.subscriptions.find(ctx.tenant.tenantId, id, ctx.claims.appid);
    const body = ctx.req.body;
    if (!isObj(body))
      throw new GraphError(400, 'InvalidRequest', 'The request body must be a JSON object.');
    // renewal follows the creation rule: in the future, at most 4,230 minutes ahead
    subscription.expiration = checkExpiration(body.expirationDateTime);
    return { body: this.subscriptions.present(subscription) };
  }

  private listSubscriptions(ctx: Ctx): RouteResult {
    const list = this.subscriptions.list(ctx.tenant.tenantId, ctx.claims.appid);
    return {
      body: {
        '@odata.context': `${this.state.graphBase}/$metadata#subscriptions`,
        value: list.map((s) => {
          const { '@odata.context': _context, ...rest } = this.subscriptions.present(s);
          return rest;
        }),
      },
    };
  }

  private async batch(ctx: Ctx): Promise<RouteResult> {
    if (ctx.req.inBatch)
      throw new GraphError(400, 'BadRequest', 'A batch request cannot contain another batch.');
    const body = await runBatch(ctx.req.body, (sub) =>
      this.handle({ ...sub, token: ctx.req.token, tenant: ctx.req.tenant, inBatch: true }),
    );
    return { body, headers: { 'Content-Type': 'application/json' } };
  }
}

/** `/users/{id}/events` or `/me/events` in a subscription body → the user reference. */
function parseEventsResource(body: unknown, claims: GraphTokenClaims): string {
  const resource = isObj(body) ? body.resource : undefined;
  if (typeof resource !== 'string') {
    throw new GraphError(
      400,
      'InvalidRequest',
      "The property 'resource' is required and must be a string.",
    );
  }
  const parts = resource.split('/').filter(Boolean);
  const lower = parts.map((p) => p.toLowerCase());
  if (lower[0] === 'me' && lower[1] === 'events' && parts.length === 2) {
    if (claims.idtyp !== 'user') {
      throw new GraphError(
        400,
        'BadRequest',
        '/me request is only valid with delegated authentication flow.',
      );
    }
    return claims.oid;
  }
  if (lower[0] === 'users' && lower[2] === 'events' && parts.length === 3 && parts[1]) {
    return safeDecode(parts[1]);
  }
  throw new GraphError(
    400,
    'InvalidRequest',
    `Resource '${resource}' is not supported; subscribe to /users/{id}/events.`,
  );
}

function calendarPath(userId: string, calendarPathId: string | undefined): string {
  const user = `/users/${encodeURIComponent(userId)}`;
  return calendarPathId === undefined
    ? user
    : `${user}/calendars/${encodeURIComponent(calendarPathId)}`;
}

/** A query parameter by case-insensitive name (Graph accepts `startdatetime` and `$deltaToken`). */
function queryParam(query: URLSearchParams, name: string): string | undefined {
  const direct = query.get(name);
  if (direct !== null) return direct;
  const wanted = name.toLowerCase();
  for (const [k, v] of query) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?$/;

function parseWindowValue(raw: string, name: string): Date {
  const text = raw.trim();
  const match = ISO_INSTANT.exec(text);
  // no offset means UTC, as Graph reads calendarView windows
  const ms = match ? Date.parse(match[3] ? text : `${text}Z`) : NaN;
  if (Number.isNaN(ms)) {
    throw new GraphError(
      400,
      'ErrorInvalidParameter',
      `The value '${raw}' of parameter '${name}' is invalid.`,
    );
  }
  return new Date(ms);
}

function requireWindow(query: URLSearchParams): { start: Date; end: Date } {
  const startRaw = queryParam(query, 'startDateTime');
  const endRaw = queryParam(query, 'endDateTime');
  if (startRaw === undefined || endRaw === undefined) {
    throw new GraphError(
      400,
      'ErrorInvalidParameter',
      'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
    );
  }
  return {
    start: parseWindowValue(startRaw, 'StartDateTime'),
    end: parseWindowValue(endRaw, 'EndDateTime'),
  };
}

const itemNotFound = (): GraphError =>
  new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');

const resourceNotFound = (id: string): GraphError =>
  new GraphError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

const mailboxNotEnabled = (): GraphError =>
  new GraphError(
    404,
    'MailboxNotEnabledForRESTAPI',
    'The mailbox is either inactive, soft-deleted, or is hosted on-premise.',
  );

/** The Graph answer for an engine refusal (the engine names its errors with codes). */
function fromEngineError(error: TenantEngineError): GraphError {
  switch (error.code) {
    case 'UserNotFound':
    case 'GroupNotFound':
      return new GraphError(404, 'Request_ResourceNotFound', error.message);
    case 'MailboxNotEnabledForRESTAPI':
      return mailboxNotEnabled();
    case 'CalendarNotFound':
    case 'EventNotFound':
      return itemNotFound();
    default:
      return new GraphError(400, 'ErrorInvalidRequest', error.message);
  }
}
