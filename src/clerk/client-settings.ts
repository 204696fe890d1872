/** Public Clerk settings for browsers (never a secret): the publishable key and public URLs. */
import * as BUILT from 'astro:env/client';
import { getSecret } from 'astro:env/server';
import { clerkConfig } from './server-config';

type Setting =
  'PUBLIC_CLERK_SIGN_IN_URL' | 'PUBLIC_CLERK_SIGN_UP_URL' | 'PUBLIC_CLERK_PROXY_URL' | 'PUBLIC_CLERK_DOMAIN';

/** The value in the server's environment now, else the one the site was built with. */
const setting = (name: Setting) => getSecret(name) || BUILT[name] || undefined;

export interface ClientClerkSettings {
  enabled: boolean;
  publishableKey?: string;
  signInUrl?: string;
  signUpUrl?: string;
  proxyUrl?: string;
  domain?: string;
}

let cached: ClientClerkSettings | undefined;

/** Computed once: like the server's Clerk configuration, these are fixed for the life of the process. */
export function clientClerkSettings(): ClientClerkSettings {
  cached ??= resolveSettings();
  return cached;
}

function resolveSettings(): ClientClerkSettings {
  if (!clerkConfig.enabled) return { enabled: false };
  const optional = {
    signInUrl: setting('PUBLIC_CLERK_SIGN_IN_URL'),
    signUpUrl: setting('PUBLIC_CLERK_SIGN_UP_URL'),
    proxyUrl: setting('PUBLIC_CLERK_PROXY_URL'),
    domain: setting('PUBLIC_CLERK_DOMAIN'),
  };
  return {
    enabled: true,
    publishableKey: clerkConfig.publishableKey,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value)),
  };
}

/**
 * Origins the browser contacts for Clerk (for the Content-Security-Policy). A relative setting (e.g.
 * PUBLIC_CLERK_PROXY_URL=/__clerk, as the local stand-in uses) is this site's own origin, which the
 * policy already allows as 'self', so it adds nothing here.
 */
export function clerkOrigins(frontendApiHost: string | null): string[] {
  const settings = clientClerkSettings();
  const urls = [frontendApiHost ? `https://${frontendApiHost}` : undefined, settings.proxyUrl];
  return urls.flatMap((url) => {
    if (!url) return [];
    try {
      return [new URL(url).origin];
    } catch {
      return [];
    }
  });
}
