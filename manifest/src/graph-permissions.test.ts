import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './build-app-package.js';
import { findGraphCalls, findGraphCallsInSource, type GraphCall } from './find-graph-calls.js';
import {
  comparePermissions,
  permissionKey,
  readPermissionTable,
  readRequestedPermissions,
} from './graph-permissions.js';

// the product code that talks to Graph; sim/ and tests are not the product
const PRODUCT_FOLDERS = ['shared/src', 'bot/src'];

const describeCall = (call: GraphCall) => `${call.method} ${call.path} (${call.file}:${call.line})`;

describe('least Graph permissions', () => {
  const calls = findGraphCalls(REPO_ROOT, PRODUCT_FOLDERS);
  const table = readPermissionTable(REPO_ROOT);
  const requested = readRequestedPermissions(REPO_ROOT);
  const drift = comparePermissions(calls, table, requested);

  it('finds the sync calls in the code (the scan itself works)', () => {
    const found = new Set(calls.map((call) => `${call.method} ${call.path}`));
    for (const expected of [
      'GET /organization',
      'GET /users',
      'GET /groups/{}/transitiveMembers',
      'GET /users/{}/calendarView/delta',
      'GET /users/{}/calendars/{}/calendarView/delta',
      'POST /subscriptions',
      'SUBSCRIBE /users/{}/events',
    ]) {
      expect(found).toContain(expected);
    }
  });

  it('lists every Graph path the code calls in infra/graph-permissions.json', () => {
    // add a row with the least privileged permission Microsoft documents for the call, and why
    expect(drift.unlisted.map(describeCall)).toEqual([]);
  });

  it('lists no path the code no longer calls', () => {
    expect(drift.stale.map((row) => `${row.method} ${row.path}`)).toEqual([]);
  });

  it('requests in the Entra app manifest every permission the code needs', () => {
    // add them to infra/entra-app.manifest.json (type Role = application, Scope = delegated)
    expect(drift.missing.map(permissionKey)).toEqual([]);
  });

  it('requests in the Entra app manifest nothing the code does not need', () => {
    expect(drift.extra.map(permissionKey)).toEqual([]);
  });

  it('says why each permission is needed, and only for permissions in use', () => {
    const used = new Set(drift.needed.map((granted) => granted.permission));
    expect(Object.keys(table.permissions).sort()).toEqual([...used].sort());
    for (const row of table.calls) expect(row.why.length).toBeGreaterThan(20);
    for (const why of Object.values(table.permissions)) expect(why.length).toBeGreaterThan(20);
  });

  it('asks for no write permission and no Directory.Read.All', () => {
    for (const granted of requested) {
      expect(granted.permission).not.toMatch(/Write|Directory\.Read\.All|Mail\./);
    }
  });

  it('explains in the admin guide exactly the permissions requested', () => {
    const guide = readFileSync(path.join(REPO_ROOT, 'docs', 'admin-guide.md'), 'utf8');
    // the consent table's rows: | `Calendars.Read` | application | why |
    const rows = [...guide.matchAll(/^\| `([\w.]+)` +\| (application|delegated) +\|/gm)].map(
      (match) => `${match[2] === 'application' ? 'Application' : 'Delegated'} ${match[1]}`,
    );
    expect(rows.sort()).toEqual(drift.needed.map(permissionKey).sort());
  });
});

describe('finding Graph calls in source', () => {
  const find = (source: string) =>
    findGraphCallsInSource('x.ts', source).map((call) => `${call.method} ${call.path}`);

  it('reads paths from strings and templates, dropping the query', () => {
    expect(
      find(
        "graph.get('/organization?$select=id');\n" +
          'graph.getAllPages(`/groups/${encodeURIComponent(id)}/transitiveMembers?$top=999`);',
      ),
    ).toEqual(['GET /organization', 'GET /groups/{}/transitiveMembers']);
  });

  it('takes the method from request() and from a $batch entry', () => {
    expect(
      find(
        "graph.request('PATCH', `/subscriptions/${id}`, {});\n" +
          "graph.batch([{ id, method: 'GET', url: `/users/${id}/mailboxSettings/userPurpose` }]);",
      ),
    ).toEqual(['PATCH /subscriptions/{}', 'GET /users/{}/mailboxSettings/userPurpose']);
  });

  it('marks a subscription resource as subscribed, not requested', () => {
    expect(
      find("request('POST', '/subscriptions', { body: { resource: `/users/${u}/events` } })"),
    ).toEqual(['POST /subscriptions', 'SUBSCRIBE /users/{}/events']);
  });

  it('inlines a path prefix held in a variable and does not count the prefix alone', () => {
    expect(find('const user = `/users/${id}`;\nconst a = `${user}/calendarView/delta`;')).toEqual([
      'GET /users/{}/calendarView/delta',
    ]);
  });

  it('reads paths after a Graph base URL held in configuration', () => {
    expect(find('fetch(`${config.graphBaseUrl}/users/${id}/mailboxSettings`);')).toEqual([
      'GET /users/{}/mailboxSettings',
    ]);
  });

  it('reads full Graph URLs and ignores comments, service routes and file paths', () => {
    expect(
      find(
        '// GET /users/{id}/messages would need Mail.Read\n' +
          "server.get('/api/me', h); readFile('/tmp/users/x'); const u = 'https://graph.microsoft.com/v1.0/me/photo';",
      ),
    ).toEqual(['GET /me/photo']);
  });
});

describe('comparing calls, table and Entra manifest', () => {
  const call = (method: GraphCall['method'], graphPath: string): GraphCall => ({
    method,
    path: graphPath,
    file: 'x.ts',
    line: 1,
  });
  const table = {
    calls: [
      {
        method: 'GET' as const,
        path: '/users/{id}/calendars',
        permission: 'Calendars.Read',
        type: 'Application' as const,
        why: 'calendars of a mailbox',
      },
      {
        method: 'GET' as const,
        path: '/me',
        permission: 'User.Read',
        type: 'Delegated' as const,
        why: 'the caller',
      },
    ],
    permissions: {},
  };

  it('flags a new call, a stale row, a missing and an extra permission', () => {
    const drift = comparePermissions(
      [call('GET', '/users/{}/calendars'), call('GET', '/users/{}/messages')],
      table,
      [
        { permission: 'Mail.Read', type: 'Application' },
        { permission: 'User.Read', type: 'Delegated' },
      ],
    );
    expect(drift.unlisted.map((c) => c.path)).toEqual(['/users/{}/messages']);
    expect(drift.stale.map((row) => row.path)).toEqual(['/me']);
    expect(drift.missing.map(permissionKey)).toEqual(['Application Calendars.Read']);
    expect(drift.extra.map(permissionKey)).toEqual([
      'Application Mail.Read',
      'Delegated User.Read',
    ]);
  });

  it('matches paths whatever the case and the placeholder names', () => {
    const drift = comparePermissions([call('GET', '/Users/{}/Calendars')], table, [
      { permission: 'Calendars.Read', type: 'Application' },
    ]);
    expect(drift.unlisted).toEqual([]);
    expect(drift.missing).toEqual([]);
  });
});
