/**
 * Client-side Clerk settings for static pages. Static HTML is built once and cannot carry run-time
 * configuration, so a static page whose reader has a Clerk session asks here before loading Clerk.
 * Only public values (the publishable key, public URLs). Server-rendered pages carry the same values
 * inline (ClerkClientConfig.astro) and never call this.
 */
import type { APIRoute } from 'astro';
import { clientClerkSettings } from '../../clerk/client-settings';

export const prerender = false;

export const GET: APIRoute = () => Response.json(clientClerkSettings());
