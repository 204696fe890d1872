/**
 * Request pipeline for server-rendered routes (prerendered pages never pass through here).
 *
 * 1. `privateNoStore`: every server-rendered response depends on who is asking, so none may be kept by
 *    a shared cache.
 * 2. Clerk's own `clerkMiddleware` verifies the session (signature, expiry, not-before, `__client_uat`
 *    rules, handshake redirects) and sets `locals.auth`. With CLERK_JWT_KEY it verifies without any
 *    network call. Without usable keys it is skipped entirely and every reader is anonymous, instead of
 *    @clerk/astro's default of failing every server-rendered request with a 500.
 *
 * 3. `noClerkInjection`: Clerk's middleware rewrites every HTML response whose content type is exactly
 *    `text/html` to inject clerk-js, Clerk's UI and the session claims into the page, for every reader,
 *    signed in or not. Gatepost loads Clerk's browser code itself, only when needed
 *    (src/lib/client/clerk-loader.ts, with the settings from `ClerkClientConfig.astro`), so pages are
 *    labelled `text/html; charset=utf-8`, which Clerk leaves alone. If Clerk ever matched that too, the
 *    only effect would be the injected scripts coming back: nothing about access depends on it.
 *
 * Pages read the reader through `viewerFromLocals()` and decide with `decideAccess()`.
 */
import { clerkMiddleware } from '@clerk/astro/server';
import { defineMiddleware, sequence } from 'astro:middleware';
import { clerkOrigins } from './lib/auth/client-settings';
import { frontendApiFromPublishableKey } from './lib/auth/clerk-config';
import { clerkConfig, reportClerkConfig } from './lib/auth/server-config';
import { installSecurityHeaders, readScriptHashes } from './lib/security/install';

reportClerkConfig();

// Security headers and cache classes for every response of the production server, static files included.
if (import.meta.env.PROD) {
  installSecurityHeaders(
    clerkConfig.enabled ? clerkOrigins(frontendApiFromPublishableKey(clerkConfig.publishableKey)) : [],
    readScriptHashes(import.meta.url),
  );
}

const privateNoStore = defineMiddleware(async (context, next) => {
  const response = await next();
  if (!context.isPrerendered) {
    response.headers.set('Cache-Control', 'private, no-store');
    response.headers.append('Vary', 'Cookie');
  }
  return response;
});

const session = clerkConfig.enabled
  ? clerkMiddleware({ ...(clerkConfig.jwtKey ? { jwtKey: clerkConfig.jwtKey } : {}) })
  : defineMiddleware((_context, next) => next());

const noClerkInjection = defineMiddleware(async (_context, next) => {
  const response = await next();
  if (response.headers.get('content-type') === 'text/html') {
    response.headers.set('content-type', 'text/html; charset=utf-8');
  }
  return response;
});

export const onRequest = sequence(privateNoStore, session, noClerkInjection);
