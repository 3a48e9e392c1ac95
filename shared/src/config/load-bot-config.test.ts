import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

const BOT_ID = '3d1c6f0e-2b5a-4c8d-9e7f-1a2b3c4d5e6f';
const HOME_TENANT = '7f3c1a52-9a4e-4d8b-a1f0-2b6c9e4d5a10';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('bot configuration', () => {
  it('runs the bot unauthenticated and deterministic when nothing is set (local mode)', () => {
    expect(loadConfig({}).bot).toEqual({ credentials: null, languageModel: null });
  });

  it('takes a single-tenant bot registration from BOT_ID, BOT_PASSWORD and BOT_TENANT_ID', () => {
    const { bot } = loadConfig({ BOT_ID, BOT_PASSWORD: 'pw', BOT_TENANT_ID: HOME_TENANT });
    expect(bot.credentials).toEqual({
      appId: BOT_ID,
      appPassword: 'pw',
      tenantId: HOME_TENANT,
      appType: 'SingleTenant',
    });
  });

  it('defaults the bot’s home tenant to TENANT_ID', () => {
    const { bot } = loadConfig({
      BOT_ID,
      BOT_PASSWORD: 'pw',
      TENANT_ID: HOME_TENANT,
      CLIENT_ID: BOT_ID,
      CLIENT_SECRET: 'secret',
    });
    expect(bot.credentials?.tenantId).toBe(HOME_TENANT);
  });

  it('names each missing or malformed bot variable and never echoes the password', () => {
    expect(problemsOf({ BOT_ID })).toEqual([
      expect.stringMatching(/^BOT_PASSWORD is missing/),
      expect.stringMatching(/^BOT_TENANT_ID is missing/),
    ]);
    expect(problemsOf({ BOT_PASSWORD: 'hunter2', BOT_TENANT_ID: HOME_TENANT })).toEqual([
      expect.stringMatching(/^BOT_ID is missing/),
    ]);
    const bad = problemsOf({ BOT_ID: 'my-bot', BOT_PASSWORD: 'hunter2' });
    expect(bad.join('\n')).toContain(
      'BOT_ID must be the bot’s Microsoft App ID, a GUID (got "my-bot")',
    );
    expect(bad.join('\n')).not.toContain('hunter2');
  });

  it('configures Azure OpenAI only when all three variables are set', () => {
    const { bot } = loadConfig({
      AZURE_OPENAI_API_KEY: 'k',
      AZURE_OPENAI_ENDPOINT: 'https://wp.openai.azure.com/',
      AZURE_OPENAI_DEPLOYMENT: 'gpt-4o-mini',
    });
    expect(bot.languageModel).toEqual({
      kind: 'azure-openai',
      apiKey: 'k',
      endpoint: 'https://wp.openai.azure.com',
      deployment: 'gpt-4o-mini',
    });
    expect(problemsOf({ AZURE_OPENAI_API_KEY: 'k' })).toEqual([
      expect.stringMatching(/^AZURE_OPENAI_ENDPOINT is missing/),
      expect.stringMatching(/^AZURE_OPENAI_DEPLOYMENT is missing/),
    ]);
  });

  it('configures any OpenAI-compatible endpoint, and refuses two models at once', () => {
    const { bot } = loadConfig({
      OPENAI_API_KEY: 'k',
      OPENAI_MODEL: 'llama3',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
    });
    expect(bot.languageModel).toEqual({
      kind: 'openai',
      apiKey: 'k',
      model: 'llama3',
      endpoint: 'http://127.0.0.1:11434/v1',
    });
    expect(problemsOf({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' })).toHaveLength(2);
    expect(
      problemsOf({ OPENAI_API_KEY: 'k', OPENAI_MODEL: 'm', AZURE_OPENAI_API_KEY: 'k' })[0],
    ).toMatch(/both set/);
  });
});
