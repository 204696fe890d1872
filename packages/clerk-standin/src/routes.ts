/**
 * The one route-table shape of the stand-in: the Frontend API (fapi/), the Backend API (bapi/) and the
 * admin API (admin.ts) each list their routes as `Route`s over their own call type, and find the one
 * for a request with `routeTable`. A feature adds its routes to a list; nothing else changes.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Path parameters, by the names the route's `:name` segments give them. */
export type PathParams = Record<string, string>;

export interface Route<Call> {
  /** The methods it answers (for the Frontend API, after clerk-js's `_method` override). */
  methods: readonly Method[];
  /** An exact path, or one with `:name` segments, each matching one path segment. */
  path: string;
  handle: (call: Call, params: PathParams) => void | Promise<void>;
}

export interface RouteTable<Call> {
  /** The first route for this method and path, with its path parameters, or null. */
  match(method: string, path: string): { route: Route<Call>; params: PathParams } | null;
}

/** `/v1/users/:id/metadata` → `^/v1/users/(?<id>[^/]+)/metadata$`. */
function pattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/:([A-Za-z]\w*)/g, (_all, name: string) => `(?<${name}>[^/]+)`)}$`);
}

export function routeTable<Call>(routes: readonly Route<Call>[]): RouteTable<Call> {
  const compiled = routes.map((route) => ({ route, pattern: pattern(route.path) }));
  return {
    match(method, path) {
      for (const { route, pattern } of compiled) {
        if (!(route.methods as readonly string[]).includes(method)) continue;
        const found = pattern.exec(path);
        if (found) return { route, params: { ...found.groups } };
      }
      return null;
    },
  };
}
