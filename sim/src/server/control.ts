// The /_sim/ control API (no auth): tenant mutations, fault injection, consent, lifecycle events,
// SSO tokens for tests, statistics and health.
import { TenantEngineError } from '../engine/index.js';
import type { NewEventInput } from '../engine/tenant-engine-api.js';
import { RESPONSE_TYPES } from '../engine/validate.js';
import type { GraphEvent, GraphUser, ResponseType } from '../graph-types.js';
import { findRoleTemplate, ROLE_TEMPLATES } from './directory-roles.js';
import type { FaultSettings } from './faults.js';
import { fromImmutableId } from './ids.js';
import type { SimState, TenantState } from './state.js';
import {
  LIFECYCLE_EVENTS,
  type LifecycleEvent,
  type SubscriptionService,
} from './subscriptions.js';

export interface ControlResponse {
  status: number;
  body?: unknown;
}

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const bad = (message: string): ControlError => new ControlError(400, message);
const notFound = (message: string): ControlError => new ControlError(404, message);

const FAULT_KEYS = [
  'rate429',
  'rate503',
  'rate504',
  'latencyMs',
  'dropRate',
  'seed',
  'retryAfterSeconds',
  'expireDeltaTokens',
  'accessDenied',
  'consent',
] as const;

export interface MailboxReport {
  userId: string;
  userPrincipalName: string;
  events: number;
  occurrences: number;
  cancelled: number;
  /** Most Graph requests in flight at once against this mailbox, rejected arrivals included. */
  peakConcurrency: number;
  /** Graph requests that named this mailbox (admitted or throttled). */
  requests: number;
  /** Of those, answered 429 by the mailbox limits (not injected faults). */
  throttled: number;
}

export interface SimStats {
  window: { start: string; end: string };
  requests: SimState['counters'];
  notifications: SubscriptionService['counters'];
  tenants: Array<{
    tenantId: string;
    displayName: string;
    subscriptions: number;
    mailboxes: MailboxReport[];
  }>;
}

/** Default stats window: wide enough for any generated history. */
function defaultWindow(): { start: Date; end: Date } {
  const now = Date.now();
  return {
    start: new Date(now - 10 * 365 * 86_400_000),
    end: new Date(now + 2 * 365 * 86_400_000),
  };
}

export function collectStats(
  state: SimState,
  subscriptions: SubscriptionService,
  window: { start?: Date; end?: Date } = {},
): SimStats {
  const fallback = defaultWindow();
  const start = window.start ?? fallback.start;
  const end = window.end ?? fallback.end;
  const tenants = [...state.tenants.values()].map((tenant) => ({
    tenantId: tenant.tenantId,
    displayName: tenant.engine.organization.displayName,
    subscriptions: subscriptions.count(tenant.tenantId),
    mailboxes: tenant.engine.stats({ start, end }).map((m): MailboxReport => {
      const counters = state.limiter.peek(`${tenant.tenantId}/${m.userId}`);
      return {
        ...m,
        peakConcurrency: counters?.peakConcurrency ?? 0,
        requests: counters?.requests ?? 0,
        throttled: counters?.throttled ?? 0,
      };
    }),
  }));
  return {
    window: { start: start.toISOString(), end: end.toISOString() },
    requests: { ...state.counters, byStatus: { ...state.counters.byStatus } },
    notifications: { ...subscriptions.counters },
    tenants,
  };
}

export class ControlService {
  constructor(
    private readonly state: SimState,
    private readonly subscriptions: SubscriptionService,
  ) {}

  async handle(
    method: string,
    segments: string[],
    query: URLSearchParams,
    body: unknown,
  ): Promise<ControlResponse> {
    try {
      return await this.route(method, segments, query, body);
    } catch (error) {
      if (error instanceof ControlError) {
        return {
          status: error.status,
          body: { error: { code: 'BadRequest', message: error.message } },
        };
      }
      // the engine rejects impossible mutations by throwing; that is the caller's input
      if (error instanceof TenantEngineError && error.code !== 'InvalidRequest') {
        return { status: 404, body: { error: { code: error.code, message: error.message } } };
      }
      const message = error instanceof Error ? error.message : String(error);
      return { status: 400, body: { error: { code: 'BadRequest', message } } };
    }
  }

  private async route(
    method: string,
    segments: string[],
    query: URLSearchParams,
    body: unknown,
  ): Promise<ControlResponse> {
    const [s0, s1, s2, s3, s4, s5] = segments;
    const key = `${method} ${s0 ?? ''}`;
    switch (key) {
      case 'GET health':
        return {
          status: 200,
          body: {
            status: 'ok',
            url: this.state.url,
            tenants: [...this.state.tenants.values()].map((t) => ({
              tenantId: t.tenantId,
              displayName: t.engine.organization.displayName,
            })),
          },
        };
      case 'GET stats':
        return { status: 200, body: this.stats(query) };
      case 'POST token':
        if (s1 === 'user' && segments.length === 2) return this.userToken(query, body);
        break;
      case 'GET faults':
        return { status: 200, body: this.faultState() };
      case 'POST faults':
        this.configureFaults(query, body);
        return { status: 200, body: this.faultState() };
      case 'DELETE faults':
        this.state.faults.reset();
        for (const tenant of this.state.tenants.values()) {
          tenant.accessDenied.clear();
          tenant.consented = true;
        }
        return { status: 200, body: this.faultState() };
      case 'POST consent':
        return this.consent(query, body);
      case 'GET subscriptions':
        return { status: 200, body: { value: this.allSubscriptions() } };
      case 'POST subscriptions':
        if (s1 && s2 === 'lifecycle' && segments.length === 3) return this.lifecycle(s1, body);
        break;
      case 'POST groups':
        if (s1 && s2 === 'members' && segments.length === 3) {
          const tenant = this.tenantForGroup(query, s1);
          const memberId = requireField(body, 'memberId');
          this.requireDirectoryObject(tenant, memberId);
          tenant.engine.addGroupMember(s1, memberId);
          return { status: 204 };
        }
        break;
      case 'DELETE groups':
        if (s1 && s2 === 'members' && s3 && segments.length === 4) {
          const tenant = this.tenantForGroup(query, s1);
          tenant.engine.removeGroupMember(s1, s3);
          return { status: 204 };
        }
        break;
      case 'GET users':
        if (segments.length === 1) return { status: 200, body: this.usersWithRoles(query) };
        break;
      case 'POST users':
      case 'PATCH users':
      case 'DELETE users':
        if (s1 && s2 === 'events') return this.eventMutation(method, query, s1, s3, s4, s5, body);
        if (s1 && s2 === 'directoryRoles') return this.roleAssignment(method, query, s1, s3, body);
        break;
      default:
        break;
    }
    throw notFound(`No control route ${method} /_sim/${segments.join('/')}.`);
  }

  private stats(query: URLSearchParams): SimStats {
    const start = optionalDate(query.get('start'), 'start');
    const end = optionalDate(query.get('end'), 'end');
    if (start && end && end <= start) throw bad('end must be after start.');
    return collectStats(this.state, this.subscriptions, { start, end });
  }

  /** `?tenant=` (id or domain), else the tenant that knows `lookup`, else the first tenant. */
  private tenant(query: URLSearchParams, lookup?: (t: TenantState) => boolean): TenantState {
    const named = query.get('tenant');
    if (named) {
      const tenant = this.state.findTenant(named);
      if (!tenant) throw notFound(`Unknown tenant '${named}'.`);
      return tenant;
    }
    const all = [...this.state.tenants.values()];
    const found = lookup ? all.find(lookup) : undefined;
    const first = found ?? all[0];
    if (!first) throw notFound('The simulator has no tenant.');
    return first;
  }

  private tenantForGroup(query: URLSearchParams, groupId: string): TenantState {
    const tenant = this.tenant(query, (t) => t.engine.findGroup(groupId) !== undefined);
    if (!tenant.engine.findGroup(groupId)) throw notFound(`Unknown group '${groupId}'.`);
    return tenant;
  }

  private requireUser(tenant: TenantState, idOrUpn: string): GraphUser {
    const user = tenant.engine.findUser(idOrUpn);
    if (!user) throw notFound(`Unknown user '${idOrUpn}' in tenant ${tenant.tenantId}.`);
    return user;
  }

  private requireDirectoryObject(tenant: TenantState, id: string): void {
    if (!tenant.engine.findUser(id) && !tenant.engine.findGroup(id)) {
      throw notFound(`No user or group '${id}' in tenant ${tenant.tenantId}.`);
    }
  }

  private async userToken(query: URLSearchParams, body: unknown): Promise<ControlResponse> {
    const upn = requireField(body, 'upn');
    const b = body as Record<string, unknown>;
    const tenantId = typeof b.tenant === 'string' ? b.tenant : query.get('tenant');
    const tenant = tenantId
      ? this.state.findTenant(tenantId)
      : this.state.findUserAnywhere(upn)?.tenant;
    if (!tenant)
      throw notFound(tenantId ? `Unknown tenant '${tenantId}'.` : `Unknown user '${upn}'.`);
    const user = this.requireUser(tenant, upn);
    const scp = b.scp;
    if (scp !== undefined && typeof scp !== 'string')
      throw bad('scp must be a string of space-separated scopes.');
    const lifetime = b.expiresInSeconds;
    if (
      lifetime !== undefined &&
      (typeof lifetime !== 'number' ||
        !Number.isInteger(lifetime) ||
        lifetime < -86_400 ||
        lifetime > 86_400)
    ) {
      throw bad('expiresInSeconds must be a whole number between -86400 and 86400.');
    }
    const expiresIn = (lifetime as number | undefined) ?? 4500;
    const claims = b.claims;
    if (
      claims !== undefined &&
      (typeof claims !== 'object' || claims === null || Array.isArray(claims))
    ) {
      throw bad('claims must be an object of claims to replace (null removes one).');
    }
    const accessToken = await this.state.tokens.userApiToken({
      authorityUrl: this.state.url,
      tenantId: tenant.tenantId,
      clientId: tenant.app.clientId,
      user,
      scp,
      lifetimeSeconds: expiresIn,
      overrides: claims as Record<string, unknown> | undefined,
    });
    return {
      status: 200,
      body: { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer' },
    };
  }

  /** Every user of a tenant with the directory roles they hold: whom a demo can sign in as. */
  private usersWithRoles(query: URLSearchParams): Record<string, unknown> {
    const tenant = this.tenant(query);
    return {
      tenantId: tenant.tenantId,
      users: tenant.engine.listUsers().map((user) => ({
        id: user.id,
        userPrincipalName: user.userPrincipalName,
        displayName: user.displayName,
        accountEnabled: user.accountEnabled !== false,
        directoryRoles: [...(tenant.directoryRoles.get(user.id) ?? [])].map((id) => ({
          roleTemplateId: id,
          displayName: findRoleTemplate(id)?.displayName ?? id,
        })),
      })),
    };
  }

  /** POST …/directoryRoles { roleTemplateId } assigns a built-in role; DELETE …/{id} removes it. */
  private roleAssignment(
    method: string,
    query: URLSearchParams,
    userRef: string,
    roleRef: string | undefined,
    body: unknown,
  ): ControlResponse {
    const tenant = this.tenant(query, (t) => t.engine.findUser(userRef) !== undefined);
    const user = this.requireUser(tenant, userRef);
    const known = ROLE_TEMPLATES.map((t) => `${t.roleTemplateId} (${t.displayName})`).join(', ');
    if (method === 'POST' && roleRef === undefined) {
      const template = findRoleTemplate(requireField(body, 'roleTemplateId'));
      if (!template) throw bad(`roleTemplateId must be one of ${known}.`);
      const held = tenant.directoryRoles.get(user.id) ?? new Set<string>();
      held.add(template.roleTemplateId);
      tenant.directoryRoles.set(user.id, held);
      return { status: 204 };
    }
    if (method === 'DELETE' && roleRef !== undefined) {
      const template = findRoleTemplate(roleRef);
      if (!template) throw notFound(`Unknown role '${roleRef}': one of ${known}.`);
      tenant.directoryRoles.get(user.id)?.delete(template.roleTemplateId);
      return { status: 204 };
    }
    throw notFound(`No control route ${method} /_sim/users/${userRef}/directoryRoles.`);
  }

  private faultState(): Record<string, unknown> {
    return {
      ...this.state.faults.current,
      tenants: [...this.state.tenants.values()].map((t) => ({
        tenantId: t.tenantId,
        consent: t.consented,
        accessDenied: [...t.accessDenied],
      })),
    };
  }

  private configureFaults(query: URLSearchParams, body: unknown): void {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw bad('The body must be a JSON object of fault settings.');
    }
    const b = body as Record<string, unknown>;
    for (const name of Object.keys(b)) {
      if (!(FAULT_KEYS as readonly string[]).includes(name)) {
        throw bad(`Unknown fault setting '${name}'. Known: ${FAULT_KEYS.join(', ')}.`);
      }
    }
    const settings: Partial<FaultSettings> = {};
    for (const name of ['rate429', 'rate503', 'rate504', 'dropRate'] as const) {
      const v = b[name];
      if (v === undefined) continue;
      if (typeof v !== 'number' || v < 0 || v > 1)
        throw bad(`${name} must be a number from 0 to 1.`);
      settings[name] = v;
    }
    const total =
      (settings.rate429 ?? this.state.faults.current.rate429) +
      (settings.rate503 ?? this.state.faults.current.rate503) +
      (settings.rate504 ?? this.state.faults.current.rate504);
    if (total > 1) throw bad('rate429 + rate503 + rate504 must not exceed 1.');
    if (b.latencyMs !== undefined) {
      if (typeof b.latencyMs !== 'number' || b.latencyMs < 0 || b.latencyMs > 60_000) {
        throw bad('latencyMs must be a number from 0 to 60000.');
      }
      settings.latencyMs = b.latencyMs;
    }
    if (b.seed !== undefined) {
      if (typeof b.seed !== 'number' || !Number.isInteger(b.seed))
        throw bad('seed must be an integer.');
      settings.seed = b.seed;
    }
    if (b.retryAfterSeconds !== undefined) {
      if (
        typeof b.retryAfterSeconds !== 'number' ||
        b.retryAfterSeconds <= 0 ||
        b.retryAfterSeconds > 3600
      ) {
        throw bad('retryAfterSeconds must be a number above 0 and at most 3600.');
      }
      settings.retryAfterSeconds = b.retryAfterSeconds;
    }
    const tenants = query.get('tenant') ? [this.tenant(query)] : [...this.state.tenants.values()];
    // resolve every user first so a bad id changes nothing
    let denied: Array<{ tenant: TenantState; userId: string }> | undefined;
    if (b.accessDenied !== undefined) {
      denied = this.resolveUsers(b.accessDenied, 'accessDenied', tenants);
    }
    let expire: Array<{ tenant: TenantState; userId: string }> | 'all' | undefined;
    if (b.expireDeltaTokens === true) expire = 'all';
    else if (b.expireDeltaTokens !== undefined && b.expireDeltaTokens !== false) {
      expire = this.resolveUsers(b.expireDeltaTokens, 'expireDeltaTokens', tenants);
    }
    if (b.consent !== undefined && typeof b.consent !== 'boolean')
      throw bad('consent must be true or false.');

    this.state.faults.configure(settings);
    if (denied) {
      for (const tenant of tenants) tenant.accessDenied.clear();
      for (const { tenant, userId } of denied) tenant.accessDenied.add(userId);
    }
    if (expire === 'all') {
      this.state.deltaExpiryAll = this.state.generation;
    } else if (expire) {
      for (const { tenant, userId } of expire)
        tenant.deltaExpiry.set(userId, this.state.generation);
    }
    if (typeof b.consent === 'boolean') for (const tenant of tenants) tenant.consented = b.consent;
  }

  private resolveUsers(
    value: unknown,
    name: string,
    tenants: TenantState[],
  ): Array<{ tenant: TenantState; userId: string }> {
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      throw bad(`${name} must be a list of user ids or user principal names.`);
    }
    return (value as string[]).map((ref) => {
      for (const tenant of tenants) {
        const user = tenant.engine.findUser(ref);
        if (user) return { tenant, userId: user.id };
      }
      throw notFound(`${name}: unknown user '${ref}'.`);
    });
  }

  private consent(query: URLSearchParams, body: unknown): ControlResponse {
    if (typeof body !== 'object' || body === null) throw bad('The body must be a JSON object.');
    const b = body as Record<string, unknown>;
    const tenants = query.get('tenant') ? [this.tenant(query)] : [...this.state.tenants.values()];
    const list = (v: unknown, name: string): string[] | undefined => {
      if (v === undefined) return undefined;
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
        throw bad(`${name} must be a list of permission names.`);
      return v as string[];
    };
    const roles = list(b.roles, 'roles');
    const scopes = list(b.scopes, 'scopes');
    if (b.consented !== undefined && typeof b.consented !== 'boolean')
      throw bad('consented must be true or false.');
    for (const tenant of tenants) {
      if (roles) tenant.appRoles = [...roles];
      if (scopes) tenant.delegatedScopes = [...scopes];
      if (typeof b.consented === 'boolean') tenant.consented = b.consented;
    }
    return {
      status: 200,
      body: {
        value: tenants.map((t) => ({
          tenantId: t.tenantId,
          roles: t.appRoles,
          scopes: t.delegatedScopes,
          consented: t.consented,
        })),
      },
    };
  }

  private allSubscriptions(): Record<string, unknown>[] {
    const out: Record<string, unknown>[] = [];
    for (const tenant of this.state.tenants.values()) {
      for (const s of this.subscriptions.list(tenant.tenantId)) {
        out.push({ tenantId: tenant.tenantId, userId: s.userId, ...this.subscriptions.present(s) });
      }
    }
    return out;
  }

  private async lifecycle(id: string, body: unknown): Promise<ControlResponse> {
    const event = requireField(body, 'lifecycleEvent');
    if (!(LIFECYCLE_EVENTS as readonly string[]).includes(event)) {
      throw bad(`lifecycleEvent must be one of ${LIFECYCLE_EVENTS.join(', ')}.`);
    }
    const subscription = this.subscriptions.findAnywhere(id);
    if (!subscription) throw notFound(`Unknown subscription '${id}'.`);
    if (!subscription.lifecycleNotificationUrl) {
      throw bad(
        'This subscription has no lifecycleNotificationUrl, so it gets no lifecycle notifications.',
      );
    }
    const result = await this.subscriptions.lifecycle(subscription, event as LifecycleEvent);
    return { status: 200, body: { subscriptionId: id, lifecycleEvent: event, ...result } };
  }

  private eventMutation(
    method: string,
    query: URLSearchParams,
    userRef: string,
    eventRef: string | undefined,
    action: string | undefined,
    extra: string | undefined,
    body: unknown,
  ): ControlResponse {
    const tenant = this.tenant(query, (t) => t.engine.findUser(userRef) !== undefined);
    const user = this.requireUser(tenant, userRef);
    const engine = tenant.engine;
    if (extra !== undefined) throw notFound('No such control route.');
    if (eventRef === undefined) {
      if (method !== 'POST')
        throw notFound('Use POST /_sim/users/{organizer}/events to create an event.');
      const event = requireEventBody(body);
      const calendarId = query.get('calendarId') ?? undefined;
      const created = engine.createEvent(user.id, { event, calendarId });
      return { status: 201, body: created };
    }
    const eventId = this.resolveEventId(tenant, user.id, eventRef);
    if (action === undefined) {
      if (method === 'PATCH') {
        if (typeof body !== 'object' || body === null || Array.isArray(body)) {
          throw bad('The body must be a JSON object of event fields to change.');
        }
        return {
          status: 200,
          body: engine.updateEvent(user.id, eventId, body as Partial<GraphEvent>),
        };
      }
      if (method === 'DELETE') {
        engine.deleteEvent(user.id, eventId);
        return { status: 204 };
      }
    } else if (method === 'POST' && action === 'cancel') {
      engine.cancelEvent(user.id, eventId);
      return { status: 204 };
    } else if (method === 'POST' && action === 'respond') {
      const response = requireField(body, 'response');
      if (!(RESPONSE_TYPES as readonly string[]).includes(response)) {
        throw bad(`response must be one of ${RESPONSE_TYPES.join(', ')}.`);
      }
      engine.respond(user.id, eventId, response as ResponseType);
      return { status: 204 };
    }
    throw notFound(`No control route ${method} for events${action ? `/${action}` : ''}.`);
  }

  /** Accepts REST (engine) and immutable ids. */
  private resolveEventId(tenant: TenantState, userId: string, ref: string): string {
    if (tenant.engine.getEvent(userId, ref)) return ref;
    const inner = fromImmutableId(ref);
    if (inner && tenant.engine.getEvent(userId, inner)) return inner;
    throw notFound(`No event '${ref}' in the mailbox of ${userId}.`);
  }
}

function requireField(body: unknown, name: string): string {
  const value =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)[name] : undefined;
  if (typeof value !== 'string' || value.length === 0)
    throw bad(`The body needs '${name}' (a string).`);
  return value;
}

function requireEventBody(body: unknown): NewEventInput['event'] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw bad('The body must be a Graph event object (subject, start, end, attendees, …).');
  }
  const b = body as Record<string, unknown>;
  for (const name of ['start', 'end'] as const) {
    const v = b[name] as Record<string, unknown> | undefined;
    if (
      typeof v !== 'object' ||
      v === null ||
      typeof v.dateTime !== 'string' ||
      typeof v.timeZone !== 'string'
    ) {
      throw bad(`The event needs '${name}' as { "dateTime": "…", "timeZone": "…" }.`);
    }
  }
  if (b.attendees !== undefined && !Array.isArray(b.attendees))
    throw bad('attendees must be a list.');
  return b as unknown as NewEventInput['event'];
}

function optionalDate(value: string | null, name: string): Date | undefined {
  if (value === null || value === '') return undefined;
  const ms = Date.parse(
    /[zZ]|[+-]\d{2}:\d{2}$/.test(value) || value.length <= 10 ? value : `${value}Z`,
  );
  if (Number.isNaN(ms)) throw bad(`${name} must be an ISO 8601 date or date and time.`);
  return new Date(ms);
}
