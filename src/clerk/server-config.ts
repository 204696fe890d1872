/**
 * The server's Clerk configuration, resolved once from the environment when the server starts.
 * Shared by the middleware and the account pages so they always agree on whether sign-in is on.
 */
import { PUBLIC_CLERK_PUBLISHABLE_KEY } from 'astro:env/client';
import { CLERK_JWT_KEY, CLERK_SECRET_KEY, getSecret } from 'astro:env/server';
import { resolveAuthorizedParties, resolveClerkConfig } from './config';

export const clerkConfig = resolveClerkConfig({
  // Read at run time first, so a server can be pointed at another Clerk instance without rebuilding
  // the server code (static pages still carry the publishable key they were built with).
  PUBLIC_CLERK_PUBLISHABLE_KEY: getSecret('PUBLIC_CLERK_PUBLISHABLE_KEY') ?? PUBLIC_CLERK_PUBLISHABLE_KEY,
  CLERK_SECRET_KEY,
  CLERK_JWT_KEY,
});

/** Read at run time, like the keys: the demo and tests serve one build under different origins. */
export const authorizedParties = resolveAuthorizedParties(
  { SITE_URL: getSecret('SITE_URL'), GATEPOST_AUTHORIZED_ORIGINS: getSecret('GATEPOST_AUTHORIZED_ORIGINS') },
  import.meta.env.SITE ?? 'http://localhost:4321',
);

/** For /readyz: never the keys, only whether they work. */
export function clerkStatus(): 'configured' | 'not configured' | 'misconfigured' {
  if (clerkConfig.enabled) return 'configured';
  return /malformed/.test(clerkConfig.reason) ? 'misconfigured' : 'not configured';
}

let reported = false;

/** Logs the configuration problems or warnings once per process. */
export function reportClerkConfig(): void {
  if (reported) return;
  reported = true;
  // A key that is set but unusable is an operator error; no keys at all is a valid way to run the site.
  if (!clerkConfig.enabled) {
    if (clerkStatus() === 'misconfigured')
      console.error(`[gatepost] error: ${clerkConfig.reason} Sign-in is off until it is fixed.`);
    else console.warn(`[gatepost] ${clerkConfig.reason}`);
  } else for (const warning of clerkConfig.warnings) console.warn(`[gatepost] ${warning}`);
  for (const problem of authorizedParties.problems) console.error(`[gatepost] error: ${problem}`);
}
