/**
 * Loads Clerk's browser code on demand (see src/integrations/clerk-on-demand.ts for why it is not on
 * every page). Runs Clerk's own `runInjectionScript`, exactly what @clerk/astro's injected script runs,
 * so Clerk's React components (`@clerk/astro/react`) work as documented once it resolves.
 */
import { runInjectionScript } from '@clerk/astro/internal';

let loading: Promise<boolean> | undefined;

/** The publishable key: from the server (SSR pages) or baked in at build time (static pages). */
export function publishableKey(): string | undefined {
  const safeVars = document.getElementById('__CLERK_ASTRO_SAFE_VARS__')?.textContent;
  if (safeVars) {
    try {
      const key = (JSON.parse(safeVars) as { publishableKey?: string }).publishableKey;
      if (key) return key;
    } catch {
      // fall through to the build-time key
    }
  }
  return import.meta.env.PUBLIC_CLERK_PUBLISHABLE_KEY || undefined;
}

/**
 * True when Clerk's client cookie says this browser has signed in (`__client_uat` is a non-zero time).
 * Only a hint for what to show first: the server verifies the session itself, Clerk's UI shows the truth.
 */
export function hasClerkSession(cookies: string = document.cookie): boolean {
  return cookies.split(/;\s*/).some((pair) => {
    const [name, value] = pair.split('=');
    return !!name && /^__client_uat(_[A-Za-z0-9-]+)?$/.test(name) && !!value && value !== '0';
  });
}

export function loadClerk(): Promise<boolean> {
  if (!publishableKey()) return Promise.resolve(false);
  loading ??= runInjectionScript({
    signInUrl: import.meta.env.PUBLIC_CLERK_SIGN_IN_URL,
    signUpUrl: import.meta.env.PUBLIC_CLERK_SIGN_UP_URL,
    sdkMetadata: { name: '@clerk/astro', version: '4', environment: import.meta.env.MODE },
  } as Parameters<typeof runInjectionScript>[0]).then(
    () => (window as { Clerk?: { loaded?: boolean } }).Clerk?.loaded === true,
    (error: unknown) => {
      console.warn('[gatepost] Clerk could not be loaded:', error);
      return false;
    },
  );
  return loading;
}
