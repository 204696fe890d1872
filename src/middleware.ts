/**
 * Request pipeline for server-rendered routes. (Prerendered pages pass through only while `astro build`
 * renders them: each step below lets them through untouched.)
 *
 * 1. `privateNoStore`: every server-rendered response depends on who is asking, so none may be kept by
 *    a shared cache; the one exception is search results for a reader without a session
 *    (`serverRenderedCachePolicy` in src/security/headers.ts).
 * 2. Clerk's own `clerkMiddleware` verifies the session (signature, expiry, not-before, `__client_uat`
 *    rules, handshake redirects, `azp` against the site's own origins) and sets `locals.auth`. With CLERK_JWT_KEY it verifies without any
 *    network call. Without usable keys it is skipped entirely and every reader is anonymous, instead of
 *    @clerk/astro's default of failing every server-rendered request with a 500.
 *
 * 3. `noClerkInjection`: Clerk's middleware rewrites every HTML response whose content type is exactly
 *    `text/html` to inject clerk-js, Clerk's UI and the session claims into the page, for every reader,
 *    signed in or not. Gatepost loads Clerk's browser code itself, only when needed
 *    (src/clerk/loader.ts, with the settings from `ClerkClientConfig.astro`), so pages are
 *    labelled `text/html; charset=utf-8`, which Clerk leaves alone. If Clerk ever matched that too, the
 *    only effect would be the injected scripts coming back: nothing about access depends on it.
 *
 * 4. `setViewer` (src/gate/locals.ts): reads the reader once and sets `locals.viewer`. Pages decide with
 *    `decideAccess(locals.viewer, …)`.
 *
 * 5. `provideMembers` (src/members/locals.ts): `locals.members`, the store the server passed in.
 */
import { clerkMiddleware } from '@clerk/astro/server';
import { GATEPOST_AUTH_TIMEOUT_MS } from 'astro:env/server';
import { defineMiddleware, sequence } from 'astro:middleware';
import { authorizedParties, clerkConfig, reportClerkConfig } from './clerk/server-config';
import { setViewer } from './gate/locals';
import { provideMembers } from './members/locals';
import type { Viewer } from './gate/viewer';
import { serverRenderedCachePolicy } from './security/headers';

const privateNoStore = defineMiddleware(async (context, next) => {
  // The production server reports at start-up (its /readyz call); `astro dev` on the first request.
  if (!context.isPrerendered) reportClerkConfig();
  const response = await next();
  if (!context.isPrerendered) {
    // Set by the viewer step further down, unless a step before it answered (e.g. Clerk's handshake).
    const viewer = context.locals.viewer as Viewer | undefined;
    const anonymous = viewer?.kind === 'anonymous' && !context.locals.gatepostAuthFailed;
    const cacheControl = serverRenderedCachePolicy(response.headers.get('cache-control'), {
      anonymous,
      setsCookie: response.headers.has('set-cookie'),
    });
    response.headers.set('Cache-Control', cacheControl);
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

// The keys as checked (trimmed) by resolveClerkConfig, not Clerk's own unchecked read of the environment.
const clerk = clerkConfig.enabled
  ? clerkMiddleware({
      publishableKey: clerkConfig.publishableKey,
      ...(clerkConfig.secretKey ? { secretKey: clerkConfig.secretKey } : {}),
      ...(clerkConfig.jwtKey ? { jwtKey: clerkConfig.jwtKey } : {}),
      // A token issued on another origin (its `azp`), or naming none, is signed out (docs/security.md).
      authorizedParties: authorizedParties.origins,
    })
  : null;

const session = defineMiddleware(async (context, next) => {
  if (!clerk || context.isPrerendered) return next();
  // Clerk's middleware calls `next()` once the session is verified. If it has not by the deadline, this
  // takes over as signed out, and a late call from Clerk can no longer render anything.
  const state: { owner: 'none' | 'clerk' | 'timeout' } = { owner: 'none' };
  const clerkNext: typeof next = (...args) => {
    if (state.owner === 'timeout') return Promise.resolve(new Response(null, { status: 503 }));
    state.owner = 'clerk';
    return next(...args);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), AUTH_TIMEOUT_MS);
  });
  try {
    const verified = Promise.resolve(clerk(context, clerkNext));
    const first = await Promise.race([verified, deadline]);
    if (first !== 'timeout') return first as Response;
    if (state.owner === 'clerk') return (await verified) as Response;
    state.owner = 'timeout';
    verified.catch(() => undefined);
    console.warn(
      `[gatepost] session check took over ${AUTH_TIMEOUT_MS} ms; serving ${context.url.pathname} as signed out`,
    );
    context.locals.gatepostAuthFailed = true;
    return next();
  } catch (error) {
    // Clerk threw before rendering (e.g. a malformed request it cannot parse): signed out, not a 500.
    if (state.owner !== 'none') throw error;
    state.owner = 'timeout';
    console.warn(`[gatepost] session check failed (${(error as Error).message}); serving as signed out`);
    context.locals.gatepostAuthFailed = true;
    return next();
  } finally {
    clearTimeout(timer);
  }
});

const noClerkInjection = defineMiddleware(async (_context, next) => {
  const response = await next();
  if (response.headers.get('content-type') === 'text/html') {
    response.headers.set('content-type', 'text/html; charset=utf-8');
  }
  return response;
});

export const onRequest = sequence(privateNoStore, session, noClerkInjection, setViewer, provideMembers);
