// Which mailbox a Graph call reads: Outlook limits concurrency per app and mailbox.

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The mailbox key (user id or UPN, lower case) of a path below the API root such as
 * `/users/{id}/calendarView?…`; undefined for paths that read no mailbox (`/users`, `/users/{id}`,
 * `/groups/…`). A user named by id and by UPN gives two keys: callers use ids.
 */
export function mailboxFromPath(path: string): string | undefined {
  const withoutQuery = path.split('?', 1)[0] ?? '';
  const segments = withoutQuery.split('/').filter(Boolean);
  if (segments[0]?.toLowerCase() !== 'users' || segments.length < 3) return undefined;
  const user = segments[1];
  return user ? decodeSegment(user).toLowerCase() : undefined;
}
