/**
 * The Frontend API (FAPI) part of the stand-in: what clerk-js and Clerk's UI call from the browser,
 * reached through the proxy path on the site's own origin (`/__clerk/…`, PUBLIC_CLERK_PROXY_URL), so
 * the cookies it sets (`__client_uat`, and `__session` during a handshake) land on the site's origin
 * exactly as real FAPI's do.
 *
 * Implemented, one module per feature, each a list of routes: the browser bundles (bundles.ts), the
 * instance settings, the client and the server's handshake (client.ts), email + password sign-in
 * (sign-in.ts), sign-up (sign-up.ts), session tokens, touch and sign-out (sessions.ts), the account
 * reads UserProfile makes (me.ts), organizations (organizations.ts) and Clerk Billing (billing.ts).
 * Anything else answers in Clerk's error format (`not_implemented`), so the UI fails fast with a message
 * instead of waiting on a request that never answers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { routeTable } from '../routes.ts';
import { BILLING_ROUTES } from './billing.ts';
import { serveBundle } from './bundles.ts';
import { callFor, type Call, type FapiContext, type FapiRoute } from './call.ts';
import { CLIENT_ROUTES } from './client.ts';
import { ME_ROUTES } from './me.ts';
import { ORGANIZATION_ROUTES } from './organizations.ts';
import { SESSION_ROUTES } from './sessions.ts';
import { SIGN_IN_ROUTES } from './sign-in.ts';
import { SIGN_UP_ROUTES } from './sign-up.ts';

export type { FapiContext } from './call.ts';

/** What the stand-in implements, in Frontend API paths; anything else answers `not_implemented`. */
export const FAPI_ROUTES: readonly FapiRoute[] = [
  ...CLIENT_ROUTES,
  ...SIGN_IN_ROUTES,
  ...SIGN_UP_ROUTES,
  ...SESSION_ROUTES,
  ...ME_ROUTES,
  ...ORGANIZATION_ROUTES,
  ...BILLING_ROUTES,
];
const routes = routeTable(FAPI_ROUTES);

function notImplemented(call: Call, method: string, path: string) {
  const { instance } = call;
  const name = `${method} ${path}`;
  if (!instance.stats.unhandled.includes(name) && instance.stats.unhandled.length < 100) {
    instance.stats.unhandled.push(name);
  }
  call.ctx.log(`not implemented: ${name}`);
  return call.fail(
    method === 'GET' ? 404 : 422,
    'not_implemented',
    'Not available in the local demo sign-in.',
    `The local Clerk stand-in does not implement ${name}. It is a demo, not Clerk.`,
  );
}

export async function handleFapi(ctx: FapiContext, req: IncomingMessage, res: ServerResponse, url: URL) {
  const path = url.pathname.slice(ctx.mount.length) || '/';
  if (serveBundle(path, res, req)) return;
  // clerk-js sends PATCH/DELETE as POST with `_method`, so it never needs a CORS preflight.
  const method = (url.searchParams.get('_method') ?? req.method ?? 'GET').toUpperCase();
  const call = await callFor(ctx, req, res, url);
  const found = routes.match(method, path);
  if (found) return found.route.handle(call, found.params);
  return notImplemented(call, method, path);
}
