export { loadConfig, ConfigError } from './load-config.js';
export type { Config, MicrosoftTenantConfig } from './load-config.js';
