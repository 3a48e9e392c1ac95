// Hash routes: Office and Teams hosts can null history.pushState, hashes always work.
export type Route =
  | { page: 'search' }
  | { page: 'company'; domain: string }
  | { page: 'person'; id: string }
  | { page: 'requests' }
  | { page: 'admin' };

export function parseRoute(hash: string): Route {
  const [, page, rest] = /^#\/([a-z]+)(?:\/(.+))?$/.exec(hash) ?? [];
  const value = rest === undefined ? undefined : decodeURIComponent(rest);
  if (page === 'company' && value) return { page: 'company', domain: value };
  if (page === 'person' && value) return { page: 'person', id: value };
  if (page === 'requests') return { page: 'requests' };
  if (page === 'admin') return { page: 'admin' };
  return { page: 'search' };
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'company':
      return `#/company/${encodeURIComponent(route.domain)}`;
    case 'person':
      return `#/person/${encodeURIComponent(route.id)}`;
    case 'requests':
      return '#/requests';
    case 'admin':
      return '#/admin';
    default:
      return '#/search';
  }
}
