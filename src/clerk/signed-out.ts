/**
 * Whether a request carries no Clerk session state at all, so that Clerk's `authenticateRequest` can
 * only decide "signed out", without a handshake and without looking at a token. The server serves such
 * readers a gated page rendered once for all of them (src/server/anonymous-pages.ts).
 *
 * Clerk's rules, as @clerk/backend applies them on a primary domain (Gatepost configures no satellite):
 * - a token in the `Authorization` header is verified whatever the cookies say;
 * - handshake parameters (`__clerk_handshake`, `__clerk_handshake_nonce`, as query or cookie) resolve a
 *   handshake; development instances also act on `__clerk_db_jwt`, `__clerk_redirect_url` and
 *   `__clerk_synced` in the query;
 * - `__session` (or `__session_<suffix>`) holds the session token; `__client_uat` (or a suffixed one)
 *   says whether the browser has a signed-in client: Clerk reads it as `parseInt(value) || 0`, and with
 *   no session token and a client_uat of 0 it decides "signed out"
 *   (`AuthErrorReason.SessionTokenAndUATMissing`);
 * - a development instance without a dev-browser token sends a document request to a handshake.
 * This is stricter than Clerk where it is cheap to be: a session or client_uat cookie of any suffix
 * counts, not only the instance's own.
 *
 * Pinned against Clerk's own decision by tests/integration/anonymous-pages.test.ts.
 */
import { parseCookie } from 'cookie';
import type { IncomingHttpHeaders } from 'node:http';

export type ClerkInstance = 'production' | 'development';

/** Query parameters Clerk acts on (handshake, multi-domain sync, development browser). */
const CLERK_QUERY = /^(__clerk_|__dev_session$|__session$)/;
/** Cookies that hold a session or start a handshake. */
const SESSION_COOKIE = /^(__session|__clerk_handshake|__clerk_handshake_nonce)(_|$)/;
const CLIENT_UAT_COOKIE = /^__client_uat(_|$)/;

export interface SessionProbe {
  method: string;
  headers: IncomingHttpHeaders;
  query: URLSearchParams;
}

export function carriesNoClerkSession(request: SessionProbe, instance: ClerkInstance): boolean {
  if (request.headers.authorization !== undefined) return false;
  for (const name of request.query.keys()) if (CLERK_QUERY.test(name)) return false;
  // Parsed as Clerk parses it (the `cookie` package: first occurrence of a name wins, values decoded).
  for (const [name, value] of Object.entries(parseCookie(request.headers.cookie ?? ''))) {
    if (SESSION_COOKIE.test(name)) return false;
    if (CLIENT_UAT_COOKIE.test(name) && (Number.parseInt(value ?? '') || 0) !== 0) return false;
  }
  // A development instance hands a document request without a dev-browser token to a handshake; only
  // requests that Clerk does not consider for one stay signed out.
  return instance === 'production' || !eligibleForHandshake(request);
}

/** Clerk's `isRequestEligibleForHandshake`: probably a request for a document. */
function eligibleForHandshake({ method, headers }: SessionProbe): boolean {
  if (method !== 'GET') return false;
  const dest = headers['sec-fetch-dest'];
  if (dest === 'document' || dest === 'iframe') return true;
  return !dest && (headers.accept ?? '').startsWith('text/html');
}
