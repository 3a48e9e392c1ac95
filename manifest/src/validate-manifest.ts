// Offline schema validation with the schemas @microsoft/app-manifest bundles (no network).
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppManifestUtils } from '@microsoft/app-manifest';

const require = createRequire(import.meta.url);

/** Where @microsoft/app-manifest keeps its Teams manifest schemas (v1.0 … v1.30, devPreview). */
export function bundledTeamsSchemaFolder(): string {
  const packageJson = require.resolve('@microsoft/app-manifest/package.json');
  return path.join(path.dirname(packageJson), 'build', 'json-schemas', 'teams');
}

/** The newest released manifest version the installed package ships ("1.30"), not devPreview. */
export function newestBundledManifestVersion(): string {
  const versions = readdirSync(bundledTeamsSchemaFolder())
    .map((name) => /^v(\d+)\.(\d+)$/.exec(name))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [Number(match[1]), Number(match[2])] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const newest = versions.at(-1);
  if (newest === undefined) throw new Error('@microsoft/app-manifest ships no Teams schemas');
  return `${newest[0]}.${newest[1]}`;
}

/**
 * Schema errors of a resolved manifest, empty when valid. The package loads the schema named by
 * `$schema` from its own bundle when it is a developer.microsoft.com Teams schema URL.
 */
export async function manifestSchemaErrors(manifest: unknown): Promise<string[]> {
  const schemaUrl = (manifest as { $schema?: unknown }).$schema;
  if (typeof schemaUrl !== 'string' || !schemaUrl.startsWith('https://developer.microsoft.com/')) {
    // any other $schema would make the package fetch it, which fails offline
    return [`$schema must be a developer.microsoft.com Teams schema URL, not ${String(schemaUrl)}`];
  }
  // the package's typing wants its own manifest type; the schema check itself takes any JSON
  return AppManifestUtils.validateAgainstSchema(manifest as never);
}
