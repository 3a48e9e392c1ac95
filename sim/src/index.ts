// The tenant simulator as a library: tests, benchmarks and `npm start` compose these.
import { readFile } from 'node:fs/promises';
import { createTenantEngine } from './engine/index.js';
import {
  generateTenant,
  writeTenant,
  type GenerateTenantOptions,
  type PlantedRelationships,
} from './generator/index.js';
import { startSimServer, type SimServer } from './server/index.js';
import type { TenantEngine } from './engine/tenant-engine-api.js';
import type { TenantFile } from './graph-types.js';

export { createTenantEngine, toTimeZone, validateTenantFile } from './engine/index.js';
export { generateTenant, writeTenant } from './generator/index.js';
export type { PlantedRelationships } from './generator/index.js';
export { ensureTlsMaterial, startSimServer } from './server/index.js';
export type { SimServer } from './server/index.js';
export type * from './graph-types.js';
export type * from './engine/tenant-engine-api.js';

export type GenerateOptions = GenerateTenantOptions;

export interface StartSimulatorOptions {
  /** Tenant files to load; when empty, one organisation is generated from `generate`. */
  tenantFiles?: string[];
  generate?: GenerateOptions;
  /** Also write the generated tenant (and its planted relationships) to this file. */
  outFile?: string;
  port?: number;
  host?: string;
}

export interface RunningSimulator {
  server: SimServer;
  engines: TenantEngine[];
  /** The truth behind a generated organisation; absent when tenants came from files. */
  planted?: PlantedRelationships;
  close(): Promise<void>;
}

/** Today as "YYYY-MM-DD" in UTC: the default anchor of a generated history. */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}

export async function startSimulator(options: StartSimulatorOptions): Promise<RunningSimulator> {
  const engines: TenantEngine[] = [];
  let planted: PlantedRelationships | undefined;
  if (options.tenantFiles && options.tenantFiles.length > 0) {
    for (const file of options.tenantFiles) engines.push(await loadTenantFile(file));
  } else {
    const generated = generateTenant(options.generate ?? defaultGenerateOptions());
    if (options.outFile) await writeTenant(options.outFile, generated);
    engines.push(createTenantEngine(generated.tenant));
    planted = generated.planted;
  }
  const server = await startSimServer({ engines, port: options.port, host: options.host });
  return { server, engines, planted, close: () => server.close() };
}

/** Reads, validates and loads one tenant file; errors name the file and every problem in it. */
export async function loadTenantFile(file: string): Promise<TenantEngine> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot read tenant file ${file}: ${reason}`, { cause: error });
  }
  try {
    // createTenantEngine validates the file first
    return createTenantEngine(parsed as TenantFile);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Tenant file ${file} cannot be loaded. ${reason}`, { cause: error });
  }
}

export function defaultGenerateOptions(): GenerateOptions {
  return { seed: 1, users: 60, companies: 25, months: 24, anchor: todayUtc() };
}
