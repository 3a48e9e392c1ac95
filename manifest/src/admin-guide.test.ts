import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MANIFEST_TEMPLATE, REPO_ROOT } from './build-app-package.js';

// docs/admin-guide.md must describe what the package and the store actually do
const guide = readFileSync(path.join(REPO_ROOT, 'docs', 'admin-guide.md'), 'utf8');
const manifest = JSON.parse(readFileSync(MANIFEST_TEMPLATE, 'utf8')) as {
  staticTabs: { name?: string }[];
  extensions: { ribbons: { tabs: { groups: { controls: { label: string }[] }[] }[] }[] }[];
};
const foundation = readFileSync(
  path.join(REPO_ROOT, 'shared', 'src', 'store', 'migrations', '0001_foundation.ts'),
  'utf8',
);

/** The default of a tenant_settings column, as the first migration declares it. */
function settingDefault(column: string): string {
  const match = new RegExp(
    `'${column}', 'integer', \\(c\\) => c\\.notNull\\(\\)\\.defaultTo\\((\\d+)\\)`,
  ).exec(foundation);
  if (match === null) throw new Error(`no default for ${column} in the migration`);
  return match[1] as string;
}

/** The default column of the guide's settings table row starting with `label`. */
function guideDefault(label: string): string {
  const row = guide.split('\n').find((line) => line.trim().startsWith(`| ${label} `));
  if (row === undefined) throw new Error(`no settings row "${label}" in the guide`);
  return (row.split('|')[2] as string).trim();
}

describe('docs/admin-guide.md', () => {
  it('names the tabs the package installs', () => {
    for (const tab of manifest.staticTabs.filter((tab) => tab.name)) {
      expect(guide).toContain(`**${tab.name}** tab`);
    }
  });

  it('names the Outlook button the package adds', () => {
    const labels = manifest.extensions.flatMap((extension) =>
      extension.ribbons.flatMap((ribbon) =>
        ribbon.tabs.flatMap((tab) =>
          tab.groups.flatMap((group) => group.controls.map((c) => c.label)),
        ),
      ),
    );
    for (const label of new Set(labels)) expect(guide).toContain(`**${label}**`);
  });

  it('gives the settings the defaults the store has', () => {
    expect(guideDefault('Look back (months)')).toBe(settingDefault('lookback_months'));
    expect(guideDefault('Look ahead (months)')).toBe(settingDefault('lookahead_months'));
    expect(guideDefault('Calendars per mailbox')).toBe(settingDefault('calendars_per_mailbox'));
    expect(guideDefault('Include private appointments')).toBe(
      settingDefault('sync_private_appointments') === '1' ? 'on' : 'off',
    );
    expect(guideDefault('Only count online meetings')).toBe(
      settingDefault('only_online_meetings') === '1' ? 'on' : 'off',
    );
  });

  it('points at the script that deletes a tenant, which exists', () => {
    expect(guide).toContain('-f infra/remove-tenant-data.sql');
    expect(() =>
      readFileSync(path.join(REPO_ROOT, 'infra', 'remove-tenant-data.sql')),
    ).not.toThrow();
  });

  it('matches the backup retention the Bicep sets', () => {
    const bicep = readFileSync(path.join(REPO_ROOT, 'infra', 'azure.bicep'), 'utf8');
    const days = /backupRetentionDays: (\d+)/.exec(bicep)?.[1];
    expect(guide).toContain(`(${days} days by default)`);
  });
});
