import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './build-app-package.js';
import {
  appSettings,
  bicepOutputs,
  bicepParams,
  bicepResources,
  isReferenced,
  resourceBody,
  undeclaredReferences,
} from './read-bicep.js';

// No Bicep compiler runs here (none on npm or Debian): these are the checks that work offline.
const bicep = readFileSync(path.join(REPO_ROOT, 'infra', 'azure.bicep'), 'utf8');
const parameterFile = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'infra', 'azure.parameters.json'), 'utf8'),
) as { parameters: Record<string, { value: unknown }> };
const params = bicepParams(bicep);
const settings = appSettings(resourceBody(bicep, 'webAppSettings'));

describe('infra/azure.bicep parameters', () => {
  it('declares every parameter the parameters file passes', () => {
    const declared = new Set(params.map((param) => param.name));
    const passed = Object.keys(parameterFile.parameters);
    expect(passed.filter((name) => !declared.has(name))).toEqual([]);
  });

  it('gets every parameter without a default from the parameters file', () => {
    const passed = new Set(Object.keys(parameterFile.parameters));
    const unset = params.filter((param) => !param.hasDefault && !passed.has(param.name));
    expect(unset.map((param) => param.name)).toEqual([]);
  });

  it('uses every parameter it declares', () => {
    expect(params.filter((param) => !isReferenced(bicep, param.name)).map((p) => p.name)).toEqual(
      [],
    );
  });

  it('has parameters for the name, the region and the sizes', () => {
    const names = params.map((param) => param.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'resourceBaseName',
        'location',
        'appServiceSku',
        'postgresSkuName',
        'postgresStorageGB',
      ]),
    );
  });

  it('marks the three secrets @secure()', () => {
    const secure = params.filter((param) => param.secure).map((param) => param.name);
    expect(secure.sort()).toEqual([
      'aadAppClientSecret',
      'botAadAppClientSecret',
      'postgresAdminPassword',
    ]);
  });
});

describe('infra/azure.bicep symbols', () => {
  it('refers only to declared parameters, variables and resources, and known functions', () => {
    expect(undeclaredReferences(bicep)).toEqual([]);
  });
});

describe('infra/azure.bicep resources', () => {
  const types = bicepResources(bicep).map((resource) => resource.type);

  it('creates App Service on Linux, Azure Bot, PostgreSQL, Key Vault and Application Insights', () => {
    expect(types).toEqual(
      expect.arrayContaining([
        'Microsoft.Web/serverfarms',
        'Microsoft.Web/sites',
        'Microsoft.BotService/botServices',
        'Microsoft.DBforPostgreSQL/flexibleServers',
        'Microsoft.KeyVault/vaults',
        'Microsoft.Insights/components',
      ]),
    );
  });

  it('uses dated, non-preview API versions', () => {
    for (const resource of bicepResources(bicep)) {
      expect(resource.apiVersion, resource.type).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it('runs the service on Node 22 LTS on Linux', () => {
    expect(resourceBody(bicep, 'webApp')).toContain("linuxFxVersion: 'NODE|22-lts'");
    expect(resourceBody(bicep, 'appServicePlan')).toMatch(/reserved: true/);
  });

  it('registers a single-tenant bot whose endpoint is the service /api/messages', () => {
    const bot = resourceBody(bicep, 'bot');
    expect(bot).toContain("msaAppType: 'SingleTenant'");
    expect(bot).toContain("/api/messages'");
  });

  it('writes the outputs teamsapp.yml and the manifest read (BOT_DOMAIN, the app service id)', () => {
    expect(bicepOutputs(bicep)).toEqual(
      expect.arrayContaining(['BOT_DOMAIN', 'AZURE_APP_SERVICE_RESOURCE_ID']),
    );
  });
});

describe('infra/azure.bicep app settings', () => {
  it('reads every secret through a Key Vault reference', () => {
    for (const name of ['CLIENT_SECRET', 'BOT_PASSWORD', 'DATABASE_URL']) {
      expect(settings.get(name), name).toMatch(
        /^'@Microsoft\.KeyVault\(SecretUri=\$\{\w+\.properties\.secretUri\}\)'$/,
      );
    }
  });

  it('puts no secure parameter into a plain app setting', () => {
    const secure = params.filter((param) => param.secure).map((param) => param.name);
    for (const [name, value] of settings) {
      for (const secret of secure) expect(value, name).not.toMatch(new RegExp(`\\b${secret}\\b`));
    }
  });

  it('gives the service the settings its config loaders read', () => {
    expect([...settings.keys()]).toEqual(
      expect.arrayContaining([
        'TENANT_ID',
        'CLIENT_ID',
        'CLIENT_SECRET',
        'DATABASE_URL',
        'PUBLIC_URL',
        'LOG_LEVEL',
        'BOT_ID',
        'BOT_PASSWORD',
        'BOT_TENANT_ID',
        'APPLICATIONINSIGHTS_CONNECTION_STRING',
      ]),
    );
  });

  it('lets only the web app identity read secrets, through RBAC', () => {
    expect(resourceBody(bicep, 'keyVault')).toContain('enableRbacAuthorization: true');
    expect(resourceBody(bicep, 'webAppReadsSecrets')).toContain('webApp.identity.principalId');
  });
});

describe('reading Bicep', () => {
  it('finds a secret leaked into an app setting', () => {
    const leaky = `@secure()\nparam pw string\nresource s 'Microsoft.Web/sites/config@2023-12-01' = {\n  properties: {\n    DB_PASSWORD: pw\n  }\n}\n`;
    const leaked = appSettings(resourceBody(leaky, 's'));
    expect(bicepParams(leaky)).toEqual([
      { name: 'pw', type: 'string', secure: true, hasDefault: false },
    ]);
    expect(leaked.get('DB_PASSWORD')).toBe('pw');
  });

  it('finds a misspelt symbol, one inside an interpolation, and an unknown function', () => {
    const source = [
      'param name string',
      "var host = '${nmae}.example.com'",
      "resource site 'Microsoft.Web/sites@2023-12-01' = {",
      '  name: name',
      '  location: resourceGroup().location',
      '  properties: { serverFarmId: plan.id, tag: toUpper(name) }',
      '}',
      'output HOST string = host',
    ].join('\n');
    expect(undeclaredReferences(source)).toEqual(['nmae', 'plan', 'toUpper()']);
  });

  it('ignores comments but keeps // inside strings', () => {
    const source = "// param hidden string\nparam url string = 'https://x' // why\n";
    expect(bicepParams(source).map((param) => param.name)).toEqual(['url']);
  });
});
