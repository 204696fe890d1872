/**
 * The Frontend API (FAPI) part of the stand-in: what clerk-js and Clerk's UI call from the browser,
 * reached through the proxy path on the site's own origin (`/__clerk/…`, PUBLIC_CLERK_PROXY_URL), so
 * the cookies it sets (`__client_uat`, and `__session` during a handshake) land on the site's origin
 * exactly as real FAPI's do.
 *
 * Implemented: the browser bundles, instance settings, the client, email + password sign-in, sign-up
 * (fapi-sign-up.ts), session tokens, touch, sign-out, the server's handshake redirect, the account reads
 * UserProfile makes, organizations (fapi-organizations.ts), and
 * Clerk Billing (fapi-billing.ts).
 * Anything else answers in Clerk's error format (`not_implemented`), so the UI fails fast with a message
 * instead of waiting on a request that never answers.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { findPackageJSON } from 'node:module';
import { dirname, extname, normalize } from 'node:path';
import type { Account } from './accounts.ts';
import { ORGANIZATION_ROUTES } from './fapi-organizations.ts';
import { SIGN_UP_ROUTES } from './fapi-sign-up.ts';
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

/** The browser bundles, served from the installed npm packages (this package's devDependencies). */
export const BUNDLES = { 'clerk-js': '@clerk/clerk-js', ui: '@clerk/ui' } as const;
export const BUNDLE_PATH = /^\/npm\/@clerk\/(clerk-js|ui)@([^/]+)\/dist\/(.+)$/;
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const installed = new Map<keyof typeof BUNDLES, { dir: string; version: string }>();

/** Where a bundle's package is installed and its version; throws when it is not installed. */
function installedPackage(pkg: keyof typeof BUNDLES): { dir: string; version: string } {
  let found = installed.get(pkg);
  if (!found) {
    const manifest = findPackageJSON(BUNDLES[pkg], import.meta.url);
    if (!manifest) throw new Error(`${BUNDLES[pkg]} is not installed`);
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    found = { dir: dirname(manifest), version };
    installed.set(pkg, found);
  }
  return found;
}

export function installedVersion(pkg: keyof typeof BUNDLES): string {
  return installedPackage(pkg).version;
}

/** The directory of an installed bundle's files (`dist/`). */
export function bundleDir(pkg: keyof typeof BUNDLES): string {
  return normalize(`${installedPackage(pkg).dir}/dist/`);
}

/**
 * A file of an installed Clerk bundle, or null. Clerk's loader asks for the major version
 * (`@clerk/clerk-js@6`) or an exact one; anything else is refused so a mismatch fails loudly.
 */
export function bundleFile(path: string): { file: string; contentType: string } | { error: string } | null {
  const match = BUNDLE_PATH.exec(path);
  if (!match) return null;
  const [, pkg, version, file] = match as unknown as [string, keyof typeof BUNDLES, string, string];
  const current = installedVersion(pkg);
  const dist = bundleDir(pkg);
  const filePath = normalize(dist + decodeURIComponent(file));
  if (version !== current && version !== current.split('.')[0]) {
    return { error: `the stand-in serves @clerk/${pkg}@${current} only (asked for ${version})` };
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

/** One browser request to the Frontend API, with what every route needs to answer it. */
export interface Call {
  ctx: FapiContext;
  instance: Instance;
  res: ServerResponse;
  url: URL;
  origin: string;
  params: Record<string, unknown>;
  /** The browser's client, when its `__client` cookie names one. */
  client: Client | undefined;
  setCookies: string[];
  ensureClient(): Client;
  /** FAPI's envelope: the resource, and the browser's client so clerk-js can update its state. */
  reply(status: number, response: unknown): void;
  fail(status: number, code: string, message: string, longMessage?: string, param?: string): void;
  /** The session a `/v1/me…` or session request acts for: the one named, if it belongs to this browser. */
  currentSession(named?: string | null): Session | undefined;
}

const CLIENT_COOKIE = '__client';

async function callFor(ctx: FapiContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<Call> {
  const { instance } = ctx;
  const params = await readParams(req);
  const cookies = parseCookies(req.headers.cookie);
  const call: Call = {
    ctx,
    instance,
    res,
    url,
    origin: originOf(req),
    params,
    client: instance.client(cookies.get(CLIENT_COOKIE)),
    setCookies: [],
    ensureClient() {
      call.client ??= instance.createClient();
      return call.client;
    },
    reply(status, response) {
      const body: Record<string, unknown> = { response };
      if (call.client) {
        body.client = clientResource(instance.clientData(call.client, call.origin));
        // Real FAPI sets `__client_uat` on the site's domain with every client it returns.
        call.setCookies.push(
          cookie(CLIENT_COOKIE, call.client.id, { path: ctx.mount, httpOnly: true, maxAge: YEAR }),
          ...names(instance, '__client_uat').map((name) =>
            cookie(name, String(instance.clientUat(call.client)), { maxAge: YEAR }),
          ),
        );
      }
      sendJson(res, status, body, call.setCookies.length ? { 'set-cookie': call.setCookies } : {});
    },
    fail(status, code, message, longMessage = message, param) {
      sendJson(res, status, clerkErrorBody(code, message, longMessage, param), {
        ...(call.setCookies.length ? { 'set-cookie': call.setCookies } : {}),
      });
    },
    currentSession(named) {
      if (!call.client) return undefined;
      const sessions = instance.activeSessions(call.client);
      const wanted = named ?? url.searchParams.get('_clerk_session_id') ?? call.client.lastActiveSessionId;
      return sessions.find((s) => s.id === wanted) ?? (named ? undefined : sessions[0]);
    },
  };
  return call;
}

export type Handler = (call: Call, params: Record<string, string>) => void;

/** A handler for the signed-in user's routes: 401 when this browser has no session. */
const asUser =
  (handle: (call: Call, session: Session, account: Account) => void): Handler =>
  (call) => {
    const session = call.currentSession();
    if (!session) return call.fail(401, 'authentication_invalid', 'You are signed out. Sign in again.');
    handle(call, session, call.instance.accounts.get(session.userId)!);
  };

/** A handler for `/v1/client/sessions/:id/…`: 401 when the session named is not this browser's. */
const forSession =
  (handle: (call: Call, session: Session, account: Account, params: Record<string, string>) => void): Handler =>
  (call, params) => {
    const session = call.currentSession(params.id);
    if (!session) return call.fail(401, 'authentication_invalid', 'The session has ended. Sign in again.');
    handle(call, session, call.instance.accounts.get(session.userId)!, params);
  };

/** A handler for `/v1/client/sign_ins/:id/…`: 404 when the sign-in named is not this browser's. */
const forSignIn =
  (handle: (call: Call, client: Client, signIn: NonNullable<Client['signIn']>) => void): Handler =>
  (call, params) => {
    const c = call.ensureClient();
    const signIn = c.signIn?.id === params.id ? c.signIn : null;
    if (!signIn) return call.fail(404, 'resource_not_found', 'Sign-in not found. Start again.');
    handle(call, c, signIn);
  };

function attemptPassword(call: Call, c: Client, account: Account, password: string) {
  const { instance, ctx } = call;
  if (!instance.checkPassword(account, password)) {
    instance.stats.failedSignIns += 1;
    ctx.log(`wrong password for ${account.email}`);
    return call.fail(
      422,
      'form_password_incorrect',
      'Password is incorrect. Try again, or use another method.',
      undefined,
      'password',
    );
  }
  const session = instance.startSession(c, account);
  instance.mintToken(session, call.origin);
  c.signIn = { ...c.signIn!, status: 'complete', createdSessionId: session.id, firstFactorVerified: true };
  ctx.log(`signed in: ${account.email}`);
  return call.reply(200, signInResource(c.signIn));
}

/** The server's handshake (expired token or stale `__client_uat` on a page load). */
const handshake: Handler = (call) => {
  const { instance, url, origin, setCookies, res } = call;
  const target = url.searchParams.get('redirect_url') ?? '/';
  let redirect: URL;
  try {
    redirect = new URL(target, origin);
  } catch {
    return call.fail(400, 'form_param_format_invalid', 'redirect_url is invalid', undefined, 'redirect_url');
  }
  // Only back to the site that asked: a handshake must never become an open redirect.
  if (redirect.origin !== origin) {
    return call.fail(400, 'form_param_format_invalid', 'redirect_url must be on this site', undefined, 'redirect_url');
  }
  instance.stats.handshakes += 1;
  const session = call.currentSession();
  const token = session ? instance.mintToken(session, origin) : '';
  setCookies.push(
    ...names(instance, '__session').map((name) => cookie(name, token, { maxAge: session ? YEAR : 0 })),
    ...names(instance, '__client_uat').map((name) =>
      cookie(name, String(instance.clientUat(call.client)), { maxAge: YEAR }),
    ),
  );
  call.ctx.log(`handshake (${url.searchParams.get('__clerk_hs_reason') ?? 'no reason'}) → ${redirect.pathname}`);
  res.writeHead(307, { location: redirect.href, 'cache-control': 'no-store', 'set-cookie': setCookies });
  res.end();
};

/** Email and password sign-in: the identifier, optionally with the password in the same call. */
const createSignIn: Handler = (call) => {
  const { instance, params } = call;
  const c = call.ensureClient();
  const identifier = stringParam(params, 'identifier');
  const account = identifier ? instance.findByEmail(identifier) : undefined;
  if (identifier && !account) {
    instance.stats.failedSignIns += 1;
    return call.fail(422, 'form_identifier_not_found', "Couldn't find your account.", undefined, 'identifier');
  }
  c.signIn = {
    id: `sia_${randomBytes(10).toString('hex')}`,
    status: account ? 'needs_first_factor' : 'needs_identifier',
    identifier: account?.email ?? null,
    user: account ?? null,
    createdSessionId: null,
    firstFactorVerified: false,
    createdAt: Date.now(),
  };
  const password = stringParam(params, 'password');
  if (account && password !== undefined) return attemptPassword(call, c, account, password);
  return call.reply(200, signInResource(c.signIn));
};

const signOutAll =
  (log: string): Handler =>
  (call) => {
    const c = call.ensureClient();
    call.instance.endSessions(c, call.instance.activeSessions(c));
    call.ctx.log(log);
    return call.reply(200, clientResource(call.instance.clientData(c, call.origin)));
  };

/** A list the way clerk-js asked for it: plain, or paginated. */
const list = (call: Call, items: unknown[]) =>
  call.reply(
    200,
    call.url.searchParams.get('paginated') === 'true' ? { data: items, total_count: items.length } : items,
  );

export interface Route {
  methods: readonly string[];
  /** An exact path, or one with `:name` segments. */
  path: string;
  handle: Handler;
}

/** What the stand-in implements, in Frontend API paths; anything else answers `not_implemented`. */
const ROUTES: Route[] = [
  // Features kept in their own modules: sign-up (Clerk's <SignUp/>), organizations (switcher, profile).
  ...SIGN_UP_ROUTES,
  ...ORGANIZATION_ROUTES,

  // Instance and client.
  {
    methods: ['GET'],
    path: '/v1/environment',
    handle: (call) =>
      sendJson(
        call.res,
        200,
        environmentResource({ origin: call.origin, organizations: true, signUpMode: 'public', billing: true }),
      ),
  },
  {
    methods: ['GET', 'POST', 'PUT'],
    path: '/v1/client',
    handle: (call) => call.reply(200, clientResource(call.instance.clientData(call.ensureClient(), call.origin))),
  },
  { methods: ['DELETE'], path: '/v1/client', handle: signOutAll('signed out (client destroyed)') },
  { methods: ['GET'], path: '/v1/client/handshake', handle: handshake },

  // Sign-in with email and password.
  { methods: ['POST'], path: '/v1/client/sign_ins', handle: createSignIn },
  {
    methods: ['GET'],
    path: '/v1/client/sign_ins/:id',
    handle: forSignIn((call, _c, signIn) => call.reply(200, signInResource(signIn))),
  },
  {
    methods: ['POST'],
    path: '/v1/client/sign_ins/:id/attempt_first_factor',
    handle: forSignIn((call, c, signIn) => {
      if (stringParam(call.params, 'strategy') !== 'password' || !signIn.user) {
        return call.fail(
          422,
          'strategy_for_user_invalid',
          'The local stand-in only supports password sign-in.',
          undefined,
          'strategy',
        );
      }
      return attemptPassword(call, c, signIn.user as Account, stringParam(call.params, 'password') ?? '');
    }),
  },

  // Sessions: tokens, touch, sign-out.
  {
    methods: ['POST'],
    path: '/v1/client/sessions/:id/tokens',
    handle: forSession((call, session, account) => {
      // clerk-js names the organization it wants the token for; only one the user belongs to counts.
      const asked = stringParam(call.params, 'organization_id');
      const organizationId =
        asked === undefined ? session.activeOrganizationId : call.instance.membershipOf(account, asked) ? asked : null;
      sendJson(call.res, 200, { object: 'token', jwt: call.instance.mintToken(session, call.origin, organizationId) });
    }),
  },
  {
    methods: ['POST'],
    path: '/v1/client/sessions/:id/tokens/:template',
    handle: forSession((call) =>
      call.fail(404, 'resource_not_found', 'JWT templates are not available in the local stand-in.'),
    ),
  },
  {
    methods: ['POST'],
    path: '/v1/client/sessions/:id/touch',
    handle: forSession((call, session, account) => {
      const asked = stringParam(call.params, 'active_organization_id');
      if (asked !== undefined) {
        session.activeOrganizationId = call.instance.membershipOf(account, asked) ? asked : null;
      }
      session.lastToken = null;
      call.reply(200, sessionResource(call.instance.sessionData(session, call.origin)));
    }),
  },
  ...(['end', 'remove'] as const).map((action): Route => ({
    methods: ['POST'],
    path: `/v1/client/sessions/:id/${action}`,
    handle: forSession((call, session, account) => {
      const c = call.ensureClient();
      const ended = { ...call.instance.sessionData(session, call.origin) };
      call.instance.endSessions(c, [session], action === 'end' ? 'ended' : 'removed');
      call.ctx.log(`signed out: ${account.email}`);
      call.reply(200, sessionResource({ ...ended, status: session.status }));
    }),
  })),
  { methods: ['DELETE'], path: '/v1/client/sessions', handle: signOutAll('signed out (all sessions)') },

  // The signed-in user (UserButton, UserProfile).
  {
    methods: ['GET'],
    path: '/v1/me',
    handle: asUser((call, _session, account) => call.reply(200, userResource(account))),
  },
  {
    methods: ['PATCH'],
    path: '/v1/me',
    handle: asUser((call, _session, account) => {
      const first = stringParam(call.params, 'first_name');
      const last = stringParam(call.params, 'last_name');
      if (first !== undefined) account.firstName = first;
      if (last !== undefined) account.lastName = last;
      account.updatedAt = Date.now();
      call.reply(200, userResource(account));
    }),
  },
  {
    methods: ['GET'],
    path: '/v1/me/sessions/active',
    handle: asUser((call, session) =>
      call.reply(200, [sessionWithActivityResource(call.instance.sessionData(session, call.origin))]),
    ),
  },
  {
    methods: ['GET'],
    path: '/v1/me/organization_memberships',
    handle: asUser((call, _session, account) =>
      list(
        call,
        account.memberships.map((m) => membershipResource(m, account)),
      ),
    ),
  },
];

/** `/v1/client/sessions/:id` → a pattern with named groups. */
const PATTERNS = new Map(
  ROUTES.map((route) => [
    route,
    new RegExp(`^${route.path.replace(/:([a-z]+)/g, (_all, name: string) => `(?<${name}>[^/]+)`)}$`),
  ]),
);

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
  // clerk-js sends PATCH/DELETE as POST with `_method`, so it never needs a CORS preflight.
  const method = (url.searchParams.get('_method') ?? req.method ?? 'GET').toUpperCase();

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

  const call = await callFor(ctx, req, res, url);
  // Clerk Billing (PricingTable, checkout, UserProfile's billing page): fapi-billing.ts.
  const billing = findRoute(billingRoutes, method, path);
  if (billing) {
    const session = call.currentSession();
    return runRoute(billing.route, {
      instance: call.instance,
      url,
      params: call.params,
      match: billing.match,
      account: session ? call.instance.accounts.get(session.userId) : undefined,
      reply: call.reply,
      send: (status, body) => sendJson(res, status, body),
      fail: call.fail,
      log: ctx.log,
    });
  }
  for (const route of ROUTES) {
    if (!route.methods.includes(method)) continue;
    const match = PATTERNS.get(route)!.exec(path);
    if (match) return route.handle(call, match.groups ?? {});
  }
  return notImplemented(call, method, path);
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
