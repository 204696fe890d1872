/**
 * Request pipeline for server-rendered routes. (Prerendered pages pass through only while `astro build`
 * renders them: each step below lets them through untouched.)
 *
 * 1. `privateNoStore`: every server-rendered response depends on who is asking, so none may be kept by
 *    a shared cache; the one exception is search results for a reader without a session. The header
 *    comes from the one cache policy (`cacheControl` in src/security/headers.ts) and the class the page
 *    declared in `locals.cacheClass`, never from a header the page wrote.
 * 2. `session`: Clerk's Backend SDK verifies the session (src/clerk/session.ts: signature, expiry,
 *    not-before, `__client_uat` rules, handshake redirects, `azp` against the site's own origins) and
 *    `locals.auth` is Clerk's `toAuth()`. With CLERK_JWT_KEY it verifies without any network call.
 *    Without usable keys it is skipped entirely and every reader is anonymous.
 *
 * 3. `setViewer` (src/gate/locals.ts): reads the reader once and sets `locals.viewer`. Pages decide with
 *    `decideAccess(locals.viewer, …)`.
 *
 * 4. `provideMembers` (src/members/locals.ts): `locals.members`, the store the server passed in.
 *
 * 5. `startAutoSends` (src/newsletters/auto.ts): starts, once per process, the check that queues articles
 *    whose frontmatter names a newsletter.
 *
 * Social cards (`isCardRoute`, src/site/paths.ts) skip all of that: an image drawn from public facts is
 * the same for every reader, so it gets no session check, no viewer (reading one throws) and the shared
 * `card` cache class.
 */
import { GATEPOST_AUTH_TIMEOUT_MS } from 'astro:env/server';
import { defineMiddleware, sequence } from 'astro:middleware';
import { reportClerkConfig } from './clerk/server-config';
import { authenticate, clerkClient, redirectFor, rememberedDecision, type RequestState } from './clerk/session';
import { forbidViewer, setViewer } from './gate/locals';
import { provideMembers } from './members/locals';
import { startAutoSends } from './newsletters/auto';
import type { Viewer } from './gate/viewer';
import { cacheControl } from './security/headers';
import { isCardRoute, loggedPath } from './site/paths';

const privateNoStore = defineMiddleware(async (context, next) => {
  // The production server reports at start-up (its /readyz call); `astro dev` on the first request.
  if (!context.isPrerendered) reportClerkConfig();
  const response = await next();
  if (!context.isPrerendered) {
    // Set by the viewer step further down, unless a step before it answered (e.g. Clerk's handshake).
    const viewer = context.locals.viewer as Viewer | undefined;
    const anonymous = viewer?.kind === 'anonymous' && !context.locals.gatepostAuthFailed;
    const rendered = { anonymous, setsCookie: response.headers.has('set-cookie') };
    response.headers.set(
      'Cache-Control',
      cacheControl(context.locals.cacheClass, { path: context.url.pathname, status: response.status, rendered }),
    );
    response.headers.append('Vary', 'Cookie');
  }
  return response;
});

/**
 * How long a session check may take before the reader is treated as signed out. With CLERK_JWT_KEY it
 * needs no network; without it, Clerk fetches its keys and retries for seconds when its API is
 * unreachable, and could wait much longer on one that accepts connections and never answers.
 * Failing closed after this bound keeps every page answering: readers see the preview and paywall.
 */
export const AUTH_TIMEOUT_MS = Number(GATEPOST_AUTH_TIMEOUT_MS ?? 4000);

/** Clerk's decision for the request, or null when the check failed or took too long (signed out). */
async function verifyInTime(request: Request, path: string): Promise<RequestState | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), AUTH_TIMEOUT_MS);
  });
  const verifying = authenticate(request);
  try {
    const first = await Promise.race([verifying, deadline]);
    if (first !== 'timeout') return first;
    verifying.catch(() => undefined);
    console.warn(`[gatepost] session check took over ${AUTH_TIMEOUT_MS} ms; serving ${loggedPath(path)} as signed out`);
    return null;
  } catch (error) {
    // Clerk threw (e.g. a malformed request it cannot parse): signed out, not a 500.
    console.warn(`[gatepost] session check failed (${(error as Error).message}); serving as signed out`);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

const session = defineMiddleware(async (context, next) => {
  if (!clerkClient || context.isPrerendered) return next();
  // A decision Clerk already made for these exact inputs needs no timed check.
  const state = rememberedDecision(context.request) ?? (await verifyInTime(context.request, context.url.pathname));
  if (!state) {
    context.locals.gatepostAuthFailed = true;
    return next();
  }
  const redirect = redirectFor(state);
  if (redirect) return redirect;
  if (state.status === 'handshake') {
    // A handshake Clerk gave no address for: nobody to send the reader to, so signed out.
    context.locals.gatepostAuthFailed = true;
    return next();
  }
  let auth: ReturnType<typeof state.toAuth> | undefined;
  // Typed by @clerk/astro's Locals, whose auth object also has clerkMiddleware's `redirectToSignIn`;
  // Gatepost reads it only through the viewer step (src/gate/locals.ts), which never calls that.
  context.locals.auth = (() => (auth ??= state.toAuth())) as unknown as App.Locals['auth'];
  const response = await next();
  // Clerk's headers for this state (e.g. `x-clerk-auth-status: signed-out` and its reason).
  state.headers.forEach((value, name) => response.headers.append(name, value));
  return response;
});

const pageSteps = sequence(privateNoStore, session, setViewer, provideMembers, startAutoSends);

const cardSteps = defineMiddleware(async (context, next) => {
  forbidViewer(context.locals, `serving the social card ${context.url.pathname}`);
  const response = await next();
  response.headers.set('Cache-Control', cacheControl('card', { path: context.url.pathname, status: response.status }));
  return response;
});

export const onRequest = defineMiddleware((context, next) =>
  !context.isPrerendered && isCardRoute(context.routePattern) ? cardSteps(context, next) : pageSteps(context, next),
);
