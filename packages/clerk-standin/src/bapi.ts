/**
 * The Backend API (BAPI) part of the stand-in, on its own loopback port (the site's CLERK_API_URL),
 * plus a small admin API for demos and tests. Neither is reachable through the site's origin.
 *
 * BAPI (Bearer <CLERK_SECRET_KEY>, as Clerk's SDK sends it): the JWKS, users and their metadata,
 * organizations and their metadata, sessions. Gatepost itself calls none of these on the request path
 * (it verifies sessions with CLERK_JWT_KEY); they are here for `clerkClient(...)` and
 * `Astro.locals.currentUser()` should the site use them, and for operators' scripts.
 *
 * Admin (no credentials, loopback only, JSON bodies only so a web page cannot post to it cross-site):
 * - GET  /__admin/accounts                 the accounts, with their demo passwords
 * - POST /__admin/users                    {email, password?, firstName?, lastName?, publicMetadata?, tokenLifetime?}
 * - POST /__admin/users/:id/metadata       {"public_metadata": {...}} merged as BAPI does
 * - GET  /__admin/stats                    tokens minted, handshakes, sign-ins and sign-outs
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Account, Organization } from './accounts.ts';
import { mergeMetadata } from './accounts.ts';
import { HttpError, isRecord, readParams, sendJson, stringParam } from './http.ts';
import type { Instance, Session } from './instance.ts';
import { clerkErrorBody, organizationResource, userResource } from './resources.ts';

/** A user as the Backend API returns it (the FAPI shape plus server-only fields). */
export function backendUser(account: Account) {
  return {
    ...userResource(account),
    private_metadata: {},
    last_active_at: account.updatedAt,
    create_organizations_limit: null,
  };
}

function backendSession(session: Session) {
  return {
    object: 'session',
    id: session.id,
    client_id: session.clientId,
    user_id: session.userId,
    status: session.status,
    last_active_organization_id: session.activeOrganizationId,
    last_active_at: session.lastActiveAt,
    expire_at: session.lastActiveAt + 7 * 86_400_000,
    abandon_at: session.createdAt + 30 * 86_400_000,
    created_at: session.createdAt,
    updated_at: session.lastActiveAt,
  };
}

const notFound = (res: ServerResponse, what: string) =>
  sendJson(res, 404, clerkErrorBody('resource_not_found', `${what} not found`));

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

  if (method === 'GET' && path === '/v1/jwks') return sendJson(res, 200, { keys: [instance.keys.jwk] });

  if (method === 'GET' && path === '/v1/users') {
    const emails = url.searchParams.getAll('email_address').map((e) => e.toLowerCase());
    const ids = url.searchParams.getAll('user_id');
    const limit = Number(url.searchParams.get('limit') ?? 10);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const users = [...instance.accounts.values()].filter(
      (a) => (!emails.length || emails.includes(a.email.toLowerCase())) && (!ids.length || ids.includes(a.id)),
    );
    return sendJson(res, 200, users.slice(offset, offset + limit).map(backendUser));
  }

  const user = /^\/v1\/users\/([^/]+)(\/metadata)?$/.exec(path);
  if (user) {
    const account = instance.accounts.get(user[1]!);
    if (!account) return notFound(res, 'User');
    if (method === 'GET' && !user[2]) return sendJson(res, 200, backendUser(account));
    if (method === 'PATCH' && user[2]) {
      instance.updateMetadata(account.id, params.public_metadata);
      return sendJson(res, 200, backendUser(account));
    }
    if (method === 'PATCH' && !user[2]) {
      if (isRecord(params.public_metadata)) account.publicMetadata = params.public_metadata;
      const first = stringParam(params, 'first_name');
      const last = stringParam(params, 'last_name');
      if (first !== undefined) account.firstName = first;
      if (last !== undefined) account.lastName = last;
      account.updatedAt = Date.now();
      return sendJson(res, 200, backendUser(account));
    }
  }

  const org = /^\/v1\/organizations\/([^/]+)(\/metadata)?$/.exec(path);
  if (org) {
    const found = [...instance.organizations.values()].find((o) => o.id === org[1] || o.slug === org[1]);
    if (!found) return notFound(res, 'Organization');
    if (method === 'GET' && !org[2]) return sendJson(res, 200, backendOrganization(found));
    if (method === 'PATCH' && org[2]) {
      // Mutated in place: memberships share this object, so the next token carries the change.
      found.publicMetadata = mergeMetadata(found.publicMetadata, params.public_metadata);
      return sendJson(res, 200, backendOrganization(found));
    }
  }

  const session = /^\/v1\/sessions\/([^/]+)$/.exec(path);
  if (method === 'GET' && session) {
    const found = instance.sessions.get(session[1]!);
    return found ? sendJson(res, 200, backendSession(found)) : notFound(res, 'Session');
  }

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

function backendOrganization(org: Organization) {
  return { ...organizationResource(org), private_metadata: {} };
}

async function handleAdmin(instance: Instance, req: IncomingMessage, res: ServerResponse, url: URL) {
  const path = url.pathname;
  const method = (req.method ?? 'GET').toUpperCase();
  if (method === 'GET' && (path === '/__admin' || path === '/__admin/accounts')) {
    return sendJson(res, 200, instance.accountList());
  }
  if (method === 'GET' && path === '/__admin/stats') return sendJson(res, 200, instance.stats);

  if (method !== 'POST') return sendJson(res, 405, clerkErrorBody('method_not_allowed', 'Use GET or POST'));
  // Only JSON: a form post from some web page the demo user visits cannot reach these.
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    throw new HttpError(415, 'admin endpoints take application/json');
  }
  const body = await readParams(req);

  if (path === '/__admin/users') {
    const email = stringParam(body, 'email');
    if (!email || !email.includes('@')) throw new HttpError(400, 'email is required');
    const lifetime = body.tokenLifetime;
    if (lifetime !== undefined && (typeof lifetime !== 'number' || lifetime < 2 || lifetime > 3600)) {
      throw new HttpError(400, 'tokenLifetime must be a number of seconds between 2 and 3600');
    }
    let account: Account;
    try {
      account = instance.createAccount({
        email,
        password: stringParam(body, 'password'),
        firstName: stringParam(body, 'firstName'),
        lastName: stringParam(body, 'lastName'),
        publicMetadata: isRecord(body.publicMetadata) ? body.publicMetadata : undefined,
        tokenLifetime: lifetime as number | undefined,
      });
    } catch (error) {
      throw new HttpError(409, (error as Error).message);
    }
    return sendJson(res, 201, backendUser(account));
  }

  const metadata = /^\/__admin\/users\/([^/]+)\/metadata$/.exec(path);
  if (metadata) {
    if (!isRecord(body.public_metadata)) throw new HttpError(400, 'expected {"public_metadata": {...}}');
    const account = instance.updateMetadata(metadata[1]!, body.public_metadata);
    return account ? sendJson(res, 200, backendUser(account)) : notFound(res, 'User');
  }

  return notFound(res, 'Admin endpoint');
}
