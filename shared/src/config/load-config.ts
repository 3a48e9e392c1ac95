import { z } from 'zod';
import { readBotConfig, type BotConfig } from './load-bot-config.js';

/** How WarmPath reaches one Microsoft 365 tenant: Graph, Entra, and its app registration. */
export interface MicrosoftTenantConfig {
  /** Graph root without the version segment, e.g. https://graph.microsoft.com. */
  graphBaseUrl: string;
  /** Entra authority host, e.g. https://login.microsoftonline.com. */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export interface Config {
  /** `null` means local mode: the tenant simulator stands in for Microsoft 365. */
  microsoft: MicrosoftTenantConfig | null;
  /** `sqlite:<path>` or `postgres://…`. */
  databaseUrl: string;
  port: number;
  /** Where Microsoft Graph reaches this service's notification endpoints (https, or loopback). */
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** the Teams bot: Bot Framework credentials and an optional language model (load-bot-config.ts) */
  bot: BotConfig;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `WarmPath cannot start: the configuration has ${problems.length} problem(s):\n- ${problems.join('\n- ')}`,
    );
    this.name = 'ConfigError';
  }
}

const TENANT_VARIABLES = ['TENANT_ID', 'CLIENT_ID', 'CLIENT_SECRET'] as const;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const baseUrl = (what: string) =>
  z
    .string()
    .trim()
    .refine((value) => URL.canParse(value), `must be an absolute URL for ${what}`)
    .transform((value) => new URL(value))
    .refine(
      (url) =>
        url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)),
      `must use https:// (plain http:// is only accepted for 127.0.0.1 or localhost)`,
    )
    .refine((url) => url.search === '' && url.hash === '', 'must not carry a query or fragment')
    .transform((url) => url.toString().replace(/\/+$/, ''));

const environmentSchema = z.object({
  GRAPH_BASE_URL: baseUrl('the Microsoft Graph root').default('https://graph.microsoft.com'),
  AUTHORITY_HOST: baseUrl('the Entra authority host').default('https://login.microsoftonline.com'),
  TENANT_ID: z
    .string()
    .trim()
    .refine(
      (v) => GUID.test(v) || DOMAIN.test(v),
      'must be the directory (tenant) id, a GUID, or its domain',
    )
    .optional(),
  CLIENT_ID: z
    .string()
    .trim()
    .regex(GUID, 'must be the application (client) id, a GUID')
    .optional(),
  CLIENT_SECRET: z.string().min(1, 'must not be empty').optional(),
  DATABASE_URL: z
    .string()
    .trim()
    .default('sqlite:./data/warmpath.db')
    .refine(
      (v) => /^sqlite:.+/.test(v) || /^postgres(ql)?:\/\/.+/.test(v),
      'must be sqlite:<path> or postgres://user@host:port/database',
    ),
  PORT: z
    .string()
    .trim()
    .default('3978')
    .refine((v) => /^\d+$/.test(v) && Number(v) <= 65535, 'must be a whole number from 0 to 65535')
    .transform(Number),
  PUBLIC_URL: baseUrl('where Microsoft Graph reaches this service').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/**
 * Reads WarmPath's configuration from the environment (contracts.md). With none of TENANT_ID,
 * CLIENT_ID and CLIENT_SECRET set it is local mode (the simulator); with all three, a real tenant.
 * Throws ConfigError listing every problem, each naming its variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // an empty variable is treated as unset, as shells and .env files often leave them
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = environmentSchema.safeParse(present);
  const problems: string[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0] ?? 'environment');
      problems.push(
        `${variable} ${issue.message}${variable in present ? ` (got "${present[variable]}")` : ''}`,
      );
    }
  }
  const given = TENANT_VARIABLES.filter((name) => name in present);
  if (given.length > 0 && given.length < TENANT_VARIABLES.length) {
    for (const missing of TENANT_VARIABLES.filter((name) => !(name in present))) {
      problems.push(
        `${missing} is missing: set all of ${TENANT_VARIABLES.join(', ')} to use a Microsoft 365 tenant, or none of them to use the tenant simulator`,
      );
    }
  }
  const bot = readBotConfig(present);
  problems.push(...bot.problems);
  if (problems.length > 0 || !parsed.success) throw new ConfigError(problems);

  const values = parsed.data;
  const microsoft =
    values.TENANT_ID && values.CLIENT_ID && values.CLIENT_SECRET
      ? {
          graphBaseUrl: values.GRAPH_BASE_URL,
          authorityHost: values.AUTHORITY_HOST,
          tenantId: values.TENANT_ID,
          clientId: values.CLIENT_ID,
          clientSecret: values.CLIENT_SECRET,
        }
      : null;
  return {
    microsoft,
    databaseUrl: values.DATABASE_URL,
    port: values.PORT,
    publicUrl: values.PUBLIC_URL ?? `http://127.0.0.1:${values.PORT}`,
    logLevel: values.LOG_LEVEL,
    bot: bot.config,
  };
}
