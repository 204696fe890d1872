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
 * Pages read the reader through `viewerFromLocals()` and decide with `decideAccess()`.
 */
import { clerkMiddleware } from '@clerk/astro/server';
import { defineMiddleware, sequence } from 'astro:middleware';
import { clerkConfig, reportClerkConfig } from './lib/auth/server-config';

reportClerkConfig();

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

export const onRequest = sequence(privateNoStore, session);
