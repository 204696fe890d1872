/** The cache class of server-rendered responses: private unless shared search results for a reader without a session. */
import { describe, expect, it } from 'vitest';
import { CACHE, cachePolicy, serverRenderedCachePolicy } from '../../src/security/headers';

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

describe('cachePolicy (what the server answers itself and files)', () => {
  it('never lets a shared cache keep anything under /api/, OPTIONS and 405 included', () => {
    for (const [path, status] of [
      ['/api/gift-links', 204],
      ['/api/clerk-config.json', 204],
      ['/api/gift-links', 405],
      ['/api/anything', 200],
    ] as const) {
      expect(cachePolicy(path, status, undefined), `${status} ${path}`).toBe(CACHE.private);
    }
  });

  it('keeps the file classes for the rest', () => {
    expect(cachePolicy('/_astro/a.js', 200, undefined)).toBe(CACHE.immutable);
    expect(cachePolicy('/about/', 200, undefined)).toBe(CACHE.publicPage);
    expect(cachePolicy('/about/', 404, undefined)).toBe(CACHE.error);
    expect(cachePolicy('/apis/', 200, undefined)).toBe(CACHE.publicPage);
  });
});
