/**
 * The Backend API (BAPI) part of the stand-in, on its own loopback port (the site's CLERK_API_URL),
 * beside the admin API (admin.ts). Neither is reachable through the site's origin.
 *
 * BAPI (Bearer <CLERK_SECRET_KEY>, as Clerk's SDK sends it): the JWKS, users and their metadata,
 * organizations, memberships, Billing's plans and subscriptions, sessions. Gatepost verifies sessions with
 * CLERK_JWT_KEY and reads Billing's plans once per process (the paywall's price); the members sync pages
 * through the rest, which is also here for `clerkClient(...)` should the site use it, and for operators' scripts.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleAdmin } from '../admin.ts';
import { readParams, sendJson } from '../http.ts';
import type { Instance } from '../instance.ts';
import { clerkErrorBody } from '../resources/index.ts';
import { routeTable } from '../routes.ts';
import { BILLING_ROUTES } from './billing.ts';
import type { ApiRoute } from './call.ts';
import { ORGANIZATION_ROUTES } from './organizations.ts';
import { SESSION_ROUTES } from './sessions.ts';
import { USER_ROUTES } from './users.ts';

/** What the stand-in implements of the Backend API; anything else answers `not_implemented`. */
export const BAPI_ROUTES: readonly ApiRoute[] = [
  ...SESSION_ROUTES,
  ...USER_ROUTES,
  ...ORGANIZATION_ROUTES,
  ...BILLING_ROUTES,
];
const routes = routeTable(BAPI_ROUTES);

/** Everything on the API port: the admin API under `/__admin`, the Backend API elsewhere. */
export async function handleBackend(instance: Instance, req: IncomingMessage, res: ServerResponse, url: URL) {
  const path = url.pathname;
  const method = (req.method ?? 'GET').toUpperCase();

  if (path.startsWith('/__admin')) return handleAdmin(instance, req, res, url);

  if (req.headers.authorization !== `Bearer ${instance.keys.secretKey}`) {
    return sendJson(
      res,
      401,
      clerkErrorBody(
        'authentication_invalid',
        'Invalid authentication',
        'The secret key is missing or not the one of this stand-in run.',
      ),
    );
  }
  const params = await readParams(req);
  const found = routes.match(method, path);
  if (found) return found.route.handle({ instance, res, url, params }, found.params);

  return sendJson(
    res,
    method === 'GET' ? 404 : 422,
    clerkErrorBody(
      'not_implemented',
      'Not available in the local stand-in',
      `The local Clerk stand-in's Backend API does not implement ${method} ${path}.`,
    ),
  );
}
