/**
 * GET /readyz (injected by ./integration.ts): ready once the articles are loaded; says whether Clerk is
 * configured (and, when it is not, why: the same line the server logs at start), which public origins its
 * browser code uses (the server's Content-Security-Policy allows those), whether its instance is a
 * production or a development one, never a key, whether Clerk Billing's plans were read, and which members'
 * store the server uses and whether it answers. A store that is down does not make the site unready:
 * articles do not need it. No auth, never cached. The server asks it once at start-up (./main.ts), which is
 * when Billing's plans are read.
 */
import type { APIRoute } from 'astro';
import { getCollection } from 'astro:content';
import { frontendApiFromPublishableKey, instanceFromPublishableKey } from '../clerk/config';
import { clerkOrigins } from '../clerk/client-settings';
import { billingPlansState, firstBillingPlansRead } from '../clerk/billing-plans';
import { clerkConfig, clerkStatus, reportClerkConfig } from '../clerk/server-config';

export const prerender = false;

export const GET: APIRoute = async ({ locals }) => {
  reportClerkConfig();
  const [articles, store] = await Promise.all([
    getCollection('articles').then((all) => all.length),
    locals.members ? locals.members.status() : null,
    firstBillingPlansRead(),
  ]);
  const ready = articles > 0;
  return Response.json(
    {
      status: ready ? 'ready' : 'no content loaded',
      articles,
      clerk: clerkStatus(),
      // For the operator: what readers are not told (sign-in is simply absent for them).
      ...(clerkConfig.enabled ? {} : { clerkMessage: clerkConfig.reason }),
      clerkOrigins: clerkConfig.enabled ? clerkOrigins(frontendApiFromPublishableKey(clerkConfig.publishableKey)) : [],
      // Which of Clerk's session rules apply (src/clerk/signed-out.ts); null: every reader is signed out.
      clerkInstance: clerkConfig.enabled ? instanceFromPublishableKey(clerkConfig.publishableKey) : null,
      billingPlans: billingPlansState(),
      // Kind and whether it answers; never where it is or how to log in.
      store: store ?? { kind: null, reachable: false },
    },
    // Private, no-store, as every rendered response (src/middleware.ts).
    { status: ready ? 200 : 503 },
  );
};
