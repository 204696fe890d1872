/**
 * The server's Clerk configuration, resolved once from the environment when the server starts.
 * Shared by the middleware and the account pages so they always agree on whether sign-in is on.
 */
import { PUBLIC_CLERK_PUBLISHABLE_KEY } from 'astro:env/client';
import { CLERK_JWT_KEY, CLERK_SECRET_KEY, getSecret } from 'astro:env/server';
import { resolveClerkConfig } from './config';

export const clerkConfig = resolveClerkConfig({
  // Read at run time first, so a server can be pointed at another Clerk instance without rebuilding
  // the server code (static pages still carry the publishable key they were built with).
  PUBLIC_CLERK_PUBLISHABLE_KEY: getSecret('PUBLIC_CLERK_PUBLISHABLE_KEY') ?? PUBLIC_CLERK_PUBLISHABLE_KEY,
  CLERK_SECRET_KEY,
  CLERK_JWT_KEY,
});

let reported = false;

/** Logs the configuration problem or warnings once per process. */
export function reportClerkConfig(): void {
  if (reported) return;
  reported = true;
  // A key that is set but unusable is an operator error; no keys at all is a valid way to run the site.
  if (!clerkConfig.enabled) {
    if (/malformed/.test(clerkConfig.reason))
      console.error(`[gatepost] error: ${clerkConfig.reason} Sign-in is off until it is fixed.`);
    else console.warn(`[gatepost] ${clerkConfig.reason}`);
  } else for (const warning of clerkConfig.warnings) console.warn(`[gatepost] ${warning}`);
}
