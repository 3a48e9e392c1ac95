// The Teams bot's own settings: its Bot Framework credentials and an optional language model.
import { z } from 'zod';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The Azure Bot registration. Single-tenant, as Microsoft no longer creates multi-tenant Azure
 * Bot resources; users of other tenants still reach it through the multi-tenant Entra app.
 */
export interface BotCredentials {
  appId: string;
  appPassword: string;
  /** the home tenant of the bot's app registration */
  tenantId: string;
  appType: 'SingleTenant';
}

/** Azure OpenAI, or any endpoint that speaks the OpenAI chat completions API. */
export type LanguageModelConfig =
  | { kind: 'azure-openai'; endpoint: string; apiKey: string; deployment: string }
  | { kind: 'openai'; apiKey: string; model: string; endpoint?: string };

export interface BotConfig {
  /** null: local mode, /api/messages unauthenticated for the Agents Playground */
  credentials: BotCredentials | null;
  /** null (the default): the bot understands questions with its own deterministic rules only */
  languageModel: LanguageModelConfig | null;
}

const url = (what: string) =>
  z
    .string()
    .trim()
    .refine((value) => URL.canParse(value), `must be an absolute URL for ${what}`)
    .transform((value) => value.replace(/\/+$/, ''));

const botSchema = z.object({
  BOT_ID: z.string().trim().regex(GUID, 'must be the bot’s Microsoft App ID, a GUID').optional(),
  BOT_PASSWORD: z.string().min(1, 'must not be empty').optional(),
  BOT_TENANT_ID: z
    .string()
    .trim()
    .regex(GUID, 'must be the directory (tenant) id of the bot’s app registration, a GUID')
    .optional(),
  TENANT_ID: z.string().trim().optional(),
  AZURE_OPENAI_API_KEY: z.string().min(1).optional(),
  AZURE_OPENAI_ENDPOINT: url('the Azure OpenAI resource').optional(),
  AZURE_OPENAI_DEPLOYMENT: z.string().trim().min(1).optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_MODEL: z.string().trim().min(1).optional(),
  OPENAI_BASE_URL: url('an OpenAI-compatible endpoint').optional(),
});

const AZURE = ['AZURE_OPENAI_API_KEY', 'AZURE_OPENAI_ENDPOINT', 'AZURE_OPENAI_DEPLOYMENT'] as const;
const OPENAI = ['OPENAI_API_KEY', 'OPENAI_MODEL'] as const;

/**
 * Reads BOT_ID, BOT_PASSWORD, BOT_TENANT_ID (default TENANT_ID) and the optional language model
 * (AZURE_OPENAI_API_KEY + AZURE_OPENAI_ENDPOINT + AZURE_OPENAI_DEPLOYMENT, or OPENAI_API_KEY +
 * OPENAI_MODEL [+ OPENAI_BASE_URL]). Returns the problems instead of throwing, so loadConfig can
 * report them with everything else.
 */
export function readBotConfig(present: Record<string, string | undefined>): {
  config: BotConfig;
  problems: string[];
} {
  const problems: string[] = [];
  const parsed = botSchema.safeParse(present);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? 'environment');
      // passwords and keys are never echoed
      const echo = variable in present && !/PASSWORD|KEY/.test(variable);
      problems.push(`${variable} ${issue.message}${echo ? ` (got "${present[variable]}")` : ''}`);
    }
    return { config: { credentials: null, languageModel: null }, problems };
  }
  const env = parsed.data;

  let credentials: BotCredentials | null = null;
  if (env.BOT_ID !== undefined || env.BOT_PASSWORD !== undefined) {
    if (env.BOT_ID === undefined)
      problems.push('BOT_ID is missing: BOT_PASSWORD is set without it');
    if (env.BOT_PASSWORD === undefined) {
      problems.push('BOT_PASSWORD is missing: set the client secret of the bot’s app registration');
    }
    const tenantId =
      env.BOT_TENANT_ID ?? (env.TENANT_ID && GUID.test(env.TENANT_ID) ? env.TENANT_ID : undefined);
    if (tenantId === undefined) {
      problems.push(
        'BOT_TENANT_ID is missing: a single-tenant bot needs the directory (tenant) id, a GUID, of its app registration',
      );
    }
    if (env.BOT_ID && env.BOT_PASSWORD && tenantId) {
      credentials = {
        appId: env.BOT_ID,
        appPassword: env.BOT_PASSWORD,
        tenantId,
        appType: 'SingleTenant',
      };
    }
  } else if (env.BOT_TENANT_ID !== undefined) {
    problems.push('BOT_ID is missing: BOT_TENANT_ID is set without the bot’s app id and password');
  }

  let languageModel: LanguageModelConfig | null = null;
  const azure = AZURE.filter((name) => env[name] !== undefined);
  const openai = OPENAI.filter((name) => env[name] !== undefined);
  if (azure.length > 0 && openai.length > 0) {
    problems.push(
      'AZURE_OPENAI_* and OPENAI_* are both set: configure one language model, or none for the deterministic bot',
    );
  } else if (azure.length > 0) {
    for (const name of AZURE.filter((n) => env[n] === undefined)) {
      problems.push(`${name} is missing: set all of ${AZURE.join(', ')} to use Azure OpenAI`);
    }
    if (env.AZURE_OPENAI_API_KEY && env.AZURE_OPENAI_ENDPOINT && env.AZURE_OPENAI_DEPLOYMENT) {
      languageModel = {
        kind: 'azure-openai',
        apiKey: env.AZURE_OPENAI_API_KEY,
        endpoint: env.AZURE_OPENAI_ENDPOINT,
        deployment: env.AZURE_OPENAI_DEPLOYMENT,
      };
    }
  } else if (openai.length > 0 || env.OPENAI_BASE_URL !== undefined) {
    for (const name of OPENAI.filter((n) => env[n] === undefined)) {
      problems.push(
        `${name} is missing: set ${OPENAI.join(' and ')} to use an OpenAI-compatible model`,
      );
    }
    if (env.OPENAI_API_KEY && env.OPENAI_MODEL) {
      languageModel = {
        kind: 'openai',
        apiKey: env.OPENAI_API_KEY,
        model: env.OPENAI_MODEL,
        ...(env.OPENAI_BASE_URL === undefined ? {} : { endpoint: env.OPENAI_BASE_URL }),
      };
    }
  }
  return { config: { credentials, languageModel }, problems };
}
