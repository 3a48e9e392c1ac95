import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILD_FOLDER, REPO_ROOT } from './build-app-package.js';
import { newestBundledManifestVersion } from './validate-manifest.js';

// the root "package" script as a person runs it
function runPackageScript(...args: string[]) {
  return spawnSync('npm', ['run', '--silent', 'package', '--', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

describe('npm run package', () => {
  it('is the root package script', () => {
    const scripts = (
      JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    expect(scripts.package).toContain('manifest/src/package-cli.ts');
  });

  it('builds the local package by default and says where it is', () => {
    const run = runPackageScript();
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `manifest/build/appPackage.local.zip (schema ${newestBundledManifestVersion()}, valid)`,
    );
    expect(existsSync(path.join(BUILD_FOLDER, 'appPackage.local.zip'))).toBe(true);
  });

  it('fails with a message naming the environment when it does not exist', () => {
    const run = runPackageScript('--env', 'nowhere');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('No environment "nowhere"');
  });
});
