/**
 * Whether a page offers readers a way to sign in (the header's "Sign in", the paywall's buttons, the
 * pricing page's "Create a free account"). Nothing on a page may promise a sign-in that does not exist.
 *
 * - Server-rendered pages know: the server's Clerk configuration (./server-config.ts).
 * - Prerendered pages were made before the server started. A build that saw a publishable key (or the
 *   local demo's build, whose keys the stand-in makes when it starts) offers sign-in; any other leaves it
 *   to the browser, which asks the server once (src/clerk/directive.ts) before showing "Sign in".
 */
import { PUBLIC_CLERK_PUBLISHABLE_KEY, PUBLIC_GATEPOST_DEMO_SIGNIN } from 'astro:env/client';
import { clerkConfig } from './server-config';

/** What prerendered pages know at build time: sign-in is on, or unknown (undefined). */
export const STATIC_SIGN_IN: true | undefined =
  Boolean(PUBLIC_CLERK_PUBLISHABLE_KEY) || PUBLIC_GATEPOST_DEMO_SIGNIN ? true : undefined;

/** Whether a server-rendered page offers sign-in. */
export function signInOffered(): boolean {
  return clerkConfig.enabled;
}
