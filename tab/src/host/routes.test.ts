import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref, type Route } from './routes.js';

describe('hash routes', () => {
  it('round-trips every page, including ids that need encoding', () => {
    const routes: Route[] = [
      { page: 'search' },
      { page: 'company', domain: 'acme.com' },
      { page: 'person', id: 'p/42 x' },
      { page: 'requests' },
      { page: 'admin' },
    ];
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route);
  });

  it('opens search for an empty or unknown hash', () => {
    expect(parseRoute('')).toEqual({ page: 'search' });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'search' });
    expect(parseRoute('#/company/')).toEqual({ page: 'search' });
  });
});
