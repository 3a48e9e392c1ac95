export { loadConfig, ConfigError } from './load-config.js';
export type { Config, MicrosoftTenantConfig } from './load-config.js';
export type { BotConfig, BotCredentials, LanguageModelConfig } from './load-bot-config.js';
