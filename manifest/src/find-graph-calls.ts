// Finds the Microsoft Graph request paths in WarmPath's own source, so the permission table and
// the Entra app manifest can be held to what the code calls (issue 7: least permissions).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Top-level segments of Graph v1.0 (entity sets, singletons, $batch); a path starts with one. */
export const GRAPH_ROOT_SEGMENTS = new Set([
  '$batch',
  'admin',
  'agreements',
  'appcatalogs',
  'applications',
  'auditlogs',
  'chats',
  'communications',
  'contacts',
  'devicemanagement',
  'devices',
  'directory',
  'directoryobjects',
  'directoryroles',
  'domains',
  'drives',
  'education',
  'employeeexperience',
  'external',
  'grouplifecyclepolicies',
  'groups',
  'identity',
  'identitygovernance',
  'identityprotection',
  'informationprotection',
  'invitations',
  'me',
  'oauth2permissiongrants',
  'organization',
  'places',
  'planner',
  'policies',
  'print',
  'privacy',
  'reports',
  'rolemanagement',
  'search',
  'security',
  'serviceprincipals',
  'sites',
  'solutions',
  'storage',
  'subscriptions',
  'teams',
  'teamwork',
  'tenantrelationships',
  'users',
]);

const GRAPH_URL_PREFIX = /^https:\/\/graph\.microsoft\.com\/(v1\.0|beta)(?=\/)/i;

/** `SUBSCRIBE` marks a path named as a subscription's `resource`, not requested itself. */
export type GraphMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE' | 'SUBSCRIBE';

export interface GraphCall {
  method: GraphMethod;
  /** the path with each substitution as {} and no query: /users/{}/calendars/{}/calendarView/delta */
  path: string;
  /** repository-relative file and 1-based line */
  file: string;
  line: number;
}

const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);

/** A template's text with each ${…} as {}; identifiers bound to path prefixes are inlined. */
function literalText(
  node: ts.Expression,
  prefixes: ReadonlyMap<string, string>,
): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (!ts.isTemplateExpression(node)) return undefined;
  let text = node.head.text;
  for (const span of node.templateSpans) {
    const inlined =
      text === '' && ts.isIdentifier(span.expression)
        ? prefixes.get(span.expression.text)
        : undefined;
    text += `${inlined ?? '{}'}${span.literal.text}`;
  }
  return text;
}

/** The Graph path a literal names, normalised; undefined when it names none. */
export function graphPathOf(text: string): string | undefined {
  // `${graphBaseUrl}/users/…`: a base URL from configuration stands first
  const withoutBase = text.startsWith('{}/') ? text.slice(2) : text;
  const withoutHost = withoutBase.replace(GRAPH_URL_PREFIX, '');
  if (!withoutHost.startsWith('/')) return undefined;
  const pathOnly = withoutHost.split('?')[0] as string;
  const first = pathOnly.split('/')[1]?.toLowerCase();
  if (first === undefined || !GRAPH_ROOT_SEGMENTS.has(first)) return undefined;
  return pathOnly.replace(/\/+$/, '') || undefined;
}

/** The method a path literal is requested with, from where it stands in the code. */
function methodAt(node: ts.Node): GraphMethod {
  const parent = node.parent;
  // graph.request('POST', '/subscriptions', …)
  if (ts.isCallExpression(parent) && parent.arguments[1] === node) {
    const first = parent.arguments[0];
    if (first && ts.isStringLiteral(first) && METHODS.has(first.text.toUpperCase())) {
      return first.text.toUpperCase() as GraphMethod;
    }
  }
  if (ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) {
    // { resource: '/users/{id}/events' } in a subscription body
    if (parent.name.text === 'resource') return 'SUBSCRIBE';
    // { method: 'GET', url: '/users/{id}/…' } in a $batch request
    if (parent.name.text === 'url' && ts.isObjectLiteralExpression(parent.parent)) {
      for (const property of parent.parent.properties) {
        if (
          ts.isPropertyAssignment(property) &&
          ts.isIdentifier(property.name) &&
          property.name.text === 'method' &&
          ts.isStringLiteral(property.initializer) &&
          METHODS.has(property.initializer.text.toUpperCase())
        ) {
          return property.initializer.text.toUpperCase() as GraphMethod;
        }
      }
    }
  }
  return 'GET';
}

/** The Graph calls in one source file. */
export function findGraphCallsInSource(fileName: string, source: string): GraphCall[] {
  const sourceFile = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  // `const user = \`/users/${id}\`` used as `${user}/calendarView/delta`: a prefix, not a call
  const prefixes = new Map<string, string>();
  const prefixNodes = new Set<ts.Node>();
  const collectPrefixes = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.initializer !== undefined
    ) {
      const text = literalText(node.initializer, prefixes);
      const graphPath = text === undefined ? undefined : graphPathOf(text);
      if (graphPath !== undefined && usedAsTemplateHead(sourceFile, node.name.text)) {
        prefixes.set(node.name.text, graphPath);
        prefixNodes.add(node.initializer);
      }
    }
    ts.forEachChild(node, collectPrefixes);
  };
  collectPrefixes(sourceFile);

  const calls: GraphCall[] = [];
  const visit = (node: ts.Node): void => {
    if (
      (ts.isStringLiteral(node) ||
        ts.isNoSubstitutionTemplateLiteral(node) ||
        ts.isTemplateExpression(node)) &&
      !prefixNodes.has(node)
    ) {
      const text = literalText(node, prefixes);
      const graphPath = text === undefined ? undefined : graphPathOf(text);
      if (graphPath !== undefined) {
        const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart());
        calls.push({ method: methodAt(node), path: graphPath, file: fileName, line: line + 1 });
      }
      // a template's parts are not literals of their own
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return calls;
}

function usedAsTemplateHead(sourceFile: ts.SourceFile, name: string): boolean {
  let used = false;
  const visit = (node: ts.Node): void => {
    if (used) return;
    if (ts.isTemplateExpression(node) && node.head.text === '') {
      const first = node.templateSpans[0]?.expression;
      if (first && ts.isIdentifier(first) && first.text === name) used = true;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return used;
}

/** Product source: .ts/.tsx under the folders, without tests and test helpers. */
export function productSourceFiles(repoRoot: string, folders: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'testing') walk(full);
      } else if (
        /\.tsx?$/.test(entry.name) &&
        !/\.test\.tsx?$/.test(entry.name) &&
        !/^testing\.tsx?$/.test(entry.name) &&
        !entry.name.endsWith('.d.ts')
      ) {
        files.push(full);
      }
    }
  };
  for (const folder of folders) walk(path.join(repoRoot, folder));
  return files.sort();
}

/** Every Graph call in the product source of the given folders (shared/src, bot/src). */
export function findGraphCalls(repoRoot: string, folders: readonly string[]): GraphCall[] {
  return productSourceFiles(repoRoot, folders).flatMap((file) =>
    findGraphCallsInSource(
      path.relative(repoRoot, file).split(path.sep).join('/'),
      readFileSync(file, 'utf8'),
    ),
  );
}
