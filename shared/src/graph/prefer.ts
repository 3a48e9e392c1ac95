// Every Graph request asks for immutable Outlook ids, alongside whatever else the caller prefers.

/** Ids that survive a move between folders: what the store keys events by. */
export const IMMUTABLE_ID_PREFERENCE = 'IdType="ImmutableId"';

/** Splits a Prefer header on commas outside quoted strings. */
function splitPreferences(header: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of header) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}

const preferenceName = (preference: string): string =>
  (preference.split('=', 1)[0] ?? '').trim().toLowerCase();

/**
 * One Prefer header: IdType="ImmutableId" first (replacing any other IdType), then the caller's
 * preferences (odata.maxpagesize, outlook.timezone, …), the first of each name kept.
 */
export function mergePreferHeader(...headers: Array<string | null | undefined>): string {
  const byName = new Map<string, string>([['idtype', IMMUTABLE_ID_PREFERENCE]]);
  for (const header of headers) {
    if (!header) continue;
    for (const preference of splitPreferences(header)) {
      const name = preferenceName(preference);
      if (!byName.has(name)) byName.set(name, preference);
    }
  }
  return [...byName.values()].join(', ');
}
