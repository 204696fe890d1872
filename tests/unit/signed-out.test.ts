/** The "no Clerk session state" rule (src/clerk/signed-out.ts), case by case. */
import { describe, expect, it } from 'vitest';
import { carriesNoClerkSession, type ClerkInstance } from '../../src/clerk/signed-out';

const probe = (headers: Record<string, string> = {}, query = '', instance: ClerkInstance = 'production') =>
  carriesNoClerkSession({ method: 'GET', headers, query: new URLSearchParams(query) }, instance);

describe('a request without Clerk session state', () => {
  it('has no session cookie, no active client, no header token and no handshake', () => {
    expect(probe()).toBe(true);
    expect(probe({ cookie: '_ga=1; __client_uat=0; __client_uat_Ab12=0' })).toBe(true);
    expect(probe({ cookie: '__client_uat=; __client_uat_x="0"' })).toBe(true);
    expect(probe({}, 'utm_source=x')).toBe(true);
  });

  it('reads __client_uat as Clerk does: parseInt, percent-decoded, first cookie of a name wins', () => {
    expect(probe({ cookie: '__client_uat=1700000000' })).toBe(false);
    expect(probe({ cookie: '__client_uat=%31' })).toBe(false);
    expect(probe({ cookie: '__client_uat=-1' })).toBe(false);
    expect(probe({ cookie: '__client_uat=abc' })).toBe(true);
    expect(probe({ cookie: '__client_uat=0; __client_uat=1700000000' })).toBe(true);
    expect(probe({ cookie: '__client_uat_suffix=1700000000' })).toBe(false);
  });

  it('has no session token under any name Clerk reads', () => {
    expect(probe({ cookie: '__session=x' })).toBe(false);
    expect(probe({ cookie: '__session_Ab12=x; __client_uat_Ab12=0' })).toBe(false);
    expect(probe({ authorization: 'Bearer x' })).toBe(false);
    expect(probe({ authorization: 'x' })).toBe(false);
    // Not a Clerk cookie, only a similar name.
    expect(probe({ cookie: '__sessionid=x' })).toBe(true);
  });

  it('is not in the middle of a handshake or a development-browser sync', () => {
    expect(probe({}, '__clerk_handshake=x')).toBe(false);
    expect(probe({}, '__clerk_handshake_nonce=x')).toBe(false);
    expect(probe({ cookie: '__clerk_handshake=x' })).toBe(false);
    expect(probe({ cookie: '__clerk_handshake_nonce=x' })).toBe(false);
    expect(probe({}, '__clerk_db_jwt=x')).toBe(false);
    expect(probe({}, '__clerk_synced=true')).toBe(false);
    expect(probe({}, '__dev_session=x')).toBe(false);
  });

  it('on a development instance, is not a document request Clerk would send to a handshake', () => {
    expect(probe({}, '', 'development')).toBe(true);
    expect(probe({ 'sec-fetch-dest': 'document' }, '', 'development')).toBe(false);
    expect(probe({ 'sec-fetch-dest': 'iframe' }, '', 'development')).toBe(false);
    expect(probe({ accept: 'text/html,*/*' }, '', 'development')).toBe(false);
    expect(probe({ 'sec-fetch-dest': 'empty', accept: 'text/html' }, '', 'development')).toBe(true);
    expect(probe({ 'sec-fetch-dest': 'document' }, '', 'production')).toBe(true);
  });
});
