/**
 * Whether a request carries no Clerk state at all, so that there is nothing for Clerk to decide: no
 * token, no client cookie, no handshake. The server serves such readers of a production instance a
 * gated page rendered once for all of them (src/server/anonymous-pages.ts); every other request goes
 * to Clerk's `authenticateRequest` (src/clerk/session.ts).
 *
 * This does not restate Clerk's rules; it only asks whether the request has any of the inputs those
 * rules read, by the names in @clerk/backend's `constants` (checked against the installed version by
 * tests/unit/signed-out.test.ts; the object itself is exported from `@clerk/backend/internal` only): an `Authorization` header, a cookie
 * named like one of Clerk's (any suffix, any value, `__client_uat=0` included) or a `__clerk_*` query
 * parameter. A development instance may send even a cookie-less document request to a handshake, so
 * for one the answer is always false. That such a request is signed out, with no handshake, is checked
 * against the installed Clerk by tests/integration/anonymous-pages.test.ts and by
 * tests/unit/signed-out.test.ts, which asks Clerk's own `authenticateRequest`.
 */
import { parseCookie } from 'cookie';
import type { IncomingHttpHeaders } from 'node:http';

export type ClerkInstance = 'production' | 'development';

/** Clerk's cookie names (`constants.Cookies`), each also read with a suffix. */
export const CLERK_COOKIES = [
  '__session',
  '__refresh',
  '__client_uat',
  '__clerk_handshake',
  '__clerk_db_jwt',
  '__clerk_redirect_count',
  '__clerk_handshake_nonce',
] as const;
/** Query parameters Clerk acts on (`constants.QueryParameters`) and its cookie names. */
export const CLERK_QUERY = [
  '__clerk_synced',
  'suffixed_cookies',
  '__clerk_redirect_url',
  '__clerk_db_jwt',
  '__clerk_handshake',
  '__clerk_help',
  '__dev_session',
  '__clerk_hs_reason',
  '__clerk_handshake_nonce',
  'format',
  '__session',
  ...CLERK_COOKIES,
] as const;
const CLIENT_UAT = '__client_uat';

const isClerkName = (name: string, names: readonly string[]) =>
  name.startsWith('__clerk') || names.some((clerk) => name === clerk || name.startsWith(`${clerk}_`));

export interface SessionProbe {
  method: string;
  headers: IncomingHttpHeaders;
  query: URLSearchParams;
}

/** True when the query names a parameter Clerk acts on (a handshake, a sync, a development browser…). */
export function hasClerkQuery(query: URLSearchParams): boolean {
  for (const name of query.keys()) if (isClerkName(name, CLERK_QUERY)) return true;
  return false;
}

/** True when `request` has nothing Clerk's session rules read, on a production instance. */
export function carriesNoClerkSession(request: SessionProbe, instance: ClerkInstance): boolean {
  if (instance !== 'production') return false;
  if (request.headers.authorization !== undefined) return false;
  if (hasClerkQuery(request.query)) return false;
  for (const [name, value] of Object.entries(parseCookie(request.headers.cookie ?? ''))) {
    // `__client_uat=0` is what clerk-js leaves after signing out: a browser with no signed-in client.
    if (value === '0' && (name === CLIENT_UAT || name.startsWith(`${CLIENT_UAT}_`))) continue;
    if (isClerkName(name, CLERK_COOKIES)) return false;
  }
  return true;
}
