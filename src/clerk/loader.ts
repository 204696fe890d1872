/**
 * Loads Clerk's browser code on demand (see src/clerk/on-demand.ts for why it is not on
 * every page). Runs Clerk's own `runInjectionScript`, exactly what @clerk/astro's injected script runs,
 * so Clerk's React components (`@clerk/astro/react`) work as documented once it resolves.
 *
 * Where the settings come from, first match wins:
 * 1. server-rendered pages: the values the server inlined (`__GATEPOST_CLERK__`, ClerkClientConfig.astro);
 * 2. a publishable key baked in at build time;
 * 3. static pages built without keys: the server's `/api/clerk-config.json`, so keys are run-time
 *    configuration and a site built before Clerk was set up still works once the server has keys.
 */
import { runInjectionScript } from '@clerk/astro/internal';
// Type only: the same shape the server sends (nothing of the server module reaches the browser).
import type { ClientClerkSettings as ClientConfig } from './client-settings';
import { PATHS } from '../site/paths';
import {
  PUBLIC_CLERK_DOMAIN,
  PUBLIC_CLERK_JS_URL,
  PUBLIC_CLERK_PROXY_URL,
  PUBLIC_CLERK_PUBLISHABLE_KEY,
  PUBLIC_CLERK_SIGN_IN_URL,
  PUBLIC_CLERK_SIGN_UP_URL,
  PUBLIC_CLERK_UI_URL,
} from 'astro:env/client';

type InjectionParams = NonNullable<Parameters<typeof runInjectionScript>[0]>;

export type ClerkLoadResult = 'ready' | 'disabled' | 'failed';

let loading: Promise<ClerkLoadResult> | undefined;

async function clientConfig(): Promise<ClientConfig> {
  const inline = document.getElementById('__GATEPOST_CLERK__')?.textContent;
  if (inline) {
    try {
      return JSON.parse(inline) as ClientConfig;
    } catch {
      // fall through to the other sources
    }
  }
  const built = PUBLIC_CLERK_PUBLISHABLE_KEY;
  if (built) {
    // Everything the server would have sent that was also fixed at build time, not just the key
    // (a proxy or custom domain must not be dropped on static pages).
    const optional = {
      proxyUrl: PUBLIC_CLERK_PROXY_URL,
      domain: PUBLIC_CLERK_DOMAIN,
      clerkJSUrl: PUBLIC_CLERK_JS_URL,
      clerkUIUrl: PUBLIC_CLERK_UI_URL,
    };
    return {
      enabled: true,
      publishableKey: built,
      ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value)),
    };
  }
  const response = await fetch(PATHS.clerkConfig, { credentials: 'same-origin' });
  if (!response.ok) return { enabled: false };
  return (await response.json()) as ClientConfig;
}

async function load(): Promise<ClerkLoadResult> {
  const config = await clientConfig();
  if (!config.enabled || !config.publishableKey) return 'disabled';
  const params: Record<string, unknown> = {
    publishableKey: config.publishableKey,
    signInUrl: config.signInUrl ?? PUBLIC_CLERK_SIGN_IN_URL,
    signUpUrl: config.signUpUrl ?? PUBLIC_CLERK_SIGN_UP_URL,
    sdkMetadata: { name: '@clerk/astro', version: '4', environment: import.meta.env.MODE },
  };
  if (config.proxyUrl) params.proxyUrl = config.proxyUrl;
  if (config.domain) params.domain = config.domain;
  if (config.clerkJSUrl) params.__internal_clerkJSUrl = config.clerkJSUrl;
  if (config.clerkUIUrl) params.__internal_clerkUIUrl = config.clerkUIUrl;
  await runInjectionScript(params as InjectionParams);
  return (window as { Clerk?: { loaded?: boolean } }).Clerk?.loaded === true ? 'ready' : 'failed';
}

export function loadClerk(): Promise<ClerkLoadResult> {
  loading ??= load().catch((error: unknown): ClerkLoadResult => {
    console.warn('[gatepost] Clerk could not be loaded:', error);
    return 'failed';
  });
  return loading;
}
