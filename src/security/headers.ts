/**
 * Response headers every Gatepost response carries: security headers and the cache policy class.
 * Plain TypeScript, unit-tested; applied to every response by the server (src/server/app.ts).
 */

export interface CspInputs {
  /** Origins Clerk's browser code is loaded from and talks to (Frontend API, proxy, JS/UI URLs). */
  clerkOrigins: readonly string[];
  /** sha256 hashes of the inline scripts Astro emits (islands), computed at build time. */
  scriptHashes: readonly string[];
}

/**
 * A policy that lets the site and Clerk's UI work and blocks everything else. Follows Clerk's CSP
 * guidance: its scripts from the Frontend API origin, Cloudflare's bot-protection challenge, avatars
 * from img.clerk.com, workers from blob:, and inline styles (Clerk's UI injects its styles at run time;
 * code highlighting uses style attributes).
 */
export function contentSecurityPolicy({ clerkOrigins, scriptHashes }: CspInputs): string {
  const clerk = [...new Set(clerkOrigins)];
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", ...scriptHashes.map((hash) => `'${hash}'`), ...clerk, 'https://challenges.cloudflare.com'],
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'https://img.clerk.com'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...clerk],
    'worker-src': ["'self'", 'blob:'],
    'frame-src': ['https://challenges.cloudflare.com'],
    'frame-ancestors': ["'none'"],
    'form-action': ["'self'"],
    'base-uri': ["'self'"],
    'object-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, values]) => `${name} ${values.join(' ')}`)
    .join('; ');
}

export function securityHeaders(csp: string, https: boolean): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin-allow-popups',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
    ...(https ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}

/** The site's API routes (src/pages/api): answers that depend on who asks. */
const API_PREFIX = '/api/';

/** Cache classes, from most to least shareable. */
export const CACHE = {
  /** Content-hashed build assets (/_astro/…): never change under the same name. */
  immutable: 'public, max-age=31536000, immutable',
  /** Prerendered pages, feeds and public files: shared caches may keep them, revalidating after a build. */
  publicPage: 'public, max-age=600, s-maxage=3600, stale-while-revalidate=86400',
  /**
   * Search results for a reader without a session: the same for everyone (public text only), so shared
   * caches may keep them briefly; the index only changes with a build. See docs/security.md, "Search".
   */
  anonymousSearch: 'public, max-age=60, s-maxage=300',
  /**
   * Social card images (src/pages/og/): the same for every reader, drawn from an article's public facts;
   * an hour, since an edited title changes the image under the same address (revalidated by its ETag).
   */
  card: 'public, max-age=3600',
  /** Anything that depends on who is asking. */
  private: 'private, no-store',
  /** Errors for paths nobody should cache for long. */
  error: 'no-store',
} as const;

/** A cache class, declared by the route or page that answers (see `cacheControl`). */
export type CacheClass = keyof typeof CACHE;

/** What the policy needs to know about one response besides its declared class. */
export interface CacheFacts {
  path: string;
  status: number;
  /**
   * For a response Astro rendered: whether the reader had no session (and its check did not fail),
   * and whether the response sets a cookie. Absent for files and what the server answers itself.
   */
  rendered?: { anonymous: boolean; setsCookie: boolean };
}

/**
 * The one cache policy: the Cache-Control of every response, from the class its route (Fastify route
 * config, src/server/app.ts) or page (`locals.cacheClass`, src/middleware.ts) declared.
 * - Rendered responses depend on who asks: private, except the shared search class a page may declare,
 *   kept only for a reader without a session when no cookie is set. (Social cards are not rendered for
 *   a reader: src/middleware.ts passes them without `rendered`, with the `card` class.)
 * - Nothing under /api/ is shared, whoever answers it (OPTIONS and 405 included).
 * - An error is kept by nobody, whatever class its route declared.
 * - Otherwise the declared class; without one (files, the server's own answers), content-hashed assets
 *   are immutable and the rest is a public page.
 */
export function cacheControl(declared: CacheClass | undefined, facts: CacheFacts): string {
  if (facts.rendered) {
    const { anonymous, setsCookie } = facts.rendered;
    return declared === 'anonymousSearch' && anonymous && !setsCookie ? CACHE.anonymousSearch : CACHE.private;
  }
  if (facts.path.startsWith(API_PREFIX) || declared === 'private') return CACHE.private;
  if (facts.status >= 400) return CACHE.error;
  if (declared) return CACHE[declared];
  if (facts.path.startsWith('/_astro/')) return CACHE.immutable;
  return CACHE.publicPage;
}

/**
 * Headers of any response to a gift link (`?gift=`), valid or not: search engines must not index it, and
 * the token must not leave in a Referer header when the reader follows a link. (It depends on the token,
 * so no shared cache may keep it: as every rendered page but shared search results, it is private by
 * `cacheControl`.)
 */
export const GIFT_PAGE_HEADERS = {
  'X-Robots-Tag': 'noindex',
  'Referrer-Policy': 'no-referrer',
} as const;
