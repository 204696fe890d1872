/**
 * The reuse of Clerk's signed-in decisions (src/clerk/verified-sessions.ts), pinned against the installed
 * @clerk/backend: requests the key treats as the same get the same decision from Clerk's own
 * `authenticateRequest`; every request header Clerk names is keyed; and only a signed-in state with no
 * headers is kept, for no longer than its token is valid.
 */
import { createClerkClient } from '@clerk/backend';
// Only here, to compare names with the installed version: the product never imports Clerk internals.
import { constants } from '@clerk/backend/internal';
import { describe, expect, it } from 'vitest';
import {
  KEYED_HEADERS,
  RESPONSE_ONLY_HEADERS,
  reusableFor,
  sessionKey,
  VerifiedSessions,
} from '../../src/clerk/verified-sessions';
import { generateTestKeys, mintToken, readerClaims, sessionCookie, TEST_SITE_ORIGIN } from '../support/clerk-session';

const keys = generateTestKeys();
const clerk = createClerkClient({
  publishableKey: keys.publishableKey,
  jwtKey: keys.jwtKey,
  secretKey: keys.secretKey,
});
const options = { authorizedParties: [TEST_SITE_ORIGIN], acceptsToken: 'session_token' as const };
const ORIGIN = 'http://127.0.0.1';
const DOCUMENT = { 'sec-fetch-dest': 'document', accept: 'text/html,application/xhtml+xml' };
const FETCH = { 'sec-fetch-dest': 'empty', accept: '*/*' };
const premium = readerClaims().premiumByMetadata;

const request = (path: string, headers: Record<string, string>, method = 'GET') =>
  new Request(`${ORIGIN}${path}`, { method, headers: { host: '127.0.0.1', ...headers } });

/** Clerk's decision, as far as anything that reads it can tell. */
async function decision(req: Request) {
  const state = await clerk.authenticateRequest(req, options);
  const auth = state.toAuth() as { userId?: string | null; sessionId?: string | null; sessionClaims?: unknown };
  return {
    status: state.status,
    reason: state.reason,
    message: state.message,
    headers: [...state.headers],
    userId: auth?.userId,
    sessionId: auth?.sessionId,
    claims: auth?.sessionClaims,
  };
}

describe('the key', () => {
  it('covers every request header @clerk/backend names, the cookie header, and nothing response-only', () => {
    const named = new Set<string>([...Object.values(constants.Headers), 'cookie']);
    const accounted = new Set<string>([...KEYED_HEADERS, ...RESPONSE_ONLY_HEADERS, 'referer']);
    expect([...named].filter((name) => !accounted.has(name))).toEqual([]);
    // The lists name only what Clerk names, so they cannot quietly grow stale either.
    expect([...accounted].filter((name) => !named.has(name))).toEqual([]);
  });

  it('treats as the same only requests the installed Clerk decides the same, for navigations and fetches', async () => {
    const cookie = sessionCookie(mintToken(keys, premium));
    for (const kind of [DOCUMENT, FETCH]) {
      const base = request('/members/a/', { ...kind, cookie, referer: `${ORIGIN}/` });
      const same = [
        request('/members/another/', { ...kind, cookie, referer: `${ORIGIN}/` }),
        request('/members/a/?utm_source=newsletter&page=2', { ...kind, cookie, referer: `${ORIGIN}/` }),
        request('/members/a/', { ...kind, cookie, referer: `${ORIGIN}/archive/?q=x` }),
        request('/members/a/', {
          ...kind,
          cookie,
          referer: `${ORIGIN}/`,
          'accept-language': 'fr',
          'x-request-id': '7',
        }),
      ];
      const expected = await decision(base);
      expect(expected.status).toBe('signed-in');
      for (const req of same) {
        expect(sessionKey(req), req.url).toBe(sessionKey(base));
        expect(await decision(req), req.url).toEqual(expected);
      }
    }
  });

  it('differs when anything Clerk reads differs', () => {
    const cookie = sessionCookie(mintToken(keys, premium));
    const headers = { ...DOCUMENT, cookie, referer: `${ORIGIN}/` };
    const base = sessionKey(request('/members/a/', headers));
    expect(base).toBeDefined();
    for (const name of KEYED_HEADERS) {
      expect(sessionKey(request('/members/a/', { ...headers, [name]: 'other' })), name).not.toBe(base);
    }
    const variants = [
      request('/members/a/', { ...headers, referer: 'https://elsewhere.example/' }),
      request('/members/a/', { ...headers, referer: 'not a url' }),
      request('/members/a/', { ...headers, cookie: `${cookie}; theme=dark` }),
      request('/members/a/', headers, 'POST'),
      new Request('https://127.0.0.1/members/a/', { headers: { host: '127.0.0.1', ...headers } }),
    ];
    for (const req of variants) expect(sessionKey(req)).not.toBe(base);
  });

  it('is absent for a request with a Clerk query parameter or no credential at all', () => {
    const cookie = sessionCookie(mintToken(keys, premium));
    for (const query of [
      '__clerk_handshake=x',
      '__clerk_handshake_nonce=x',
      '__clerk_synced=true',
      '__clerk_db_jwt=x',
    ]) {
      expect(sessionKey(request(`/members/a/?${query}`, { ...DOCUMENT, cookie })), query).toBeUndefined();
    }
    expect(sessionKey(request('/members/a/', DOCUMENT))).toBeUndefined();
    expect(sessionKey(request('/members/a/', { ...DOCUMENT, authorization: 'Bearer x' }))).toBeDefined();
  });
});

describe('what is kept, and for how long', () => {
  const stateFor = (cookie: string, headers: Record<string, string> = FETCH) =>
    clerk.authenticateRequest(request('/members/a/', { ...headers, cookie }), options);

  it('a signed-in state until its token expires, at most a minute', async () => {
    const soon = await stateFor(sessionCookie(mintToken(keys, { ...premium, exp: 30 })));
    const ttl = reusableFor(soon);
    expect(ttl).toBeGreaterThan(28_000);
    expect(ttl).toBeLessThanOrEqual(30_000);
    expect(reusableFor(await stateFor(sessionCookie(mintToken(keys, premium))))).toBe(60_000);
  });

  it('nothing Clerk did not sign in, nothing with headers, nothing already expired', async () => {
    // Expired 2 s ago: Clerk still accepts it (clock skew), but there is no time left to reuse it.
    const skewed = await stateFor(sessionCookie(mintToken(keys, { ...premium, iat: -600, nbf: -600, exp: -2 })));
    expect(skewed.status).toBe('signed-in');
    expect(reusableFor(skewed)).toBe(0);
    const forged = await stateFor(
      sessionCookie(mintToken(keys, { ...premium, signWith: generateTestKeys().privateKey })),
    );
    expect(forged.status).toBe('signed-out');
    expect(reusableFor(forged)).toBe(0);
    const handshake = await stateFor(`__session=${mintToken(keys, premium)}; __client_uat=0`, DOCUMENT);
    expect(handshake.status).toBe('handshake');
    expect(reusableFor(handshake)).toBe(0);
  });

  it('a remembered state is returned for the same key and forgotten when its token expires', async () => {
    const sessions = new VerifiedSessions<Awaited<ReturnType<typeof stateFor>>>();
    const cookie = sessionCookie(mintToken(keys, { ...premium, exp: 1 }));
    const key = sessionKey(request('/members/a/', { ...FETCH, cookie }));
    const state = await stateFor(cookie);
    sessions.remember(key, state);
    const remembered = sessions.get(key)!;
    expect(remembered.status).toBe('signed-in');
    expect(remembered.token).toBe(state.token);
    // One auth object for every request that reuses the decision, equal to Clerk's own.
    expect(remembered.toAuth()).toBe(remembered.toAuth());
    expect(JSON.stringify(remembered.toAuth())).toBe(JSON.stringify(state.toAuth()));
    expect(sessions.get(sessionKey(request('/members/b/', { ...FETCH, cookie })))).toBe(remembered);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(sessions.get(key)).toBeUndefined();
    expect(sessions.size).toBe(0);
  });

  it('a signed-out decision is never remembered', async () => {
    const sessions = new VerifiedSessions<Awaited<ReturnType<typeof stateFor>>>();
    const cookie = `__session=${mintToken(keys, premium)}; __client_uat=0`;
    const key = sessionKey(request('/members/a/', { ...FETCH, cookie }));
    sessions.remember(key, await stateFor(cookie));
    expect(sessions.get(key)).toBeUndefined();
  });
});
