import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './build-app-package.js';
import { parseEnvFile } from './env-file.js';
import { placeholderNames } from './resolve-placeholders.js';
import {
  readToolkitProject,
  toolkitSchemaErrors,
  toolkitSchemaPath,
  type ToolkitAction,
} from './teamsapp-project.js';

const project = readToolkitProject(path.join(REPO_ROOT, 'teamsapp.yml'));
const schema = toolkitSchemaPath(REPO_ROOT, project.version);
const uses = (actions: ToolkitAction[] | undefined) => (actions ?? []).map((action) => action.uses);
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');

// placeholders filled by the person deploying, in env/.env.<name>.user (secrets, never committed)
const SET_BY_HAND_SECRETS = ['SECRET_POSTGRES_ADMIN_PASSWORD'];

/** Names an action or the Bicep deployment writes into env/.env.<name>. */
function writtenByProvision(): Set<string> {
  const written = new Set<string>();
  for (const action of project.provision ?? []) {
    for (const name of Object.values(action.writeToEnvironmentFile ?? {})) written.add(name);
  }
  // arm/deploy writes the Bicep outputs under their own names
  for (const match of read('infra/azure.bicep').matchAll(/^output (\w+) /gm)) {
    written.add(match[1] as string);
  }
  // aadApp/update generates the access_as_user scope id when it is empty
  written.add('AAD_APP_ACCESS_AS_USER_PERMISSION_ID');
  return written;
}

describe('teamsapp.yml', () => {
  it('validates against the schema the Agents Toolkit ships for its version', () => {
    expect(schema, `no vendored schema for ${project.version}`).toBeDefined();
    expect(toolkitSchemaErrors(schema!, project)).toEqual([]);
  });

  it('fails the schema when an action is misspelt or misses a required input', () => {
    const broken = structuredClone(project);
    broken.provision![0] = { uses: 'teamsApp/creat', with: { name: 'x' } };
    broken.deploy![2] = { uses: 'azureAppService/zipDeploy', with: { artifactFolder: '.' } };
    expect(toolkitSchemaErrors(schema!, broken).length).toBeGreaterThan(0);
  });

  it('provisions the Teams app, both Entra apps, Azure, then the Entra API and the package', () => {
    expect(uses(project.provision)).toEqual([
      'teamsApp/create',
      'aadApp/create',
      'aadApp/create',
      'arm/deploy',
      'aadApp/update',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
  });

  it('creates a multi-tenant WarmPath app and a single-tenant bot app', () => {
    const [, warmPath, bot] = project.provision!;
    expect(warmPath!.with!.signInAudience).toBe('AzureADMultipleOrgs');
    expect(warmPath!.writeToEnvironmentFile!.clientId).toBe('AAD_APP_CLIENT_ID');
    expect(bot!.with!.signInAudience).toBe('AzureADMyOrg');
    expect(bot!.writeToEnvironmentFile!.clientId).toBe('BOT_ID');
    expect(bot!.writeToEnvironmentFile!.clientSecret).toMatch(/^SECRET_/);
  });

  it('builds and zip-deploys the service, and publishes to the organisation catalogue', () => {
    expect(uses(project.deploy)).toEqual([
      'cli/runNpmCommand',
      'cli/runNpmCommand',
      'azureAppService/zipDeploy',
    ]);
    expect(uses(project.publish)).toContain('teamsApp/publishAppPackage');
  });

  it('builds the add-in with the Entra app and the API scope the app manifest declares', () => {
    const build = project.deploy!.find((action) => action.name === 'build') as ToolkitAction & {
      env?: Record<string, string>;
    };
    const resource = (
      JSON.parse(read('manifest/appPackage/manifest.json')) as {
        webApplicationInfo: { resource: string };
      }
    ).webApplicationInfo.resource;
    expect(build.env).toEqual({
      VITE_WARMPATH_CLIENT_ID: '${{AAD_APP_CLIENT_ID}}',
      VITE_WARMPATH_API_SCOPE: `${resource}/access_as_user`,
    });
  });

  it('names only files that exist', () => {
    const files = [
      ...(project.provision ?? []),
      ...(project.deploy ?? []),
      ...(project.publish ?? []),
    ]
      .flatMap((action) => {
        const inputs = action.with ?? {};
        const templates =
          (inputs.templates as { path: string; parameters: string }[] | undefined) ?? [];
        return [
          inputs.manifestPath,
          inputs.ignoreFile,
          ...templates.flatMap((template) => [template.path, template.parameters]),
        ];
      })
      .filter((file): file is string => typeof file === 'string');
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect(() => read(file), file).not.toThrow();
  });
});

describe('env files', () => {
  const templates = [
    'teamsapp.yml',
    'manifest/appPackage/manifest.json',
    'infra/entra-app.manifest.json',
    'infra/azure.parameters.json',
  ];
  const used = [...new Set(templates.flatMap((file) => placeholderNames(read(file))))];

  for (const envName of ['dev', 'prod']) {
    it(`env/.env.${envName} declares every placeholder provision does not write`, () => {
      const declared = parseEnvFile(read(`env/.env.${envName}`));
      const written = writtenByProvision();
      const unknown = used.filter(
        (name) => !(name in declared) && !written.has(name) && !SET_BY_HAND_SECRETS.includes(name),
      );
      expect(unknown).toEqual([]);
    });

    it(`env/.env.${envName} holds no secret`, () => {
      const declared = parseEnvFile(read(`env/.env.${envName}`));
      expect(Object.keys(declared).filter((name) => name.startsWith('SECRET_'))).toEqual([]);
    });
  }

  it('keeps every secret placeholder in SECRET_ variables (masked, in .user files)', () => {
    const parameters = JSON.parse(read('infra/azure.parameters.json')) as {
      parameters: Record<string, { value: string }>;
    };
    const bicep = read('infra/azure.bicep');
    for (const [name, { value }] of Object.entries(parameters.parameters)) {
      const secure = new RegExp(`@secure\\(\\)\\s*param ${name} `).test(bicep);
      if (secure) expect(value, name).toMatch(/^\$\{\{SECRET_\w+\}\}$/);
    }
  });
});
