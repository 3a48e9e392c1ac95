// Email local parts from people's and places' names.

/** Local part of an email address from a name: letters and hyphens only. */
export function mailLocalPart(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z-]/g, '')
    .replace(/^-+|-+$/g, '');
}
