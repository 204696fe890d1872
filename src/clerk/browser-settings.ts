/**
 * The public Clerk settings a browser needs before it can load Clerk (src/clerk/ClerkIsland.tsx).
 *
 * Where they come from, first match wins:
 * 1. server-rendered pages: the values the server inlined (`__GATEPOST_CLERK__`, ClerkClientConfig.astro);
 * 2. a publishable key baked in at build time;
 * 3. static pages built without keys: the server's `/api/clerk-config.json`, so keys are run-time
 *    configuration and a site built before Clerk was set up still works once the server has keys.
 */
// Type only: the same shape the server sends (nothing of the server module reaches the browser).
import type { ClientClerkSettings } from './client-settings';
import { PATHS, routeBase } from '../site/paths';
import {
  PUBLIC_CLERK_DOMAIN,
  PUBLIC_CLERK_PROXY_URL,
  PUBLIC_CLERK_PUBLISHABLE_KEY,
  PUBLIC_CLERK_SIGN_IN_URL,
  PUBLIC_CLERK_SIGN_UP_URL,
} from 'astro:env/client';

/** What `<ClerkProvider>` is given: only props Clerk documents for `@clerk/react`. */
export interface ClerkProviderSettings {
  publishableKey: string;
  signInUrl: string;
  signUpUrl: string;
  proxyUrl?: string;
  domain?: string;
}

export type BrowserSettings = { enabled: true; provider: ClerkProviderSettings } | { enabled: false };

let settings: Promise<BrowserSettings> | undefined;

async function serverSettings(): Promise<ClientClerkSettings> {
  const inline = document.getElementById('__GATEPOST_CLERK__')?.textContent;
  if (inline) {
    try {
      return JSON.parse(inline) as ClientClerkSettings;
    } catch {
      // fall through to the other sources
    }
  }
  const built = PUBLIC_CLERK_PUBLISHABLE_KEY;
  if (built) {
    // Everything the server would have sent that was also fixed at build time, not just the key
    // (a proxy or custom domain must not be dropped on static pages).
    const optional = { proxyUrl: PUBLIC_CLERK_PROXY_URL, domain: PUBLIC_CLERK_DOMAIN };
    return {
      enabled: true,
      publishableKey: built,
      ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value)),
    };
  }
  const response = await fetch(PATHS.clerkConfig, { credentials: 'same-origin' });
  if (!response.ok) return { enabled: false };
  return (await response.json()) as ClientClerkSettings;
}

async function resolve(): Promise<BrowserSettings> {
  const config = await serverSettings();
  if (!config.enabled || !config.publishableKey) return { enabled: false };
  const provider: ClerkProviderSettings = {
    publishableKey: config.publishableKey,
    signInUrl: config.signInUrl ?? PUBLIC_CLERK_SIGN_IN_URL ?? routeBase(PATHS.signIn),
    signUpUrl: config.signUpUrl ?? PUBLIC_CLERK_SIGN_UP_URL ?? routeBase(PATHS.signUp),
  };
  if (config.proxyUrl) provider.proxyUrl = config.proxyUrl;
  if (config.domain) provider.domain = config.domain;
  return { enabled: true, provider };
}

/**
 * Resolved once per page and shared by its islands. Rejects when the server's settings cannot be
 * fetched (offline): the islands then say Clerk could not be loaded, and a later call asks again.
 */
export function browserClerkSettings(): Promise<BrowserSettings> {
  settings ??= resolve().catch((error: unknown) => {
    settings = undefined;
    throw error;
  });
  return settings;
}
