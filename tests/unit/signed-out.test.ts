/**
 * The "no Clerk state" rule (src/clerk/signed-out.ts), case by case, and pinned against the installed
 * @clerk/backend: every request the rule lets through is one Clerk's own `authenticateRequest` signs out
 * without a handshake, and the names it looks for are the ones Clerk's `constants` hold.
 */
import { createClerkClient } from '@clerk/backend';
// Only here, to compare names with the installed version: the product never imports Clerk internals.
import { constants } from '@clerk/backend/internal';
import { describe, expect, it } from 'vitest';
import { carriesNoClerkSession, CLERK_COOKIES, CLERK_QUERY, type ClerkInstance } from '../../src/clerk/signed-out';
import { generateTestKeys } from '../support/clerk-session';

const probe = (headers: Record<string, string> = {}, query = '', instance: ClerkInstance = 'production') =>
  carriesNoClerkSession({ method: 'GET', headers, query: new URLSearchParams(query) }, instance);

const keys = generateTestKeys();
const SECRET = 'sk_live_signedouttest';
const clerk = createClerkClient({ publishableKey: keys.publishableKey, jwtKey: keys.jwtKey, secretKey: SECRET });
const DOCUMENT = { 'sec-fetch-dest': 'document', accept: 'text/html' };
const FETCH = { 'sec-fetch-dest': 'empty', accept: '*/*' };

/** What Clerk itself decides for this request, as a document navigation and as a fetch. */
async function clerkDecides(headers: Record<string, string>, query: string) {
  const outcomes = [];
  for (const kind of [DOCUMENT, FETCH]) {
    const request = new Request(`https://example.test/members/a/${query ? `?${query}` : ''}`, {
      headers: { ...kind, ...headers },
    });
    const state = await clerk.authenticateRequest(request);
    outcomes.push({ status: state.status, location: state.headers.get('location') });
  }
  return outcomes;
}

const NO_STATE: [Record<string, string>, string][] = [
  [{}, ''],
  [{ cookie: '_ga=1; __client_uat=0; __client_uat_Ab12=0' }, ''],
  [{ cookie: '__sessionid=x; theme=dark' }, ''],
  [{}, 'utm_source=x&page=2'],
];

describe('a request without Clerk state', () => {
  it('has no Clerk cookie but a signed-out `__client_uat=0`, no header token and no Clerk query', () => {
    for (const [headers, query] of NO_STATE) expect(probe(headers, query), JSON.stringify(headers)).toBe(true);
  });

  it('is one the installed Clerk signs out, with no handshake, for navigations and fetches alike', async () => {
    for (const [headers, query] of NO_STATE) {
      for (const outcome of await clerkDecides(headers, query)) {
        expect(outcome, JSON.stringify(headers)).toEqual({ status: 'signed-out', location: null });
      }
    }
  });

  it('any other __client_uat value leaves the decision to Clerk', () => {
    expect(probe({ cookie: '__client_uat=1700000000' })).toBe(false);
    expect(probe({ cookie: '__client_uat=' })).toBe(false);
    expect(probe({ cookie: '__client_uat=abc' })).toBe(false);
    expect(probe({ cookie: '__client_uat_suffix=1700000000' })).toBe(false);
  });

  it('has no session token under any name Clerk reads', () => {
    expect(probe({ cookie: '__session=x' })).toBe(false);
    expect(probe({ cookie: '__session_Ab12=x; __client_uat_Ab12=0' })).toBe(false);
    expect(probe({ cookie: '__refresh_Ab12=x' })).toBe(false);
    expect(probe({ authorization: 'Bearer x' })).toBe(false);
    expect(probe({ authorization: 'x' })).toBe(false);
  });

  it('is not in the middle of a handshake or a development-browser sync', () => {
    expect(probe({}, '__clerk_handshake=x')).toBe(false);
    expect(probe({}, '__clerk_handshake_nonce=x')).toBe(false);
    expect(probe({ cookie: '__clerk_handshake=x' })).toBe(false);
    expect(probe({ cookie: '__clerk_handshake_nonce=x' })).toBe(false);
    expect(probe({}, '__clerk_db_jwt=x')).toBe(false);
    expect(probe({}, '__clerk_synced=true')).toBe(false);
    expect(probe({}, '__dev_session=x')).toBe(false);
    expect(probe({}, '__clerk_anything_new=x')).toBe(false);
  });

  it('is never assumed on a development instance, which may send even a bare page load to a handshake', async () => {
    expect(probe({}, '', 'development')).toBe(false);
    const dev = createClerkClient({
      publishableKey: `pk_test_${Buffer.from('clerk.example.test$').toString('base64')}`,
      jwtKey: keys.jwtKey,
      secretKey: 'sk_test_signedouttest',
    });
    const state = await dev.authenticateRequest(new Request('https://example.test/members/a/', { headers: DOCUMENT }));
    expect(state.status).toBe('handshake');
  });

  it('looks for exactly the cookie and query names the installed @clerk/backend defines', () => {
    expect([...CLERK_COOKIES].sort()).toEqual(Object.values(constants.Cookies).sort());
    expect([...new Set(CLERK_QUERY)].sort()).toEqual(
      [...new Set([...Object.values(constants.QueryParameters), ...Object.values(constants.Cookies)])].sort(),
    );
  });
});
