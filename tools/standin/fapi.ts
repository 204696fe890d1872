/**
 * The Frontend API (FAPI) part of the stand-in: what clerk-js and Clerk's UI call from the browser,
 * reached through the proxy path on the site's own origin (`/__clerk/…`, PUBLIC_CLERK_PROXY_URL), so
 * the cookies it sets (`__client_uat`, and `__session` during a handshake) land on the site's origin
 * exactly as real FAPI's do.
 *
 * Implemented: the browser bundles, instance settings, the client, email + password sign-in, session
 * tokens, touch, sign-out, the server's handshake redirect, the account reads UserProfile makes, and
 * Clerk Billing (fapi-billing.ts).
 * Anything else answers in Clerk's error format (`not_implemented`), so the UI fails fast with a message
 * instead of waiting on a request that never answers.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Account } from './accounts.ts';
import { billingRoutes, findRoute, runRoute } from './fapi-billing.ts';
import { cookie, HttpError, parseCookies, readParams, sendJson, stringParam } from './http.ts';
import type { Client, Instance, Session } from './instance.ts';
import {
  clerkErrorBody,
  clientResource,
  environmentResource,
  membershipResource,
  sessionResource,
  sessionWithActivityResource,
  signInResource,
  userResource,
} from './resources.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The browser bundles, served from the installed npm packages (devDependencies). */
export const BUNDLES = {
  'clerk-js': `${ROOT}node_modules/@clerk/clerk-js`,
  ui: `${ROOT}node_modules/@clerk/ui`,
} as const;
export const BUNDLE_PATH = /^\/npm\/@clerk\/(clerk-js|ui)@([^/]+)\/dist\/(.+)$/;
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const versions = new Map<keyof typeof BUNDLES, string>();

export function installedVersion(pkg: keyof typeof BUNDLES): string {
  let version = versions.get(pkg);
  if (!version) {
    version = (JSON.parse(readFileSync(`${BUNDLES[pkg]}/package.json`, 'utf8')) as { version: string }).version;
    versions.set(pkg, version);
  }
  return version;
}

/**
 * A file of an installed Clerk bundle, or null. Clerk's loader asks for the major version
 * (`@clerk/clerk-js@6`) or an exact one; anything else is refused so a mismatch fails loudly.
 */
export function bundleFile(path: string): { file: string; contentType: string } | { error: string } | null {
  const match = BUNDLE_PATH.exec(path);
  if (!match) return null;
  const [, pkg, version, file] = match as unknown as [string, keyof typeof BUNDLES, string, string];
  const installed = installedVersion(pkg);
  const dist = normalize(`${BUNDLES[pkg]}/dist/`);
  const filePath = normalize(dist + decodeURIComponent(file));
  if (version !== installed && version !== installed.split('.')[0]) {
    return { error: `the stand-in serves @clerk/${pkg}@${installed} only (asked for ${version})` };
  }
  if (!filePath.startsWith(dist) || !existsSync(filePath) || !statSync(filePath).isFile()) {
    return { error: 'not found' };
  }
  return { file: filePath, contentType: CONTENT_TYPES[extname(filePath)] ?? 'application/octet-stream' };
}

/** Cookie names, plain and suffixed (Clerk's SDKs read either, depending on what the browser holds). */
const names = (instance: Instance, base: string) => [base, `${base}_${instance.keys.cookieSuffix}`];
const YEAR = 365 * 86_400;

export interface FapiContext {
  instance: Instance;
  /** The proxy path the front door mounts this on, e.g. `/__clerk`. */
  mount: string;
  log: (line: string) => void;
}

/** The site's origin as the browser sees it (the front door preserves the Host header). */
function originOf(req: IncomingMessage): string {
  return `http://${req.headers.host ?? '127.0.0.1'}`;
}

export async function handleFapi(ctx: FapiContext, req: IncomingMessage, res: ServerResponse, url: URL) {
  const { instance } = ctx;
  const path = url.pathname.slice(ctx.mount.length) || '/';
  // clerk-js sends PATCH/DELETE as POST with `_method`, so it never needs a CORS preflight.
  const method = (url.searchParams.get('_method') ?? req.method ?? 'GET').toUpperCase();
  const origin = originOf(req);

  const bundle = bundleFile(path);
  if (bundle) {
    if ('error' in bundle) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(bundle.error);
      return;
    }
    res.writeHead(200, { 'content-type': bundle.contentType, 'cache-control': 'public, max-age=600' });
    createReadStream(bundle.file).pipe(res);
    return;
  }

  const params = await readParams(req);
  const cookies = parseCookies(req.headers.cookie);
  const clientCookieName = '__client';
  let client = instance.client(cookies.get(clientCookieName));
  const setCookies: string[] = [];

  const ensureClient = (): Client => {
    client ??= instance.createClient();
    return client;
  };
  /** Real FAPI sets `__client_uat` on the site's domain with every client it returns. */
  const clientCookies = (c: Client) => {
    setCookies.push(
      cookie(clientCookieName, c.id, { path: ctx.mount, httpOnly: true, maxAge: YEAR }),
      ...names(instance, '__client_uat').map((name) => cookie(name, String(instance.clientUat(c)), { maxAge: YEAR })),
    );
  };
  /** FAPI's envelope: the resource, and the browser's client so clerk-js can update its state. */
  const reply = (status: number, response: unknown) => {
    const body: Record<string, unknown> = { response };
    if (client) {
      body.client = clientResource(instance.clientData(client, origin));
      clientCookies(client);
    }
    sendJson(res, status, body, setCookies.length ? { 'set-cookie': setCookies } : {});
  };
  const fail = (status: number, code: string, message: string, longMessage = message, param?: string) =>
    sendJson(res, status, clerkErrorBody(code, message, longMessage, param), {
      ...(setCookies.length ? { 'set-cookie': setCookies } : {}),
    });

  /** The session a `/v1/me…` or session request acts for: the one named, if it belongs to this browser. */
  const currentSession = (named?: string | null): Session | undefined => {
    if (!client) return undefined;
    const sessions = instance.activeSessions(client);
    const wanted = named ?? url.searchParams.get('_clerk_session_id') ?? client.lastActiveSessionId;
    return sessions.find((s) => s.id === wanted) ?? (named ? undefined : sessions[0]);
  };
  const accountOf = (session: Session): Account => instance.accounts.get(session.userId)!;

  // --- instance and client ----------------------------------------------------------------------

  if (method === 'GET' && path === '/v1/environment') {
    // Sign-ups are closed: the demo has its seeded accounts (and the admin API for tests).
    return sendJson(
      res,
      200,
      environmentResource({ origin, organizations: true, signUpMode: 'restricted', billing: true }),
    );
  }

  if (path === '/v1/client') {
    if (method === 'GET' || method === 'POST' || method === 'PUT') {
      return reply(200, clientResource(instance.clientData(ensureClient(), origin)));
    }
    if (method === 'DELETE') {
      const c = ensureClient();
      instance.endSessions(c, instance.activeSessions(c));
      ctx.log('signed out (client destroyed)');
      return reply(200, clientResource(instance.clientData(c, origin)));
    }
  }

  // --- the server's handshake (expired token or stale `__client_uat` on a page load) ------------

  if (method === 'GET' && path === '/v1/client/handshake') {
    const target = url.searchParams.get('redirect_url') ?? '/';
    let redirect: URL;
    try {
      redirect = new URL(target, origin);
    } catch {
      return fail(400, 'form_param_format_invalid', 'redirect_url is invalid', undefined, 'redirect_url');
    }
    // Only back to the site that asked: a handshake must never become an open redirect.
    if (redirect.origin !== origin) {
      return fail(400, 'form_param_format_invalid', 'redirect_url must be on this site', undefined, 'redirect_url');
    }
    instance.stats.handshakes += 1;
    const session = currentSession();
    if (session) {
      const token = instance.mintToken(session, origin);
      setCookies.push(...names(instance, '__session').map((name) => cookie(name, token, { maxAge: YEAR })));
    } else {
      setCookies.push(...names(instance, '__session').map((name) => cookie(name, '', { maxAge: 0 })));
    }
    setCookies.push(
      ...names(instance, '__client_uat').map((name) =>
        cookie(name, String(instance.clientUat(client)), { maxAge: YEAR }),
      ),
    );
    ctx.log(`handshake (${url.searchParams.get('__clerk_hs_reason') ?? 'no reason'}) → ${redirect.pathname}`);
    res.writeHead(307, { location: redirect.href, 'cache-control': 'no-store', 'set-cookie': setCookies });
    res.end();
    return;
  }

  // --- sign-in with email and password ----------------------------------------------------------

  if (method === 'POST' && path === '/v1/client/sign_ins') {
    const c = ensureClient();
    const identifier = stringParam(params, 'identifier');
    const now = Date.now();
    if (!identifier) {
      c.signIn = {
        id: `sia_${randomBytes(10).toString('hex')}`,
        status: 'needs_identifier',
        identifier: null,
        user: null,
        createdSessionId: null,
        firstFactorVerified: false,
        createdAt: now,
      };
      return reply(200, signInResource(c.signIn));
    }
    const account = instance.findByEmail(identifier);
    if (!account) {
      instance.stats.failedSignIns += 1;
      return fail(422, 'form_identifier_not_found', "Couldn't find your account.", undefined, 'identifier');
    }
    c.signIn = {
      id: `sia_${randomBytes(10).toString('hex')}`,
      status: 'needs_first_factor',
      identifier: account.email,
      user: account,
      createdSessionId: null,
      firstFactorVerified: false,
      createdAt: now,
    };
    const password = stringParam(params, 'password');
    if (password !== undefined) return attemptPassword(c, account, password);
    return reply(200, signInResource(c.signIn));
  }

  const signInPath = /^\/v1\/client\/sign_ins\/([^/]+)(?:\/([a-z_]+))?$/.exec(path);
  if (signInPath) {
    const c = ensureClient();
    const signIn = c.signIn?.id === signInPath[1] ? c.signIn : null;
    if (!signIn) return fail(404, 'resource_not_found', 'Sign-in not found. Start again.');
    const action = signInPath[2];
    if (method === 'GET' && !action) return reply(200, signInResource(signIn));
    if (method === 'POST' && action === 'attempt_first_factor') {
      if (stringParam(params, 'strategy') !== 'password' || !signIn.user) {
        return fail(
          422,
          'strategy_for_user_invalid',
          'The local stand-in only supports password sign-in.',
          undefined,
          'strategy',
        );
      }
      return attemptPassword(c, signIn.user as Account, stringParam(params, 'password') ?? '');
    }
  }

  function attemptPassword(c: Client, account: Account, password: string) {
    if (!instance.checkPassword(account, password)) {
      instance.stats.failedSignIns += 1;
      ctx.log(`wrong password for ${account.email}`);
      return fail(
        422,
        'form_password_incorrect',
        'Password is incorrect. Try again, or use another method.',
        undefined,
        'password',
      );
    }
    const session = instance.startSession(c, account);
    instance.mintToken(session, origin);
    c.signIn = {
      ...c.signIn!,
      status: 'complete',
      createdSessionId: session.id,
      firstFactorVerified: true,
    };
    ctx.log(`signed in: ${account.email}`);
    return reply(200, signInResource(c.signIn));
  }

  // --- sessions: tokens, touch, sign-out --------------------------------------------------------

  const sessionPath = /^\/v1\/client\/sessions\/([^/]+)(?:\/(.+))?$/.exec(path);
  if (sessionPath) {
    const session = currentSession(sessionPath[1]);
    const action = sessionPath[2];
    if (!session) return fail(401, 'authentication_invalid', 'The session has ended. Sign in again.');
    const account = accountOf(session);

    if (method === 'POST' && action === 'tokens') {
      // clerk-js names the organization it wants the token for; only one the user belongs to counts.
      const asked = stringParam(params, 'organization_id');
      const organizationId =
        asked === undefined ? session.activeOrganizationId : instance.membershipOf(account, asked) ? asked : null;
      return sendJson(res, 200, { object: 'token', jwt: instance.mintToken(session, origin, organizationId) });
    }
    if (method === 'POST' && action?.startsWith('tokens/')) {
      return fail(404, 'resource_not_found', 'JWT templates are not available in the local stand-in.');
    }
    if (method === 'POST' && action === 'touch') {
      const asked = stringParam(params, 'active_organization_id');
      if (asked !== undefined) session.activeOrganizationId = instance.membershipOf(account, asked) ? asked : null;
      session.lastToken = null;
      return reply(200, sessionResource(instance.sessionData(session, origin)));
    }
    if (method === 'POST' && (action === 'end' || action === 'remove')) {
      const c = ensureClient();
      const ended = { ...instance.sessionData(session, origin) };
      instance.endSessions(c, [session], action === 'end' ? 'ended' : 'removed');
      ctx.log(`signed out: ${account.email}`);
      return reply(200, sessionResource({ ...ended, status: session.status }));
    }
  }

  if (method === 'DELETE' && path === '/v1/client/sessions') {
    const c = ensureClient();
    instance.endSessions(c, instance.activeSessions(c));
    ctx.log('signed out (all sessions)');
    return reply(200, clientResource(instance.clientData(c, origin)));
  }

  // --- Clerk Billing (PricingTable, checkout, UserProfile's billing page): tools/standin/fapi-billing.ts

  const billing = findRoute(billingRoutes, method, path);
  if (billing) {
    const session = currentSession();
    return runRoute(billing.route, {
      instance,
      url,
      params,
      match: billing.match,
      account: session ? accountOf(session) : undefined,
      reply,
      send: (status, body) => sendJson(res, status, body),
      fail,
      log: ctx.log,
    });
  }

  // --- the signed-in user (UserButton, UserProfile) ---------------------------------------------

  if (path === '/v1/me' || path.startsWith('/v1/me/')) {
    const session = currentSession();
    if (!session) return fail(401, 'authentication_invalid', 'You are signed out. Sign in again.');
    const account = accountOf(session);
    const list = (items: unknown[]) =>
      reply(200, url.searchParams.get('paginated') === 'true' ? { data: items, total_count: items.length } : items);
    if (path === '/v1/me' && method === 'GET') return reply(200, userResource(account));
    if (path === '/v1/me' && method === 'PATCH') {
      const first = stringParam(params, 'first_name');
      const last = stringParam(params, 'last_name');
      if (first !== undefined) account.firstName = first;
      if (last !== undefined) account.lastName = last;
      account.updatedAt = Date.now();
      return reply(200, userResource(account));
    }
    if (method === 'GET' && path === '/v1/me/sessions/active') {
      return reply(200, [sessionWithActivityResource(instance.sessionData(session, origin))]);
    }
    if (method === 'GET' && path === '/v1/me/organization_memberships') {
      return list(account.memberships.map((m) => membershipResource(m, account)));
    }
    if (
      method === 'GET' &&
      (path === '/v1/me/organization_invitations' || path === '/v1/me/organization_suggestions')
    ) {
      return list([]);
    }
  }

  if (method === 'POST' && path === '/v1/client/sign_ups') {
    return fail(
      422,
      'not_allowed_access',
      'Sign-up is not available in the local demo.',
      'Sign-up is not available in the local demo sign-in. Use one of the demo accounts printed when the site started (see README, "Try it without a Clerk account").',
    );
  }

  const call = `${method} ${path}`;
  if (!instance.stats.unhandled.includes(call) && instance.stats.unhandled.length < 100) {
    instance.stats.unhandled.push(call);
  }
  ctx.log(`not implemented: ${method} ${path}`);
  return fail(
    method === 'GET' ? 404 : 422,
    'not_implemented',
    'Not available in the local demo sign-in.',
    `The local Clerk stand-in does not implement ${method} ${path}. It is a demo, not Clerk.`,
  );
}

export function errorResponse(res: ServerResponse, error: unknown) {
  const status = error instanceof HttpError ? error.status : error instanceof SyntaxError ? 400 : 500;
  const message = error instanceof Error ? error.message : String(error);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, status, clerkErrorBody(status >= 500 ? 'internal_clerk_error' : 'bad_request', message));
}
