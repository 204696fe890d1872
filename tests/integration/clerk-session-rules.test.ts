/**
 * Clerk's session rules as a premium reader meets them on the built server (dist/server/gatepost.mjs): when
 * the member-only text is served, when the reader is bounced to Clerk's handshake instead, and what the
 * return trip from the handshake does. Pinned so that changes inside @clerk/astro / @clerk/backend that
 * should be invisible (e.g. caching env reads, the API client or the imported public key) provably are.
 *
 * Every expected outcome is what the stock SDK does (@clerk/astro 4.0.21 on @clerk/backend 3.25.0), read
 * from `authenticateRequestWithTokenInCookie`, `handleMaybeHandshakeStatus`, `HandshakeService` and
 * `handleSessionTokenError` in node_modules/@clerk/backend/dist/chunk-WJJ2QJZH.mjs. Reasons are Clerk's
 * `AuthErrorReason` values (e.g. SessionTokenWithoutClientUAT = "session-token-but-no-client-uat"), as
 * sent in `x-clerk-auth-reason`.
 *
 * Clerk only redirects to its handshake when `isRequestEligibleForHandshake()`: a GET with
 * `Sec-Fetch-Dest: document` or `iframe`, or with no `Sec-Fetch-Dest` and an `Accept` starting with
 * `text/html`. Every other request with the same cookies is simply signed out. Each case is checked with
 * both kinds of request.
 *
 * Clerk's Backend API is a local stub here (CLERK_API_URL): only the handshake nonce is redeemed through
 * it, and the last test shows that ordinary session checks never call it.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedSourceArticles } from '../support/articles';
import {
  decodePayload,
  FAPI_HOST,
  generateTestKeys,
  mintToken,
  readerClaims,
  serverEnv,
  sessionCookie,
  type TestKeys,
  type TokenOptions,
} from '../support/clerk-session';
import { loadCanaries } from '../support/fixtures';
import { startServer, type RunningServer } from '../support/server';

const premiumArticle = publishedSourceArticles().find((a) => a.access === 'premium')!;
const articlePath = `/members/${premiumArticle.slug}/`;
const canary = loadCanaries()[premiumArticle.slug]!;
const premiumReader = readerClaims().premiumByMetadata;

const HTML_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const DOCUMENT = { 'sec-fetch-dest': 'document', accept: HTML_ACCEPT };
const FETCH = { 'sec-fetch-dest': 'empty', accept: '*/*' };
/** Requests Clerk answers with a handshake redirect when the session needs refreshing. */
const NAVIGATIONS: Record<string, Record<string, string>> = {
  'page navigation (Sec-Fetch-Dest: document)': DOCUMENT,
  'iframe navigation (Sec-Fetch-Dest: iframe)': { 'sec-fetch-dest': 'iframe', accept: HTML_ACCEPT },
  'navigation without Sec-Fetch-Dest (Accept: text/html)': { accept: HTML_ACCEPT },
};
/** Requests Clerk never redirects: with the same cookies they are signed out instead. */
const NON_NAVIGATIONS: Record<string, Record<string, string>> = {
  'fetch from a page (Sec-Fetch-Dest: empty)': FETCH,
  'no Sec-Fetch-Dest, Accept: */*': { accept: '*/*' },
};
const REQUEST_KINDS = [
  ...Object.entries(NAVIGATIONS).map(([name, headers]) => ({ name, headers, navigation: true })),
  ...Object.entries(NON_NAVIGATIONS).map(([name, headers]) => ({ name, headers, navigation: false })),
];

/** The Backend API version Clerk announces in handshake URLs (SUPPORTED_BAPI_VERSION, per SDK release). */
const BAPI_VERSION = '2026-05-12';
const FIRST_REDIRECT_COOKIE = '__clerk_redirect_count=1; SameSite=Lax; HttpOnly; Max-Age=2';

let keys: TestKeys;
let otherKey: KeyObject;
let server: RunningServer;
let bapi: Server;
/** Requests the Backend API stub received, as `METHOD /path?query authorization`. */
const bapiRequests: string[] = [];
/** Handshake nonces the Backend API stub can redeem, with the Set-Cookie directives they stand for. */
const nonces = new Map<string, string[]>();

beforeAll(async () => {
  keys = generateTestKeys();
  otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  bapi = createServer((request, response) => {
    bapiRequests.push(`${request.method} ${request.url} ${request.headers.authorization}`);
    const url = new URL(request.url!, 'http://bapi');
    const directives = url.pathname === '/v1/clients/handshake_payload' && nonces.get(url.searchParams.get('nonce')!);
    response.writeHead(directives ? 200 : 404, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify(
        directives
          ? { directives }
          : { errors: [{ code: 'resource_not_found', message: 'not found', long_message: 'not found' }] },
      ),
    );
  });
  await new Promise<void>((resolve) => bapi.listen(0, '127.0.0.1', resolve));
  server = await startServer({
    ...serverEnv(keys, 'http://127.0.0.1'),
    CLERK_API_URL: `http://127.0.0.1:${(bapi.address() as AddressInfo).port}`,
  });
});
afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => bapi?.close(resolve));
});

async function visit(path: string, cookie: string | undefined, headers: Record<string, string>) {
  const response = await fetch(`${server.url}${path}`, {
    headers: { ...(cookie ? { cookie } : {}), ...headers },
    redirect: 'manual',
  });
  return { response, html: await response.text() };
}
type Visit = Awaited<ReturnType<typeof visit>>;

/** A premium reader's session token, issued and valid at the given offsets (seconds from now). */
const premiumToken = (options: Omit<TokenOptions, 'claims' | 'userId'> = {}) =>
  mintToken(keys, { ...premiumReader, ...options });
const iatOf = (token: string) => Number(decodePayload(token).iat);
const sessionIn = (cookie: string | undefined) => /(?:^|; )__session=([^;]+)/.exec(cookie ?? '')?.[1];

function expectPrivate({ response }: Visit, label: string) {
  expect(response.headers.get('cache-control'), label).toBe('private, no-store');
}

function expectSignedIn(visited: Visit, label: string) {
  const { response, html } = visited;
  expect(response.status, label).toBe(200);
  expectPrivate(visited, label);
  expect(response.headers.get('location'), label).toBeNull();
  expect(html, label).toContain('data-access-granted');
  expect(html, label).toContain(canary);
  // Clerk's signed-in state carries no debug headers.
  expect(response.headers.get('x-clerk-auth-status'), label).toBeNull();
  expect(response.headers.get('x-clerk-auth-reason'), label).toBeNull();
}

function expectSignedOut(visited: Visit, label: string, reason: string, tokenError?: string) {
  const { response, html } = visited;
  expect(response.status, label).toBe(200);
  expectPrivate(visited, label);
  expect(response.headers.get('location'), label).toBeNull();
  expect(html, label).not.toContain(canary);
  expect(html, label).not.toContain('data-access-granted');
  expect(html, label).toContain('data-paywall="sign-in"');
  expect(response.headers.get('x-clerk-auth-status'), label).toBe('signed-out');
  expect(response.headers.get('x-clerk-auth-reason'), label).toBe(reason);
  expectTokenError(visited, label, tokenError);
}

/**
 * A 307 to `https://<FAPI>/v1/client/handshake` with exactly the parameters `buildRedirectToHandshake`
 * writes (the session token, when there is one, travels along for FAPI to refresh), an empty body, and
 * the first redirect-loop counter cookie.
 */
function expectHandshake(visited: Visit, label: string, expected: HandshakeExpectation) {
  const { response, html } = visited;
  expect(response.status, label).toBe(307);
  expectPrivate(visited, label);
  expect(html, label).toBe('');
  expect(html, label).not.toContain(canary);
  const location = new URL(response.headers.get('location') ?? 'missing:');
  expect(`${location.origin}${location.pathname}`, label).toBe(`https://${FAPI_HOST}/v1/client/handshake`);
  expect([...location.searchParams], label).toEqual([
    ['redirect_url', `${server.url}${expected.path ?? articlePath}`],
    ['__clerk_api_version', BAPI_VERSION],
    ['suffixed_cookies', 'false'],
    ['__clerk_hs_reason', expected.reason],
    ['format', 'nonce'],
    ...(expected.session ? [['__session', expected.session]] : []),
  ]);
  expect(response.headers.get('x-clerk-auth-status'), label).toBe('handshake');
  expect(response.headers.get('x-clerk-auth-reason'), label).toBe(expected.reason);
  expect(response.headers.getSetCookie(), label).toEqual([expected.redirectCookie ?? FIRST_REDIRECT_COOKIE]);
  expectTokenError(visited, label, expected.tokenError);
}

interface HandshakeExpectation {
  reason: string;
  session: string | undefined;
  tokenError?: string | undefined;
  path?: string;
  redirectCookie?: string;
}

/** Token verification failures also come with Clerk's message, naming the JWT error; other reasons with none. */
function expectTokenError({ response }: Visit, label: string, tokenError: string | undefined) {
  const message = response.headers.get('x-clerk-auth-message');
  if (tokenError)
    expect(decodeURIComponent(message ?? ''), label).toContain(`(reason=${tokenError}, token-carrier=cookie)`);
  else expect(message, label).toBeNull();
}

type Outcome =
  | { signedIn: true }
  | { signedIn: false; reason: string; handshakeOnNavigation: boolean; tokenError?: string | undefined };

const SIGNED_IN: Outcome = { signedIn: true };
/** Navigation → handshake redirect; any other request → signed out; both with this reason. */
const handshake = (reason: string, tokenError?: string): Outcome => ({
  signedIn: false,
  reason,
  handshakeOnNavigation: true,
  tokenError,
});
/** Signed out for every kind of request: no handshake can help. */
const signedOut = (reason: string, tokenError?: string): Outcome => ({
  signedIn: false,
  reason,
  handshakeOnNavigation: false,
  tokenError,
});

const describeOutcome = (outcome: Outcome) =>
  outcome.signedIn
    ? 'signed in, member text'
    : outcome.handshakeOnNavigation
      ? `no member text: navigation → 307 handshake, other requests → signed out [${outcome.reason}]`
      : `no member text: signed out for every request, no handshake [${outcome.reason}]`;

async function expectOutcome(cookie: () => string, outcome: Outcome) {
  for (const kind of REQUEST_KINDS) {
    // Minted per request, so the clock-skew margins hold however long the previous request took.
    const sent = cookie();
    const visited = await visit(articlePath, sent, kind.headers);
    if (outcome.signedIn) expectSignedIn(visited, kind.name);
    else if (outcome.handshakeOnNavigation && kind.navigation)
      expectHandshake(visited, kind.name, {
        reason: outcome.reason,
        session: sessionIn(sent),
        tokenError: outcome.tokenError,
      });
    else expectSignedOut(visited, kind.name, outcome.reason, outcome.tokenError);
  }
}

describe('a premium reader’s cookies decide between member text, a handshake and signed out', () => {
  const cases: [name: string, cookie: () => string, outcome: Outcome][] = [
    // 1. The normal signed-in browser: clerk-js writes __client_uat no later than the token's iat.
    ['valid token, __client_uat older than its iat', () => sessionCookie(premiumToken()), SIGNED_IN],
    [
      'valid token, __client_uat equal to its iat (Clerk rejects only iat < __client_uat)',
      () => {
        const token = premiumToken();
        return `__session=${token}; __client_uat=${iatOf(token)}`;
      },
      SIGNED_IN,
    ],
    // 2. Sign-out in another tab sets __client_uat=0 while this tab's __session may linger.
    [
      'sign-out in another tab: valid token, __client_uat=0 (SessionTokenWithoutClientUAT)',
      () => `__session=${premiumToken()}; __client_uat=0`,
      handshake('session-token-but-no-client-uat'),
    ],
    [
      'valid token without any __client_uat cookie (SessionTokenWithoutClientUAT)',
      () => `__session=${premiumToken()}`,
      handshake('session-token-but-no-client-uat'),
    ],
    // 3. The client changed (e.g. signed in again, switched session) after this token was issued.
    [
      'token issued one second before the client’s last update, iat < __client_uat (SessionTokenIATBeforeClientUAT)',
      () => {
        const token = premiumToken();
        return `__session=${token}; __client_uat=${iatOf(token) + 1}`;
      },
      handshake('session-token-iat-before-client-uat'),
    ],
    // 4. A client with a session whose token cookie is gone.
    [
      '__client_uat set but no __session (ClientUATWithoutSessionToken)',
      () => `__client_uat=${Math.floor(Date.now() / 1000) - 60}`,
      handshake('client-uat-but-no-session-token'),
    ],
    // 5. Outside the 5 s clock skew. Expired tokens are not refreshed server-side without a __refresh cookie.
    [
      'token expired 10 s ago, beyond the 5 s clock skew (SessionTokenExpired)',
      () => sessionCookie(premiumToken({ iat: -600, nbf: -600, exp: -10 })),
      handshake('session-token-expired-refresh-non-eligible-no-refresh-cookie', 'token-expired'),
    ],
    [
      'token expired an hour ago (SessionTokenExpired)',
      () => sessionCookie(premiumToken({ iat: -4200, nbf: -4200, exp: -3600 })),
      handshake('session-token-expired-refresh-non-eligible-no-refresh-cookie', 'token-expired'),
    ],
    [
      'token not valid before 10 s from now, beyond the skew (SessionTokenNBF)',
      () => sessionCookie(premiumToken({ nbf: 10 })),
      handshake('session-token-nbf', 'token-not-active-yet'),
    ],
    [
      'token issued 10 s in the future, beyond the skew (SessionTokenIatInTheFuture)',
      () => sessionCookie(premiumToken({ iat: 10 })),
      handshake('session-token-iat-in-the-future', 'token-iat-in-the-future'),
    ],
    // 6. Inside the 5 s clock skew (DEFAULT_CLOCK_SKEW_IN_MS): accepted.
    [
      'token expired 2 s ago, within the clock skew',
      () => sessionCookie(premiumToken({ iat: -600, nbf: -600, exp: -2 })),
      SIGNED_IN,
    ],
    [
      'token not valid before 2 s from now, within the clock skew',
      () => sessionCookie(premiumToken({ nbf: 2 })),
      SIGNED_IN,
    ],
    ['token issued 2 s in the future, within the clock skew', () => sessionCookie(premiumToken({ iat: 2 })), SIGNED_IN],
    // 7. Signature failures are final: no handshake, since refreshing cannot fix a forged token.
    [
      'token signed with another key (same kid), valid __client_uat (token-invalid-signature)',
      () => sessionCookie(premiumToken({ signWith: otherKey })),
      signedOut('token-invalid-signature', 'token-invalid-signature'),
    ],
    [
      // The iat < __client_uat comparison runs on the unverified token, before the signature check.
      'token signed with another key and older than __client_uat (SessionTokenIATBeforeClientUAT comes first)',
      () => {
        const token = premiumToken({ signWith: otherKey });
        return `__session=${token}; __client_uat=${iatOf(token) + 1}`;
      },
      handshake('session-token-iat-before-client-uat'),
    ],
  ];

  for (const [name, cookie, outcome] of cases) {
    it(`${name} → ${describeOutcome(outcome)}`, () => expectOutcome(cookie, outcome));
  }

  it('a forged token is still refused right after a valid one was accepted (nothing verified is reused)', async () => {
    for (let round = 0; round < 3; round++) {
      expectSignedIn(await visit(articlePath, sessionCookie(premiumToken()), DOCUMENT), `valid, round ${round}`);
      const forged = sessionCookie(premiumToken({ signWith: otherKey }));
      expectSignedOut(
        await visit(articlePath, forged, DOCUMENT),
        `forged, round ${round}`,
        'token-invalid-signature',
        'token-invalid-signature',
      );
    }
  });
});

/**
 * The server reuses Clerk's signed-in decision for requests with exactly the same inputs while the token
 * is valid (src/clerk/verified-sessions.ts). Whatever a reader or an attacker changes, and the token's
 * own expiry, must still reach Clerk.
 */
describe('a signed-in decision reused between requests', () => {
  it('ends when the token expires: the same cookies are then refused as expired', async () => {
    const cookie = sessionCookie(premiumToken({ exp: 2 }));
    expectSignedIn(await visit(articlePath, cookie, FETCH), 'first visit');
    expectSignedIn(await visit(`/members/${premiumArticle.slug}/?again=1`, cookie, FETCH), 'second visit');
    // Past exp and Clerk's 5 s clock skew.
    await new Promise((resolve) => setTimeout(resolve, 7500));
    expectSignedOut(
      await visit(articlePath, cookie, FETCH),
      'after expiry',
      'session-token-expired-refresh-non-eligible-no-refresh-cookie',
      'token-expired',
    );
  });

  it('ends when the reader signs out in another tab, or the client changes after the token was issued', async () => {
    const token = premiumToken();
    for (let round = 0; round < 2; round++) {
      expectSignedIn(await visit(articlePath, sessionCookie(token), FETCH), `signed in, round ${round}`);
      expectSignedOut(
        await visit(articlePath, `__session=${token}; __client_uat=0`, FETCH),
        `signed out elsewhere, round ${round}`,
        'session-token-but-no-client-uat',
      );
      expectHandshake(
        await visit(articlePath, `__session=${token}; __client_uat=${iatOf(token) + 1}`, DOCUMENT),
        `newer client, round ${round}`,
        {
          reason: 'session-token-iat-before-client-uat',
          session: token,
        },
      );
    }
  });

  it('does not stand in for a handshake’s return trip, which still sets the new cookies', async () => {
    const cookie = sessionCookie(premiumToken());
    expectSignedIn(await visit(articlePath, cookie, DOCUMENT), 'before');
    const fresh = premiumToken();
    const directives = [
      `__session=${fresh}; Path=/; Secure; SameSite=Lax`,
      `__client_uat=${iatOf(fresh) - 5}; Path=/; Max-Age=315360000; Secure; SameSite=Lax`,
    ];
    const returned = mintToken(keys, { claims: { handshake: directives } });
    const visited = await visit(`${articlePath}?__clerk_handshake=${returned}`, cookie, DOCUMENT);
    expectSignedIn(visited, 'return trip');
    expect(visited.response.headers.getSetCookie()).toEqual(directives);
  });
});

describe('handshake redirects', () => {
  it('send the reader back to the exact URL they asked for, query string included', async () => {
    const path = `${articlePath}?from=newsletter&issue=12`;
    const cookie = `__session=${premiumToken()}; __client_uat=0`;
    expectHandshake(await visit(path, cookie, DOCUMENT), 'with query', {
      reason: 'session-token-but-no-client-uat',
      session: sessionIn(cookie),
      path,
    });
  });

  it('stop after three in a row: the third counts up to 3, the next is served signed out (no redirect loop)', async () => {
    const stale = `__session=${premiumToken()}; __client_uat=0`;
    expectHandshake(await visit(articlePath, `${stale}; __clerk_redirect_count=2`, DOCUMENT), 'count 2', {
      reason: 'session-token-but-no-client-uat',
      session: sessionIn(stale),
      redirectCookie: '__clerk_redirect_count=3; SameSite=Lax; HttpOnly; Max-Age=2',
    });
    const looped = await visit(articlePath, `${stale}; __clerk_redirect_count=3`, DOCUMENT);
    expectSignedOut(looped, 'count 3', 'session-token-but-no-client-uat');
    expect(looped.response.headers.getSetCookie()).toEqual([]);
  });
});

/**
 * Coming back from FAPI's handshake, the request carries the new cookies as Set-Cookie directives: in a
 * `__clerk_handshake` JWT (query or cookie) signed with the instance key, or as a `__clerk_handshake_nonce`
 * redeemed at the Backend API. On a production instance (pk_live_) Clerk does not redirect back to the
 * clean URL (`resolveHandshake` adds a Location only for development instances): the page is answered
 * directly with the directives forwarded as Set-Cookie, plus `Access-Control-Allow-Origin: null` and
 * `Access-Control-Allow-Credentials: true`.
 */
describe('the handshake return trip', () => {
  const directivesFor = (token: string) => [
    `__session=${token}; Path=/; Secure; SameSite=Lax`,
    `__client_uat=${iatOf(token) - 5}; Path=/; Max-Age=315360000; Secure; SameSite=Lax`,
  ];
  const handshakeJwt = (directives: string[], options: Omit<TokenOptions, 'claims'> = {}) =>
    mintToken(keys, { ...options, claims: { handshake: directives } });

  function expectHonoured(visited: Visit, label: string, directives: string[]) {
    expectSignedIn(visited, label);
    expect(visited.response.headers.getSetCookie(), label).toEqual(directives);
    expect(visited.response.headers.get('access-control-allow-origin'), label).toBe('null');
    expect(visited.response.headers.get('access-control-allow-credentials'), label).toBe('true');
  }

  function expectIgnored(visited: Visit, label: string) {
    expect(visited.response.headers.getSetCookie(), label).toEqual([]);
    expect(visited.response.headers.get('access-control-allow-origin'), label).toBeNull();
  }

  it('a handshake JWT in the query signs the reader in and sets the new cookies, for every kind of request', async () => {
    for (const kind of REQUEST_KINDS) {
      const directives = directivesFor(premiumToken());
      const path = `${articlePath}?__clerk_handshake=${handshakeJwt(directives)}`;
      expectHonoured(await visit(path, undefined, kind.headers), kind.name, directives);
    }
  });

  it('so does a handshake JWT in the __clerk_handshake cookie, replacing a stale session', async () => {
    for (const kind of REQUEST_KINDS) {
      const directives = directivesFor(premiumToken());
      const stale = `__session=${premiumToken({ iat: -4200, nbf: -4200, exp: -3600 })}; __client_uat=1`;
      const cookie = `${stale}; __clerk_handshake=${handshakeJwt(directives)}`;
      expectHonoured(await visit(articlePath, cookie, kind.headers), kind.name, directives);
    }
  });

  it('the handshake JWT’s own exp is not checked; only the session token inside it is verified', async () => {
    const directives = directivesFor(premiumToken());
    const old = handshakeJwt(directives, { iat: -9000, nbf: -9000, exp: -8000 });
    const visited = await visit(`${articlePath}?__clerk_handshake=${old}`, undefined, DOCUMENT);
    expectHonoured(visited, 'expired handshake JWT', directives);
  });

  it('a nonce is redeemed at the Backend API (CLERK_API_URL, with the secret key) and signs the reader in', async () => {
    for (const [index, kind] of REQUEST_KINDS.entries()) {
      const nonce = `nonce_ok_${index}`;
      const directives = directivesFor(premiumToken());
      nonces.set(nonce, directives);
      const before = bapiRequests.length;
      expectHonoured(
        await visit(`${articlePath}?__clerk_handshake_nonce=${nonce}`, undefined, kind.headers),
        kind.name,
        directives,
      );
      expect(bapiRequests.slice(before), kind.name).toEqual([
        `GET /v1/clients/handshake_payload?nonce=${nonce} Bearer ${keys.secretKey}`,
      ]);
    }
  });

  it('a handshake that ends the session wins over still-valid cookies: signed out, cookies cleared', async () => {
    const cleared = ['__session=; Path=/; Max-Age=0', '__client_uat=0; Path=/; Max-Age=315360000'];
    for (const kind of REQUEST_KINDS) {
      const path = `${articlePath}?__clerk_handshake=${handshakeJwt(cleared)}`;
      const visited = await visit(path, sessionCookie(premiumToken()), kind.headers);
      expectSignedOut(visited, kind.name, 'session-token-missing');
      expect(visited.response.headers.getSetCookie(), kind.name).toEqual(cleared);
    }
  });

  it('a nonce the Backend API does not know signs the reader out for that request, even with valid cookies', async () => {
    for (const [index, kind] of REQUEST_KINDS.entries()) {
      const nonce = `nonce_unknown_${index}`;
      const before = bapiRequests.length;
      const visited = await visit(
        `${articlePath}?__clerk_handshake_nonce=${nonce}`,
        sessionCookie(premiumToken()),
        kind.headers,
      );
      expectSignedOut(visited, kind.name, 'session-token-missing');
      expect(visited.response.headers.getSetCookie(), kind.name).toEqual([]);
      expect(bapiRequests.slice(before), kind.name).toHaveLength(1);
    }
  });

  it('a handshake JWT signed with another key is ignored: no cookies set, the request’s own cookies decide', async () => {
    for (const kind of REQUEST_KINDS) {
      const forged = handshakeJwt(directivesFor(premiumToken()), { signWith: otherKey });
      const path = `${articlePath}?__clerk_handshake=${forged}`;
      const anonymous = await visit(path, undefined, kind.headers);
      expectSignedOut(anonymous, `${kind.name}, no cookies`, 'session-token-and-uat-missing');
      expectIgnored(anonymous, `${kind.name}, no cookies`);
      const signedIn = await visit(path, sessionCookie(premiumToken()), kind.headers);
      expectSignedIn(signedIn, `${kind.name}, valid cookies`);
      expectIgnored(signedIn, `${kind.name}, valid cookies`);
    }
  });

  it('a handshake carrying an expired session token is ignored: no cookies set, no member text', async () => {
    for (const kind of REQUEST_KINDS) {
      const expired = directivesFor(premiumToken({ iat: -4200, nbf: -4200, exp: -3600 }));
      const visited = await visit(`${articlePath}?__clerk_handshake=${handshakeJwt(expired)}`, undefined, kind.headers);
      expectSignedOut(visited, kind.name, 'session-token-and-uat-missing');
      expectIgnored(visited, kind.name);
    }
  });
});

describe('the Backend API', () => {
  it('is not called for any ordinary session check, whatever its outcome', async () => {
    const before = bapiRequests.length;
    for (const headers of [DOCUMENT, FETCH]) {
      expectSignedIn(await visit(articlePath, sessionCookie(premiumToken()), headers), 'valid');
      await visit(articlePath, sessionCookie(premiumToken({ iat: -4200, nbf: -4200, exp: -3600 })), headers);
      await visit(articlePath, `__session=${premiumToken()}; __client_uat=0`, headers);
      await visit(articlePath, sessionCookie(premiumToken({ signWith: otherKey })), headers);
      const handshakeBack = mintToken(keys, { claims: { handshake: [`__session=${premiumToken()}; Path=/`] } });
      await visit(`${articlePath}?__clerk_handshake=${handshakeBack}`, undefined, headers);
    }
    expect(bapiRequests.slice(before)).toEqual([]);
  });
});
