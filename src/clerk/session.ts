/**
 * Session verification through Clerk's public Backend SDK, as Clerk documents it for custom servers:
 * one `createClerkClient(...)` per process, `authenticateRequest(request, options)` per request, the
 * handshake redirect when the request state carries a `Location`, and the auth object from `toAuth()`.
 * A signed-in decision is reused, until its token expires, for requests that give Clerk exactly the same
 * inputs (src/clerk/verified-sessions.ts), so a member's page views do not each redo the RSA check.
 * No Clerk internals are imported or patched, so any `@clerk/backend` release in package.json's range
 * works as Clerk ships it.
 */
import { createClerkClient, type ClerkClient } from '@clerk/backend';
import { getSecret } from 'astro:env/server';
import {
  PUBLIC_CLERK_DOMAIN,
  PUBLIC_CLERK_PROXY_URL,
  PUBLIC_CLERK_SIGN_IN_URL,
  PUBLIC_CLERK_SIGN_UP_URL,
} from 'astro:env/client';
import { authorizedParties, clerkConfig } from './server-config';
import { sessionKey, VerifiedSessions } from './verified-sessions';

type AuthenticateRequestOptions = NonNullable<Parameters<ClerkClient['authenticateRequest']>[1]>;
/** Clerk's `RequestState` (its type is exported from @clerk/backend/internal only). */
export type RequestState = Awaited<ReturnType<ClerkClient['authenticateRequest']>>;

/** Clerk's own variable for its Backend API's address (the tests point it at a local stub). */
const apiUrl = getSecret('CLERK_API_URL');

/** The one Backend SDK client of this process, or null when Clerk is not configured (sign-in off). */
export const clerkClient = clerkConfig.enabled
  ? createClerkClient({
      publishableKey: clerkConfig.publishableKey,
      ...(clerkConfig.secretKey ? { secretKey: clerkConfig.secretKey } : {}),
      ...(clerkConfig.jwtKey ? { jwtKey: clerkConfig.jwtKey } : {}),
      ...(apiUrl ? { apiUrl } : {}),
    })
  : null;

/** A Clerk setting read at run time, like the keys (the server may run a build made without it). */
const setting = (name: string, built: string | undefined) => getSecret(name)?.trim() || built || undefined;

const proxyUrl = setting('PUBLIC_CLERK_PROXY_URL', PUBLIC_CLERK_PROXY_URL);
const signInUrl = setting('PUBLIC_CLERK_SIGN_IN_URL', PUBLIC_CLERK_SIGN_IN_URL);
const signUpUrl = setting('PUBLIC_CLERK_SIGN_UP_URL', PUBLIC_CLERK_SIGN_UP_URL);
const domain = setting('PUBLIC_CLERK_DOMAIN', PUBLIC_CLERK_DOMAIN);

/** The options every request is authenticated with: fixed for the life of the process. */
const options: AuthenticateRequestOptions = {
  // A token issued on another origin (its `azp`) is signed out (docs/security.md).
  authorizedParties: authorizedParties.origins,
  // Session tokens only: an API key or OAuth token in `Authorization` is no reader's session.
  acceptsToken: 'session_token',
  ...(signInUrl ? { signInUrl } : {}),
  ...(signUpUrl ? { signUpUrl } : {}),
  ...(domain ? { domain } : {}),
};

/** A relative proxy URL (e.g. `/__clerk`) is resolved against the request's own origin, as Clerk's SDKs do. */
const relativeProxy = proxyUrl !== undefined && !/^https?:\/\//i.test(proxyUrl);

/** Signed-in decisions Clerk made for this process, reused for requests with the same inputs until the token expires. */
const verified = new VerifiedSessions<RequestState>();

/**
 * The decision `authenticateRequest` returned for a request with exactly the same inputs, while its
 * token is still valid (src/clerk/verified-sessions.ts), without calling Clerk; undefined otherwise.
 */
export function rememberedDecision(request: Request): RequestState | undefined {
  return verified.get(sessionKey(request));
}

/**
 * Clerk's decision for one request (signed in, signed out, or a handshake to send the reader to): the one
 * `authenticateRequest` returned for a request with exactly the same inputs while its token is still
 * valid (src/clerk/verified-sessions.ts), or Clerk's answer now.
 */
export async function authenticate(request: Request): Promise<RequestState> {
  if (!clerkClient) throw new Error('Clerk is not configured');
  const key = sessionKey(request);
  const known = verified.get(key);
  if (known) return known;
  const proxy = proxyUrl && (relativeProxy ? new URL(proxyUrl, request.url).toString() : proxyUrl);
  const state = await clerkClient.authenticateRequest(request, proxy ? { ...options, proxyUrl: proxy } : options);
  verified.remember(key, state);
  return state;
}

/**
 * The response for a request state that sends the reader elsewhere (Clerk's handshake, or its return
 * trip), with Clerk's headers (Location, Set-Cookie) and its `x-clerk-auth-*` status headers, as
 * @clerk/astro's middleware answers it; null when the page should render.
 */
export function redirectFor(state: RequestState): Response | null {
  if (!state.headers.get('location')) {
    // A handshake Clerk cannot send anywhere is not a session: the caller renders signed out.
    return null;
  }
  const response = new Response(null, { status: 307, headers: state.headers });
  decorateWithStatus(response.headers, state);
  return response;
}

/** Clerk's observability headers (`x-clerk-auth-status`, `-reason`, `-message`). */
export function decorateWithStatus(headers: Headers, state: RequestState): void {
  if (state.message) headers.set('x-clerk-auth-message', encodeURIComponent(state.message));
  if (state.reason) headers.set('x-clerk-auth-reason', encodeURIComponent(state.reason));
  if (state.status) headers.set('x-clerk-auth-status', encodeURIComponent(state.status));
}
