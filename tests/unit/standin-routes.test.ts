/** The stand-in's one route-table shape: exact paths, `:name` segments (camelCase too), methods. */
import { describe, expect, it } from 'vitest';
import { routeTable, type Route } from '../../packages/clerk-standin/src/routes.ts';

const route = (methods: Route<string>['methods'], path: string): Route<string> => ({ methods, path, handle: () => {} });
const table = routeTable([
  route(['GET'], '/v1/me'),
  route(['POST'], '/v1/client/sessions/:id/tokens'),
  route(['POST'], '/v1/client/sessions/:id/tokens/:template'),
  route(['PATCH', 'DELETE'], '/v1/organizations/:orgId/memberships/:userId'),
]);

describe('stand-in route table', () => {
  it('matches exact paths for their methods only', () => {
    expect(table.match('GET', '/v1/me')?.route.path).toBe('/v1/me');
    expect(table.match('POST', '/v1/me')).toBeNull();
    expect(table.match('GET', '/v1/me/')).toBeNull();
    expect(table.match('GET', '/v1/meow')).toBeNull();
  });

  it('names each segment parameter, one path segment each', () => {
    expect(table.match('POST', '/v1/client/sessions/sess_1/tokens')?.params).toEqual({ id: 'sess_1' });
    expect(table.match('POST', '/v1/client/sessions/sess_1/tokens/supabase')?.params).toEqual({
      id: 'sess_1',
      template: 'supabase',
    });
    expect(table.match('DELETE', '/v1/organizations/org_1/memberships/user_2')?.params).toEqual({
      orgId: 'org_1',
      userId: 'user_2',
    });
    expect(table.match('POST', '/v1/client/sessions/a/b/tokens')).toBeNull();
  });
});
