import { MAX_BIND_PARAMETERS, MAX_ROWS_PER_STATEMENT } from './dialect.js';

/** How many rows of `parametersPerRow` bound values fit in one statement on both engines. */
export function rowsPerStatement(parametersPerRow: number): number {
  // a few parameters are reserved for the WHERE/tenant part of the statement
  const byParameters = Math.floor((MAX_BIND_PARAMETERS - 16) / Math.max(1, parametersPerRow));
  return Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, byParameters));
}

/** Splits items into consecutive slices of at most `size`. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}

/** Splits rows so that each multi-row statement stays under the bind-parameter limits. */
export function chunkRows<T extends object>(rows: readonly T[]): T[][] {
  const first = rows[0];
  if (first === undefined) return [];
  return chunked(rows, rowsPerStatement(Object.keys(first).length));
}

export const flag = (value: boolean): 0 | 1 => (value ? 1 : 0);

/** Serialises a string list for a JSON text column. */
export function toJsonList(values: readonly string[]): string {
  return JSON.stringify(values);
}

/** Parses a JSON text column that must hold a string list; corrupt data fails loudly with its column. */
export function parseJsonList(text: string, column: string): string[] {
  const value: unknown = JSON.parse(text);
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new TypeError(`${column} must hold a JSON array of strings, found ${text.slice(0, 80)}`);
  }
  return value;
}
