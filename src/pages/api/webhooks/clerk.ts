/**
 * POST /api/webhooks/clerk: Clerk's webhooks into the members' store (src/members/webhooks.ts does
 * everything; docs/deploy.md says how to register it in Clerk's dashboard). Without
 * CLERK_WEBHOOK_SIGNING_SECRET the route answers 404. No cookie and no same-origin rule: Clerk's servers
 * call it and each event carries its own signature (POST_ROUTES in src/server/methods.ts).
 */
import type { APIRoute } from 'astro';
import { CLERK_WEBHOOK_SIGNING_SECRET } from 'astro:env/server';
import { receiveClerkWebhook } from '../../../members/webhooks';

export const prerender = false;

export const POST: APIRoute = ({ request, locals }) =>
  receiveClerkWebhook(request, { signingSecret: CLERK_WEBHOOK_SIGNING_SECRET?.trim(), store: locals.members });
