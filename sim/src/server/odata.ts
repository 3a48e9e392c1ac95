// OData query options and Prefer headers as Graph reads them, and the opaque paging tokens.
import { GraphError } from './graph-http.js';

export interface Preferences {
  maxPageSize?: number;
  timeZone?: string;
  /** outlook.body-content-type: bodies as "text" or "html" */
  bodyContentType?: 'text' | 'html';
  immutableIds: boolean;
}

/**
 * Parses every Prefer header value (several headers arrive joined with ", "). Unknown
 * preferences are ignored, as Graph does.
 */
export function parsePrefer(header: string | undefined): Preferences {
  const prefs: Preferences = { immutableIds: false };
  if (!header) return prefs;
  for (const part of splitOutsideQuotes(header)) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim().toLowerCase();
    const value = unquote(part.slice(eq + 1).trim());
    if (name === 'odata.maxpagesize') {
      const n = Number(value);
      if (Number.isInteger(n) && n > 0) prefs.maxPageSize = n;
    } else if (name === 'outlook.timezone') {
      if (value) prefs.timeZone = value;
    } else if (name === 'outlook.body-content-type') {
      const type = value.toLowerCase();
      if (type === 'text' || type === 'html') prefs.bodyContentType = type;
    } else if (name === 'idtype') {
      prefs.immutableIds = value.toLowerCase() === 'immutableid';
    }
  }
  return prefs;
}

function splitOutsideQuotes(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if ((ch === ',' || ch === ';') && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"')
    ? value.slice(1, -1)
    : value;
}

/** `$select` as a list of property names, or undefined. */
export function parseSelect(query: URLSearchParams): string[] | undefined {
  const raw = query.get('$select');
  if (raw === null) return undefined;
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return names.length > 0 ? names : undefined;
}

/** `$top` within [1, max]; Graph's own message when out of range. */
export function parseTop(query: URLSearchParams, max: number): number | undefined {
  const raw = query.get('$top');
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > max) {
    throw new GraphError(
      400,
      'Request_UnsupportedQuery',
      `Invalid page size specified: '${raw}'. Must be between 1 and ${max} inclusive.`,
    );
  }
  return n;
}

/** What `$filter` may compare on one resource type ("User", "Group"). */
export interface Filterable {
  resource: string;
  properties: readonly string[];
}

export interface EqFilter {
  property: string;
  value: string;
}

/**
 * The `$filter` forms WarmPath uses: `prop eq 'value'` clauses joined by `or`, on the string
 * properties `filterable` names. Anything else is Graph's "Unsupported Query."
 */
export function parseEqFilter(
  query: URLSearchParams,
  filterable: Filterable,
): EqFilter[] | undefined {
  const raw = query.get('$filter');
  if (raw === null) return undefined;
  const clauses = raw.split(/\s+or\s+/i);
  const filters: EqFilter[] = [];
  for (const clause of clauses) {
    const match = /^\s*([A-Za-z]+)\s+eq\s+'((?:[^']|'')*)'\s*$/.exec(clause);
    const property = match?.[1];
    const value = match?.[2];
    if (property === undefined || value === undefined) {
      throw new GraphError(400, 'Request_UnsupportedQuery', 'Unsupported Query.');
    }
    const canonical = filterable.properties.find((p) => p.toLowerCase() === property.toLowerCase());
    if (!canonical) {
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `Unsupported or invalid query filter clause specified for property '${property}' of resource '${filterable.resource}'.`,
      );
    }
    filters.push({ property: canonical, value: value.replace(/''/g, "'") });
  }
  return filters;
}

export function matchesEq(item: object, filters: EqFilter[]): boolean {
  const record = item as Record<string, unknown>;
  return filters.some((f) => {
    const v = record[f.property];
    return typeof v === 'string' && v.toLowerCase() === f.value.toLowerCase();
  });
}

/** Keeps only the listed properties (plus `always`), adding null for selected ones that are unset. */
export function project(
  item: Record<string, unknown>,
  select: readonly string[],
  always: readonly string[] = [],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of always) if (key in item) out[key] = item[key];
  for (const key of select) {
    const actual =
      key in item ? key : Object.keys(item).find((k) => k.toLowerCase() === key.toLowerCase());
    out[actual ?? key] = actual === undefined ? null : item[actual];
  }
  return out;
}

/** Opaque token: base64url JSON. Graph's tokens are opaque too; clients must not parse them. */
export function encodeToken(payload: object): string {
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

export function decodeToken<T>(
  token: string,
  isValid: (value: unknown) => value is T,
): T | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    return isValid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Rebuilds a query string in a stable order, `$skiptoken`/`$deltatoken` last. */
export function buildQuery(params: Array<[string, string]>): string {
  if (params.length === 0) return '';
  // Graph leaves "$" unescaped in the links it returns
  return `?${params.map(([k, v]) => `${k}=${encodeURIComponent(v).replace(/%24/g, '$')}`).join('&')}`;
}
