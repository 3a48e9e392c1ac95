// The Agents Toolkit project (teamsapp.yml, env/) read and checked offline against the schema
// the toolkit ships (@microsoft/teamsfx-core resource/yaml-schema, vendored in manifest/schemas/).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

export interface ToolkitAction {
  uses: string;
  name?: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}

export interface ToolkitProject {
  version: string;
  environmentFolderPath?: string;
  provision?: ToolkitAction[];
  deploy?: ToolkitAction[];
  publish?: ToolkitAction[];
}

export function readToolkitProject(file: string): ToolkitProject {
  return parse(readFileSync(file, 'utf8')) as ToolkitProject;
}

/** The vendored schema for a project file version ("v1.11"); undefined when not vendored. */
export function toolkitSchemaPath(repoRoot: string, version: string): string | undefined {
  const file = path.join(repoRoot, 'manifest', 'schemas', `teamsapp.${version}.yaml.schema.json`);
  return existsSync(file) ? file : undefined;
}

/** Schema errors as "path message" lines, empty when the project validates. */
export function toolkitSchemaErrors(schemaFile: string, project: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // a CommonJS module: under NodeNext its function is the default export's `default`
  addFormats.default(ajv);
  // a VS Code annotation in the toolkit's schema, not a validation keyword
  ajv.addKeyword('deprecationMessage');
  const validate = ajv.compile(JSON.parse(readFileSync(schemaFile, 'utf8')) as object);
  if (validate(project)) return [];
  return (validate.errors ?? []).map(
    (error) =>
      `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
  );
}
