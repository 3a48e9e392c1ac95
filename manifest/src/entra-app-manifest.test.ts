import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_TEMPLATE, REPO_ROOT } from './build-app-package.js';
import { readRequestedPermissions } from './graph-permissions.js';
import { placeholderNames } from './resolve-placeholders.js';

interface EntraManifest {
  signInAudience: string;
  accessTokenAcceptedVersion: number;
  identifierUris: string[];
  oauth2Permissions: { id: string; value: string; type: string; isEnabled: boolean }[];
  preAuthorizedApplications: { appId: string; permissionIds: string[] }[];
  replyUrlsWithType: { url: string; type: string }[];
}

const entra = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'infra', 'entra-app.manifest.json'), 'utf8'),
) as EntraManifest;
const graphIds = JSON.parse(
  readFileSync(
    path.join(REPO_ROOT, 'manifest', 'schemas', 'graph-permission-ids.teamsfx-core-3.1.3.json'),
    'utf8',
  ),
) as { appRoles: { value: string }[]; oauth2PermissionScopes: { value: string }[] };
const appManifest = JSON.parse(readFileSync(MANIFEST_TEMPLATE, 'utf8')) as {
  webApplicationInfo: {
    id: string;
    resource: string;
    nestedAppAuthInfo: { redirectUri: string; scopes: string[] }[];
  };
};

// Teams and Microsoft 365/Outlook clients that may ask for an SSO token without a prompt
// (Microsoft's tab SSO registration guide)
const TEAMS_AND_OUTLOOK_CLIENTS = [
  '1fec8e78-bce4-4aaf-ab1b-5451cc387264', // Teams desktop and mobile
  '5e3ce6c0-2b1f-4285-8d4b-75ee78787346', // Teams web
  '4765445b-32c6-49b0-83e6-1d93765276ca', // Microsoft 365 web
  '0ec893e0-5785-4de6-99da-4ed124e5296c', // Microsoft 365 desktop
  'd3590ed6-52b3-4102-aeff-aad2292ab01c', // Microsoft 365 mobile, Outlook desktop
  'bc59ab01-8403-45c6-8796-ac3ef710b3e3', // Outlook web
  '27922004-5251-4030-b22d-91ecd9a37ea4', // Outlook mobile
];

describe('infra/entra-app.manifest.json', () => {
  it('requests only Graph permissions the Agents Toolkit can resolve, of the right kind', () => {
    const roles = new Set(graphIds.appRoles.map((role) => role.value));
    const scopes = new Set(graphIds.oauth2PermissionScopes.map((scope) => scope.value));
    for (const { permission, type } of readRequestedPermissions(REPO_ROOT)) {
      const known = type === 'Application' ? roles : scopes;
      expect(known.has(permission), `${type} ${permission}`).toBe(true);
    }
  });

  it('signs in any organisation and issues v2 tokens', () => {
    expect(entra.signInAudience).toBe('AzureADMultipleOrgs');
    expect(entra.accessTokenAcceptedVersion).toBe(2);
  });

  it('exposes access_as_user at the resource the app manifest names', () => {
    const [scope] = entra.oauth2Permissions;
    expect(scope).toMatchObject({ value: 'access_as_user', isEnabled: true, type: 'User' });
    expect(entra.identifierUris).toEqual([appManifest.webApplicationInfo.resource]);
    expect(appManifest.webApplicationInfo.id).toBe('${{AAD_APP_CLIENT_ID}}');
    expect(appManifest.webApplicationInfo.nestedAppAuthInfo[0]!.scopes).toEqual([
      `${appManifest.webApplicationInfo.resource}/access_as_user`,
    ]);
  });

  it('pre-authorises the Teams and Outlook clients for access_as_user', () => {
    expect(entra.preAuthorizedApplications.map((app) => app.appId).sort()).toEqual(
      [...TEAMS_AND_OUTLOOK_CLIENTS].sort(),
    );
    for (const app of entra.preAuthorizedApplications) {
      expect(app.permissionIds).toEqual([entra.oauth2Permissions[0]!.id]);
    }
  });

  it('registers the nested app auth redirect the app manifest prefetches with', () => {
    const spa = entra.replyUrlsWithType.filter((reply) => reply.type === 'Spa').map((r) => r.url);
    for (const { redirectUri } of appManifest.webApplicationInfo.nestedAppAuthInfo) {
      expect(spa).toContain(redirectUri);
    }
  });

  it('uses only placeholders provision writes', () => {
    expect(
      placeholderNames(
        readFileSync(path.join(REPO_ROOT, 'infra', 'entra-app.manifest.json'), 'utf8'),
      ).sort(),
    ).toEqual([
      'AAD_APP_ACCESS_AS_USER_PERMISSION_ID',
      'AAD_APP_CLIENT_ID',
      'AAD_APP_OBJECT_ID',
      'BOT_DOMAIN',
      'TEAMSFX_ENV',
    ]);
  });
});
