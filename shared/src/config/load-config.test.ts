import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

const tenant = {
  TENANT_ID: '7f3c1a52-9a4e-4d8b-a1f0-2b6c9e4d5a10',
  CLIENT_ID: '0b9e2f4a-1c3d-4e5f-8a7b-6c5d4e3f2a1b',
  CLIENT_SECRET: 's3cret',
};

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('defaults to local mode on the simulator with the embedded SQLite store', () => {
    expect(loadConfig({})).toEqual({
      microsoft: null,
      databaseUrl: 'sqlite:./data/warmpath.db',
      port: 3978,
      publicUrl: 'http://127.0.0.1:3978',
      logLevel: 'info',
      bot: { credentials: null, languageModel: null },
    });
  });

  it('uses a real tenant with Microsoft defaults when the app registration is given', () => {
    const config = loadConfig({
      ...tenant,
      PORT: '8080',
      DATABASE_URL: 'postgres://wp@db:5432/warmpath',
    });
    expect(config.microsoft).toEqual({
      graphBaseUrl: 'https://graph.microsoft.com',
      authorityHost: 'https://login.microsoftonline.com',
      tenantId: tenant.TENANT_ID,
      clientId: tenant.CLIENT_ID,
      clientSecret: tenant.CLIENT_SECRET,
    });
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBe('postgres://wp@db:5432/warmpath');
  });

  it('normalises base URLs by dropping trailing slashes', () => {
    const config = loadConfig({
      ...tenant,
      GRAPH_BASE_URL: 'https://127.0.0.1:8443/',
      AUTHORITY_HOST: 'https://127.0.0.1:8443',
    });
    expect(config.microsoft?.graphBaseUrl).toBe('https://127.0.0.1:8443');
  });

  it('names every missing tenant variable when only some are set', () => {
    const problems = problemsOf({ TENANT_ID: tenant.TENANT_ID });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^CLIENT_ID is missing/);
    expect(problems[1]).toMatch(/^CLIENT_SECRET is missing/);
  });

  it('reports one message per bad variable, naming it and what is expected', () => {
    const problems = problemsOf({
      ...tenant,
      CLIENT_ID: 'not-a-guid',
      PORT: '70000',
      DATABASE_URL: 'mysql://x',
      GRAPH_BASE_URL: 'http://graph.example.com',
      LOG_LEVEL: 'loud',
    });
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toContain(
      'CLIENT_ID must be the application (client) id, a GUID (got "not-a-guid")',
    );
    expect(problems.join('\n')).toContain('PORT must be a whole number from 0 to 65535');
    expect(problems.join('\n')).toContain('DATABASE_URL must be sqlite:<path> or postgres://');
    expect(problems.join('\n')).toContain('GRAPH_BASE_URL must use https://');
    expect(problems.join('\n')).toMatch(/LOG_LEVEL/);
  });

  it('accepts a tenant domain as TENANT_ID and plain http only on loopback', () => {
    const config = loadConfig({
      ...tenant,
      TENANT_ID: 'contoso.onmicrosoft.com',
      AUTHORITY_HOST: 'http://localhost:9000',
    });
    expect(config.microsoft?.tenantId).toBe('contoso.onmicrosoft.com');
    expect(config.microsoft?.authorityHost).toBe('http://localhost:9000');
  });

  it('takes the public URL Graph calls back on, defaulting to the local port', () => {
    expect(loadConfig({ PORT: '4000' }).publicUrl).toBe('http://127.0.0.1:4000');
    expect(loadConfig({ PUBLIC_URL: 'https://warmpath.example.com/' }).publicUrl).toBe(
      'https://warmpath.example.com',
    );
    expect(problemsOf({ PUBLIC_URL: 'http://warmpath.example.com' })[0]).toMatch(
      /^PUBLIC_URL must use https:\/\//,
    );
  });

  it('treats empty variables as unset', () => {
    expect(
      loadConfig({ TENANT_ID: '', CLIENT_ID: '', CLIENT_SECRET: '', PORT: '' }).microsoft,
    ).toBeNull();
  });

  it('never echoes the client secret in its messages', () => {
    const problems = problemsOf({
      TENANT_ID: 'bad tenant',
      CLIENT_ID: tenant.CLIENT_ID,
      CLIENT_SECRET: 'hunter2',
    });
    expect(problems.join('\n')).not.toContain('hunter2');
  });
});
