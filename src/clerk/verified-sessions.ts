/**
 * Clerk's signed-in decisions, remembered for the life of their token, so that a member reading page
 * after page is not verified from scratch on every request (an RSA signature check and a new Backend API
 * client per call of Clerk's `authenticateRequest`, about a quarter of a premium page's CPU).
 *
 * Nothing here decides anything: every entry is a request state Clerk's own `authenticateRequest`
 * returned, and it is reused only for a request that gives Clerk exactly the same inputs:
 *
 * - the same method, the same origin (the request's own and every header Clerk derives it from), the
 *   same whole `Cookie` and `Authorization` headers, and the same values of every other request header
 *   Clerk names (`KEYED_HEADERS`); of the referrer, its origin, which is all Clerk looks at (whether it
 *   is cross-origin, or Clerk's own domain);
 * - no query parameter Clerk acts on (a handshake's return trip, a sync, a development browser): such a
 *   request always goes to Clerk. The path and other query parameters are not compared: Clerk reads them
 *   only to build a handshake's return address (never kept here) and for satellite domains and
 *   organization sync, which Gatepost does not configure (src/clerk/session.ts).
 *
 * Only signed-in states with no headers to send (no refreshed cookie, no redirect) are kept, and only
 * until their token's `exp` (at most a minute), read from the claims Clerk verified. A token that is no
 * longer valid is therefore always asked about again; anything a reader changes (a new token, signing out,
 * which rewrites `__client_uat`) changes the key. tests/unit/verified-sessions.test.ts pins, against the
 * installed @clerk/backend, that requests this module treats as the same get the same decision from
 * Clerk, and that every header Clerk's constants name is either keyed here or known not to matter.
 */
import { LRUCache } from 'lru-cache';
import { hasClerkQuery } from './signed-out';

/**
 * Request headers compared whole: every request-side name in @clerk/backend's `constants.Headers` (those
 * `AuthenticateContext` reads, and its own `x-clerk-*` ones, which it does not read today but might),
 * and `cookie`. The referrer is compared by origin (`sessionKey`).
 */
export const KEYED_HEADERS = [
  'accept',
  'authorization',
  'cache-control',
  'cloudfront-forwarded-proto',
  'content-type',
  'cookie',
  'host',
  'origin',
  'sec-fetch-dest',
  'sec-fetch-site',
  'user-agent',
  'x-clerk-auth-message',
  'x-clerk-auth-reason',
  'x-clerk-auth-signature',
  'x-clerk-auth-status',
  'x-clerk-auth-token',
  'x-clerk-clerk-url',
  'x-clerk-debug',
  'x-clerk-redirect-to',
  'x-clerk-request-data',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-proto',
  'x-nonce',
] as const;
/** Names in `constants.Headers` that only ever travel on responses (Clerk's redirect and its CSP). */
export const RESPONSE_ONLY_HEADERS = [
  'location',
  'content-security-policy',
  'content-security-policy-report-only',
  'reporting-endpoints',
] as const;

/**
 * Entries kept per server process (least recently used go first). An entry holds Clerk's state and auth
 * object, which keep the request they were made from; docs/clerk.md gives the measured size.
 */
const MAX_ENTRIES = 1000;
/** The longest an entry is kept, whatever its token's `exp` (Clerk's session tokens live 60 s). */
const MAX_AGE_MS = 60_000;

/** The part of Clerk's request state this module looks at. */
export interface CacheableState {
  status: string;
  headers: Headers;
  toAuth(): { sessionClaims?: { exp?: unknown } | null } | null | undefined;
}

function referrerOrigin(referrer: string | null): string {
  if (!referrer) return '';
  // Clerk compares only the origin; one it cannot parse it treats as absent, kept apart here all the same.
  return URL.canParse(referrer) ? new URL(referrer).origin : `unparsed:${referrer}`;
}

/**
 * Everything Clerk's decision for `request` depends on, as one string; undefined when the request must
 * go to Clerk (it names a Clerk query parameter, or carries no credential at all, which Clerk signs out
 * and which is never kept).
 */
export function sessionKey(request: Request): string | undefined {
  const headers = request.headers;
  if (!headers.has('cookie') && !headers.has('authorization')) return undefined;
  const url = new URL(request.url);
  if (url.search && hasClerkQuery(url.searchParams)) return undefined;
  const parts: string[] = [request.method, url.origin, referrerOrigin(headers.get('referer'))];
  for (const name of KEYED_HEADERS) parts.push(headers.get(name) ?? '');
  return JSON.stringify(parts);
}

/** How long Clerk's decision may be reused: until the verified token's `exp`, 0 when it may not be. */
export function reusableFor(state: CacheableState, now = Date.now()): number {
  if (state.status !== 'signed-in') return 0;
  // A state that sets cookies or redirects belongs to the one response it was made for.
  if (!state.headers.keys().next().done) return 0;
  const exp = state.toAuth()?.sessionClaims?.exp;
  if (typeof exp !== 'number') return 0;
  return Math.max(0, Math.min(exp * 1000 - now, MAX_AGE_MS));
}

/** Clerk's signed-in decisions of this process, by `sessionKey`. */
export class VerifiedSessions<State extends CacheableState> {
  readonly #states = new LRUCache<string, State>({ max: MAX_ENTRIES, ttlAutopurge: false });

  /** Clerk's earlier decision for a request with these inputs, if it still holds. */
  get(key: string | undefined): State | undefined {
    return key === undefined ? undefined : this.#states.get(key);
  }

  /**
   * Keeps Clerk's decision when it is a reusable signed-in state (`reusableFor`), with its auth object
   * made once: `toAuth()` builds a new one, and a new Backend API client inside it, on every call.
   */
  remember(key: string | undefined, state: State): void {
    if (key === undefined) return;
    const ttl = reusableFor(state);
    if (ttl <= 0) return;
    const auth = state.toAuth();
    const toAuth = (...args: unknown[]) =>
      args.length ? (state.toAuth as (...a: unknown[]) => unknown)(...args) : auth;
    this.#states.set(key, { ...state, toAuth } as State, { ttl });
  }

  get size(): number {
    return this.#states.size;
  }
}
