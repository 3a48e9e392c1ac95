// What can be read from a Bicep file without the Bicep compiler (none is on npm or Debian):
// its parameters, resources, outputs and the app settings block.

export interface BicepParam {
  name: string;
  type: string;
  secure: boolean;
  hasDefault: boolean;
}

export interface BicepResource {
  symbol: string;
  type: string;
  apiVersion: string;
}

/** Source without // comments (Bicep strings use single quotes; '//' inside URLs is kept). */
export function withoutComments(source: string): string {
  return source
    .split('\n')
    .map((line) => {
      let inString = false;
      for (let i = 0; i < line.length; i++) {
        const char = line[i];
        if (char === "'" && line[i - 1] !== '\\') inString = !inString;
        if (!inString && char === '/' && line[i + 1] === '/') return line.slice(0, i);
      }
      return line;
    })
    .join('\n');
}

export function bicepParams(source: string): BicepParam[] {
  const params: BicepParam[] = [];
  const lines = withoutComments(source).split('\n');
  lines.forEach((line, index) => {
    const match = /^param (\w+) (\w+)(\s*=.*)?$/.exec(line.trim());
    if (match === null) return;
    // decorators sit on the lines just above
    let secure = false;
    for (let above = index - 1; above >= 0 && lines[above]!.trim().startsWith('@'); above--) {
      if (lines[above]!.trim() === '@secure()') secure = true;
    }
    params.push({
      name: match[1] as string,
      type: match[2] as string,
      secure,
      hasDefault: match[3] !== undefined,
    });
  });
  return params;
}

export function bicepResources(source: string): BicepResource[] {
  return [...withoutComments(source).matchAll(/^resource (\w+) '([^'@]+)@([^']+)'/gm)].map(
    (match) => ({
      symbol: match[1] as string,
      type: match[2] as string,
      apiVersion: match[3] as string,
    }),
  );
}

export function bicepOutputs(source: string): string[] {
  return [...withoutComments(source).matchAll(/^output (\w+) /gm)].map(
    (match) => match[1] as string,
  );
}

/** The body of a resource declaration: from its `{` to the matching `}`. */
export function resourceBody(source: string, symbol: string): string {
  const clean = withoutComments(source);
  const start = clean.search(new RegExp(`^resource ${symbol} `, 'm'));
  if (start < 0) throw new Error(`no resource ${symbol}`);
  const open = clean.indexOf('{', start);
  let depth = 0;
  for (let i = open; i < clean.length; i++) {
    if (clean[i] === '{') depth++;
    if (clean[i] === '}' && --depth === 0) return clean.slice(open, i + 1);
  }
  throw new Error(`resource ${symbol} is not closed`);
}

/** `NAME: value` pairs of a `properties: { … }` block holding app settings. */
export function appSettings(body: string): Map<string, string> {
  const settings = new Map<string, string>();
  for (const match of body.matchAll(/^\s+([A-Z][A-Z0-9_]+): (.+)$/gm)) {
    settings.set(match[1] as string, (match[2] as string).trim());
  }
  return settings;
}

/** Identifiers the source uses outside their own declaration line. */
export function isReferenced(source: string, name: string): boolean {
  const clean = withoutComments(source);
  const uses = clean.match(new RegExp(`\\b${name}\\b`, 'g')) ?? [];
  return uses.length > 1;
}

/** Bicep functions the templates may call; a call to anything else is a typo or needs adding. */
export const BICEP_FUNCTIONS = new Set([
  'concat',
  'contains',
  'empty',
  'format',
  'guid',
  'int',
  'length',
  'replace',
  'resourceGroup',
  'resourceId',
  'string',
  'subscription',
  'subscriptionResourceId',
  'take',
  'tenant',
  'toLower',
  'union',
  'uniqueString',
  'uriComponent',
]);

const KEYWORDS = new Set([
  'param',
  'var',
  'resource',
  'output',
  'module',
  'existing',
  'if',
  'for',
  'in',
  'true',
  'false',
  'null',
  'string',
  'int',
  'bool',
  'object',
  'array',
]);

/**
 * Identifiers an expression uses that nothing declares (param, var, resource, output) and that
 * are not Bicep functions: what the compiler would reject as undefined symbols.
 */
export function undeclaredReferences(source: string): string[] {
  const clean = withoutComments(source);
  const declared = new Set(
    [...clean.matchAll(/^(?:param|var|resource|output) (\w+)/gm)].map((m) => m[1] as string),
  );
  // expressions: string interpolations and everything outside string literals
  const expressions: string[] = [];
  for (const line of clean.split('\n')) {
    if (/^\s*@/.test(line)) continue; // decorators hold literal allowed lists and descriptions
    let outside = '';
    let inString = false;
    for (let i = 0; i < line.length; i++) {
      const char = line[i] as string;
      if (char === "'" && line[i - 1] !== '\\') {
        inString = !inString;
        outside += ' ';
        continue;
      }
      if (inString && char === '$' && line[i + 1] === '{') {
        const close = line.indexOf('}', i);
        expressions.push(line.slice(i + 2, close));
        i = close;
        continue;
      }
      if (!inString) outside += char;
    }
    expressions.push(outside);
  }
  const unknown = new Set<string>();
  for (const expression of expressions) {
    for (const match of expression.matchAll(/(?<![.\w@])([A-Za-z_]\w*)(?!\w)(\s*[:(])?/g)) {
      const [, name, after] = match as unknown as [string, string, string | undefined];
      if (after?.trim() === ':') continue; // an object key
      if (after?.trim() === '(') {
        if (!BICEP_FUNCTIONS.has(name)) unknown.add(`${name}()`);
        continue;
      }
      if (!declared.has(name) && !KEYWORDS.has(name)) unknown.add(name);
    }
  }
  return [...unknown].sort();
}
