/**
 * Client-side Clerk settings for static pages. Static HTML is built once and cannot carry run-time
 * configuration, so a static page whose reader has a Clerk session asks here before loading Clerk.
 * Only public values (the publishable key, public URLs). Server-rendered pages get the same values
 * inlined by Clerk's middleware and never call this.
 */
import type { APIRoute } from 'astro';
import { clerkConfig } from '../../lib/auth/server-config';

export const prerender = false;

// Build-time values, listed statically: a dynamic import.meta.env[name] would make Astro inline
// private variables into the server build.
const BUILT: Record<string, string | undefined> = {
  PUBLIC_CLERK_SIGN_IN_URL: import.meta.env.PUBLIC_CLERK_SIGN_IN_URL,
  PUBLIC_CLERK_SIGN_UP_URL: import.meta.env.PUBLIC_CLERK_SIGN_UP_URL,
  PUBLIC_CLERK_PROXY_URL: import.meta.env.PUBLIC_CLERK_PROXY_URL,
  PUBLIC_CLERK_DOMAIN: import.meta.env.PUBLIC_CLERK_DOMAIN,
  PUBLIC_CLERK_JS_URL: import.meta.env.PUBLIC_CLERK_JS_URL,
  PUBLIC_CLERK_UI_URL: import.meta.env.PUBLIC_CLERK_UI_URL,
};

const publicSetting = (name: keyof typeof BUILT & string) => process.env[name] || BUILT[name] || undefined;

export const GET: APIRoute = () => {
  const body = clerkConfig.enabled
    ? {
        enabled: true,
        publishableKey: clerkConfig.publishableKey,
        signInUrl: publicSetting('PUBLIC_CLERK_SIGN_IN_URL'),
        signUpUrl: publicSetting('PUBLIC_CLERK_SIGN_UP_URL'),
        proxyUrl: publicSetting('PUBLIC_CLERK_PROXY_URL'),
        domain: publicSetting('PUBLIC_CLERK_DOMAIN'),
        clerkJSUrl: publicSetting('PUBLIC_CLERK_JS_URL'),
        clerkUIUrl: publicSetting('PUBLIC_CLERK_UI_URL'),
      }
    : { enabled: false };
  return Response.json(body);
};
