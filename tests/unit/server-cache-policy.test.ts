/** The cache class of server-rendered responses: private unless shared search results for a reader without a session. */
import { describe, expect, it } from 'vitest';
import { CACHE, serverRenderedCachePolicy } from '../../src/security/headers';

describe('serverRenderedCachePolicy', () => {
  it('keeps the shared search class only without a session and without a cookie being set', () => {
    expect(serverRenderedCachePolicy(CACHE.anonymousSearch, { anonymous: true, setsCookie: false })).toBe(
      CACHE.anonymousSearch,
    );
    expect(serverRenderedCachePolicy(CACHE.anonymousSearch, { anonymous: false, setsCookie: false })).toBe(
      CACHE.private,
    );
    expect(serverRenderedCachePolicy(CACHE.anonymousSearch, { anonymous: true, setsCookie: true })).toBe(CACHE.private);
  });

  it('makes every other choice private, whatever the page asked for', () => {
    for (const chosen of [null, CACHE.publicPage, CACHE.immutable, 'public, max-age=60', CACHE.private]) {
      expect(serverRenderedCachePolicy(chosen, { anonymous: true, setsCookie: false })).toBe(CACHE.private);
    }
  });
});
