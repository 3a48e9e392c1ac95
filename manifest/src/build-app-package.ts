// `npm run package`: the app manifest with ${{VAR}} resolved from env/.env.<name>, checked
// against the official schema offline, zipped with its icons.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { loadEnvironment, type EnvValues } from './env-file.js';
import { jsonStringContent, resolvePlaceholders } from './resolve-placeholders.js';
import { manifestSchemaErrors } from './validate-manifest.js';

/** The repository root (manifest/src/ is two folders below it). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const APP_PACKAGE_FOLDER = path.join(REPO_ROOT, 'manifest', 'appPackage');
export const MANIFEST_TEMPLATE = path.join(APP_PACKAGE_FOLDER, 'manifest.json');
export const ENV_FOLDER = path.join(REPO_ROOT, 'env');
export const BUILD_FOLDER = path.join(REPO_ROOT, 'manifest', 'build');

export class InvalidManifestError extends Error {
  constructor(
    readonly errors: string[],
    envName: string,
  ) {
    super(
      `The app manifest for "${envName}" does not match the official schema:\n${errors.map((error) => `  ${error}`).join('\n')}`,
    );
    this.name = 'InvalidManifestError';
  }
}

export interface AppPackage {
  /** the zip: manifest.json, color.png, outline.png */
  zipPath: string;
  /** the resolved manifest beside it, for reading and for teamsApp/update */
  manifestPath: string;
  manifest: Record<string, unknown>;
}

export interface BuildAppPackageOptions {
  envName: string;
  envFolder?: string;
  outputFolder?: string;
  /** values over the env files' (the process environment, as the Agents Toolkit does) */
  processEnv?: NodeJS.ProcessEnv;
}

/** The manifest template with every placeholder resolved from the given values. */
export function resolveManifest(values: EnvValues, envName: string): Record<string, unknown> {
  const template = readFileSync(MANIFEST_TEMPLATE, 'utf8');
  const resolved = resolvePlaceholders(
    template,
    values,
    `manifest/appPackage/manifest.json for "${envName}"`,
    jsonStringContent,
  );
  return JSON.parse(resolved) as Record<string, unknown>;
}

/** The files the manifest names inside the package (icons), relative to the package root. */
export function packagedFiles(manifest: Record<string, unknown>): string[] {
  const icons = (manifest.icons ?? {}) as Record<string, unknown>;
  return Object.values(icons).filter((file): file is string => typeof file === 'string');
}

export async function buildAppPackage(options: BuildAppPackageOptions): Promise<AppPackage> {
  const { envName } = options;
  const values = loadEnvironment(options.envFolder ?? ENV_FOLDER, envName, options.processEnv);
  const manifest = resolveManifest(values, envName);
  const errors = await manifestSchemaErrors(manifest);
  if (errors.length > 0) throw new InvalidManifestError(errors, envName);

  const zip = new JSZip();
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  // a fixed date keeps the zip the same from one run to the next
  const date = new Date('2026-01-01T00:00:00Z');
  zip.file('manifest.json', manifestText, { date });
  for (const file of packagedFiles(manifest)) {
    zip.file(file, readFileSync(path.join(APP_PACKAGE_FOLDER, file)), { date });
  }
  const outputFolder = options.outputFolder ?? BUILD_FOLDER;
  mkdirSync(outputFolder, { recursive: true });
  const zipPath = path.join(outputFolder, `appPackage.${envName}.zip`);
  const manifestPath = path.join(outputFolder, `manifest.${envName}.json`);
  writeFileSync(zipPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }));
  writeFileSync(manifestPath, manifestText);
  return { zipPath, manifestPath, manifest };
}
