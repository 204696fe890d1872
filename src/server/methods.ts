/**
 * Which HTTP methods each path accepts. GET and HEAD everywhere; POST only on the routes declared in
 * POST_ROUTES, each with its size limit and, for browsers, a same-origin check unless the route is
 * called by another service and authenticates each request itself; OPTIONS answers with the list;
 * everything else is 405. Plain TypeScript, applied by the server (src/server/app.ts) to every request,
 * static files included, before any handler runs.
 */
import { WEBHOOK_BODY_LIMIT_BYTES } from '../members/limits';

/** Largest request body a POST route accepts unless it declares its own limit. */
export const POST_BODY_LIMIT_BYTES = 64 * 1024;

export interface PostRoute {
  /** A URLPattern pathname pattern, e.g. '/api/gift-links' or '/api/items/:id'. */
  pattern: string;
  /** Largest body, in bytes (default POST_BODY_LIMIT_BYTES). */
  maxBytes?: number;
  /**
   * 'any' for a route another service calls (no browser, no cookie), which authenticates every request
   * itself: a webhook verified by its signature. Every other route refuses cross-origin browser POSTs.
   */
  origin?: 'same' | 'any';
}

/**
 * Paths that accept POST. The route itself is an Astro endpoint exporting `POST`; declaring it here lets
 * the request through.
 */
export const POST_ROUTES: readonly PostRoute[] = [
  { pattern: '/api/gift-links' },
  // Clerk's servers call it; Svix signatures authenticate each event (src/members/webhooks.ts).
  { pattern: '/api/webhooks/clerk', maxBytes: WEBHOOK_BODY_LIMIT_BYTES, origin: 'any' },
  // RFC 8058 one-click unsubscribe: mail providers POST without cookies or a page origin; the MAC in the
  // token authenticates it (src/newsletters/token.ts). The only browser-facing exemption.
  { pattern: '/unsubscribe/:token{/}?', maxBytes: 1024, origin: 'any' },
  { pattern: '/api/newsletter-subscription', maxBytes: 1024 },
  { pattern: '/editor/articles/:slug/(send|test|retry)', maxBytes: 1024 },
];

/** The largest body any route accepts (Fastify's and Astro's own limits, astro.config.mjs). */
export const LARGEST_POST_BODY_BYTES = Math.max(...POST_ROUTES.map((r) => r.maxBytes ?? POST_BODY_LIMIT_BYTES));

const READ_ONLY = 'GET, HEAD';
const WITH_POST = 'GET, HEAD, POST';

export interface MethodRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** The origin this request was addressed to, e.g. `https://gatepost.example` (after trust-proxy). */
  origin: string;
}

export type MethodDecision =
  { ok: true } | { ok: false; status: 204 | 403 | 405 | 411 | 413; allow: string; reason: string };

/** The declared route a path matches, if any. Plain patterns are declared with the defaults. */
export function compileRoutes(routes: readonly (PostRoute | string)[]): (path: string) => PostRoute | undefined {
  const compiled = routes.map((route) => {
    const declared = typeof route === 'string' ? { pattern: route } : route;
    return { route: declared, pattern: new URLPattern({ pathname: declared.pattern }) };
  });
  return (path) => compiled.find(({ pattern }) => pattern.test({ pathname: path }))?.route;
}

const declaredPost = compileRoutes(POST_ROUTES);

const header = (headers: MethodRequest['headers'], name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * A browser says where a request comes from (Sec-Fetch-Site, else Origin); a POST from another site,
 * or from a page without an origin (`Origin: null`), is refused. Requests that carry neither header do
 * not come from a browser page (webhooks, scripts) and are left to the route to authenticate.
 */
export function isCrossOrigin(request: MethodRequest): boolean {
  const site = header(request.headers, 'sec-fetch-site');
  if (site !== undefined) return site !== 'same-origin';
  const origin = header(request.headers, 'origin');
  return origin !== undefined && origin !== request.origin;
}

export function decideMethod(request: MethodRequest, acceptsPost = declaredPost): MethodDecision {
  const { method } = request;
  if (method === 'GET' || method === 'HEAD') return { ok: true };
  const post = acceptsPost(request.path);
  const allow = post ? WITH_POST : READ_ONLY;
  if (method === 'OPTIONS') return { ok: false, status: 204, allow, reason: 'options' };
  if (method !== 'POST' || !post) return { ok: false, status: 405, allow, reason: 'method not allowed' };
  if (post.origin !== 'any' && isCrossOrigin(request))
    return { ok: false, status: 403, allow, reason: 'cross-origin POST' };
  const length = header(request.headers, 'content-length');
  if (length === undefined) {
    // Chunked bodies have no declared size to check up front; browsers and webhooks send a length.
    if (header(request.headers, 'transfer-encoding') !== undefined)
      return { ok: false, status: 411, allow, reason: 'length required' };
    return { ok: true };
  }
  if (!/^\d+$/.test(length) || Number(length) > (post.maxBytes ?? POST_BODY_LIMIT_BYTES))
    return { ok: false, status: 413, allow, reason: 'body too large' };
  return { ok: true };
}
