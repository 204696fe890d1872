/**
 * A stand-in for Clerk's Frontend API (FAPI) inside Playwright, so browser tests can run Clerk's real
 * browser code (clerk-js and @clerk/ui, served from the npm packages installed as devDependencies) with
 * no network. Clerk's servers are unreachable from the test machines; everything the browser would ask
 * `https://clerk.gatepost-test.example` is answered here instead.
 *
 * Only what a signed-in reader's header needs: loading the scripts, the instance settings, one client
 * with one active session, fresh session tokens, and signing out. Sign-in flows are out of scope here:
 * the local stand-in server (packages/clerk-standin, the `standin` Playwright project) covers them through the
 * real <SignIn/>. Any other FAPI path gets Clerk's error format (so clerk-js fails fast instead of
 * waiting on a request that never answers) and is listed in `unhandled` for the test to inspect.
 *
 * The JSON it answers with (environment, client, session, user) and the bundle files come from the
 * stand-in's package (@gatepost/clerk-standin/resources and /bundles), so both stand-ins speak the same FAPI.
 *
 * Session tokens are minted with the test run's private key (tests/support/clerk-session.ts), so the
 * built server verifies every token clerk-js writes into `__session` exactly as in production.
 *
 * Pitfall: don't end a test while a navigation Clerk started (e.g. the redirect after "Sign out") is
 * still in flight. With routes installed, closing the context mid-navigation sometimes hangs until the
 * test times out (seen with Playwright 1.65 + Chromium 156); wait for the destination page instead.
 */
import type { BrowserContext, Page, Route } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { bundleFile } from '@gatepost/clerk-standin/bundles';
import {
  clerkErrorBody,
  clientResource,
  environmentResource,
  sessionResource,
  type SessionData,
  type UserData,
} from '@gatepost/clerk-standin/resources';
import { decodePayload, FAPI_HOST, mintToken, type TestKeys } from './clerk-session';

export interface StubUser {
  firstName: string;
  lastName: string;
  email: string;
}

export interface FapiStubOptions {
  keys: TestKeys;
  /** The site's origin (e.g. `http://127.0.0.1:4330`): allowed by CORS, with credentials. */
  origin: string;
  /** The signed-in reader. Leave out `user` and `token` for a browser with no Clerk session. */
  user?: StubUser;
  /** The session token the browser holds (`__session`); its `sub`, `sid` and custom claims are reused. */
  token?: string;
}

export interface FapiStub {
  /** Every FAPI request seen, as `METHOD /path`. */
  requests: string[];
  /** Requests answered with `not_implemented`. */
  unhandled: string[];
}

/** Claims every session token has; anything else in the given token (metadata, plans…) is carried over. */
const STANDARD_CLAIMS = new Set(['azp', 'iss', 'sub', 'sid', 'iat', 'nbf', 'exp', 'jti']);

export async function installFapiStub(target: Page | BrowserContext, options: FapiStubOptions): Promise<FapiStub> {
  const { keys, origin, user, token } = options;
  const stub: FapiStub = { requests: [], unhandled: [] };

  const claims = token ? decodePayload(token) : undefined;
  const userId = String(claims?.sub ?? 'user_test');
  const sessionId = String(claims?.sid ?? 'sess_test');
  const customClaims = Object.fromEntries(Object.entries(claims ?? {}).filter(([name]) => !STANDARD_CLAIMS.has(name)));
  // The client's `updated_at` becomes the browser's `__client_uat` cookie. It must not be newer than the
  // session token's `iat`, or the server treats the token as stale and redirects to a handshake.
  const issuedAt = Number(claims?.iat ?? Math.floor(Date.now() / 1000));
  const clientUpdatedAt = (issuedAt - 5) * 1000;
  let signedIn = !!(user && token);
  let lastToken = token;

  const cors = {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    'access-control-allow-methods': 'GET, POST, PATCH, DELETE, OPTIONS',
    'access-control-allow-headers': 'content-type, authorization',
    vary: 'Origin',
  };
  const json = (route: Route, body: unknown, status = 200) =>
    route.fulfill({ status, headers: { ...cors, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const clerkError = (route: Route, status: number, code: string, message: string) =>
    json(route, clerkErrorBody(code, message), status);

  // Real FAPI lives on a subdomain of the site and sets `__client_uat` on the site's domain with every
  // client it returns (clerk-js writes that cookie itself only for development instances). A made-up host
  // can't set cookies for the site, so the stub writes it through Playwright, as FAPI's Set-Cookie would:
  // after sign-out it becomes 0, which is how the site knows not to load Clerk for this browser anymore.
  const context = 'context' in target ? target.context() : target;
  const clientWithCookie = async () => {
    const client = clientJson();
    const uat = client.sessions.length ? Math.floor(client.updated_at / 1000) : 0;
    await context.addCookies([{ name: '__client_uat', value: String(uat), url: origin, sameSite: 'Lax' }]);
    return client;
  };

  const freshToken = () => {
    lastToken = mintToken(keys, { azp: new URL(origin).origin, userId, sessionId, claims: customClaims });
    return lastToken;
  };
  const userData = (): UserData | undefined =>
    user && { id: userId, ...user, createdAt: clientUpdatedAt, updatedAt: clientUpdatedAt };
  const session = (): SessionData => ({
    id: sessionId,
    user: userData()!,
    status: 'active',
    lastActiveToken: lastToken ?? freshToken(),
    activeOrganizationId: null,
    createdAt: clientUpdatedAt,
    lastActiveAt: clientUpdatedAt,
  });
  const sessionJson = () => sessionResource(session());
  const clientJson = () =>
    clientResource({
      id: 'client_stub',
      sessions: signedIn ? [session()] : [],
      signIn: null,
      signUp: null,
      lastActiveSessionId: signedIn ? sessionId : null,
      createdAt: clientUpdatedAt,
      updatedAt: signedIn ? clientUpdatedAt : Date.now(),
    });

  await target.route(`https://${FAPI_HOST}/**`, async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    // clerk-js sends DELETE/PATCH as POST with `_method` (no CORS preflight needed).
    const method = (url.searchParams.get('_method') ?? request.method()).toUpperCase();
    const path = url.pathname;
    stub.requests.push(`${method} ${path}`);

    // CORS preflight, should clerk-js ever send one.
    if (method === 'OPTIONS') return route.fulfill({ status: 204, headers: cors });

    // clerk-js, @clerk/ui and their lazy chunks, from the installed packages. Only the versions installed
    // (or their major, which is what @clerk/astro asks for), so a mismatch fails loudly here.
    const bundle = bundleFile(path);
    if (bundle) {
      if ('error' in bundle) return route.fulfill({ status: 404, headers: cors, body: bundle.error });
      const headers = { ...cors, 'content-type': bundle.contentType };
      return route.fulfill({ status: 200, headers, body: readFileSync(bundle.file) });
    }

    // Instance settings: what clerk-js and the UI need to know about the (production) instance.
    if (method === 'GET' && path === '/v1/environment') return json(route, environmentResource({ origin }));

    // The browser's client: its sessions and their users. clerk-js loads it on start.
    if (method === 'GET' && path === '/v1/client') {
      const client = await clientWithCookie();
      return json(route, { response: client, client });
    }

    const sessionPath = /^\/v1\/client\/sessions\/([^/]+)(?:\/(.+))?$/.exec(path);
    const sameSession = sessionPath?.[1] === sessionId;

    // A fresh session token: clerk-js refreshes `__session` before it expires and on focus.
    if (method === 'POST' && sameSession && sessionPath?.[2] === 'tokens') {
      if (!signedIn) return clerkError(route, 401, 'signed_out', 'The session has ended.');
      return json(route, { object: 'token', jwt: freshToken() });
    }

    // Marks the session active (clerk-js calls it when a session becomes the current one).
    if (method === 'POST' && sameSession && sessionPath?.[2] === 'touch') {
      return json(route, { response: sessionJson(), client: clientJson() });
    }

    // Sign-out: the current session ends (end/remove), or all of the client's sessions (DELETE).
    if (
      (method === 'POST' && sameSession && (sessionPath?.[2] === 'end' || sessionPath?.[2] === 'remove')) ||
      (method === 'DELETE' && (path === '/v1/client/sessions' || path === '/v1/client'))
    ) {
      const ended = { ...sessionJson(), status: sessionPath?.[2] === 'remove' ? 'removed' : 'ended' };
      signedIn = false;
      const client = await clientWithCookie();
      return json(route, { response: sessionPath ? ended : client, client });
    }

    stub.unhandled.push(`${method} ${path}`);
    return clerkError(
      route,
      method === 'GET' ? 404 : 422,
      'not_implemented',
      `The test FAPI stub does not implement ${method} ${path}.`,
    );
  });
  return stub;
}
