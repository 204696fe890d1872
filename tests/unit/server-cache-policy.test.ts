/** The one cache policy (`cacheControl`): the header every response gets from the class its route or page declared. */
import { describe, expect, it } from 'vitest';
import { CACHE, cacheControl, type CacheClass } from '../../src/security/headers';

const rendered = (anonymous: boolean, setsCookie: boolean) => ({
  path: '/search/',
  status: 200,
  rendered: { anonymous, setsCookie },
});

describe('cacheControl for rendered responses', () => {
  it('keeps the shared search class only without a session and without a cookie being set', () => {
    expect(cacheControl('anonymousSearch', rendered(true, false))).toBe(CACHE.anonymousSearch);
    expect(cacheControl('anonymousSearch', rendered(false, false))).toBe(CACHE.private);
    expect(cacheControl('anonymousSearch', rendered(true, true))).toBe(CACHE.private);
  });

  it('makes every other declared class private, whatever the page asked for', () => {
    for (const declared of [undefined, 'publicPage', 'immutable', 'error', 'private'] as const) {
      expect(cacheControl(declared, rendered(true, false)), String(declared)).toBe(CACHE.private);
    }
  });
});

describe('cacheControl for social cards (the same for every reader, src/middleware.ts)', () => {
  it('shared for an hour when served or not modified; kept by nobody when refused or missing', () => {
    expect(cacheControl('card', { path: '/og/home.png', status: 200 })).toBe('public, max-age=3600');
    expect(cacheControl('card', { path: '/og/home.png', status: 304 })).toBe(CACHE.card);
    for (const status of [404, 503]) expect(cacheControl('card', { path: '/og/x.png', status })).toBe('no-store');
    // A card class declared by a page rendered for a reader stays private.
    expect(cacheControl('card', rendered(true, false))).toBe(CACHE.private);
  });
});

describe('cacheControl for files and what the server answers itself', () => {
  it('never lets a shared cache keep anything under /api/, OPTIONS and 405 included', () => {
    for (const [path, status, declared] of [
      ['/api/gift-links', 204, undefined],
      ['/api/clerk-config.json', 204, undefined],
      ['/api/gift-links', 405, undefined],
      ['/api/anything', 200, undefined],
      ['/api/anything', 200, 'publicPage'],
    ] as const) {
      expect(cacheControl(declared, { path, status }), `${status} ${path}`).toBe(CACHE.private);
    }
  });

  it('keeps the file classes for the rest, declared or by path', () => {
    expect(cacheControl(undefined, { path: '/_astro/a.js', status: 200 })).toBe(CACHE.immutable);
    expect(cacheControl('immutable', { path: '/_astro/a.js', status: 200 })).toBe(CACHE.immutable);
    expect(cacheControl(undefined, { path: '/about/', status: 200 })).toBe(CACHE.publicPage);
    expect(cacheControl(undefined, { path: '/apis/', status: 200 })).toBe(CACHE.publicPage);
    expect(cacheControl('error', { path: '/healthz', status: 200 })).toBe(CACHE.error);
  });

  it('keeps no error, whatever class the route declared; a private answer stays private', () => {
    for (const declared of [undefined, 'publicPage', 'immutable'] satisfies (CacheClass | undefined)[]) {
      expect(cacheControl(declared, { path: '/about/', status: 404 }), String(declared)).toBe(CACHE.error);
    }
    expect(cacheControl('private', { path: '/members/x/', status: 404 })).toBe(CACHE.private);
    expect(cacheControl('private', { path: '/members/x/', status: 200 })).toBe(CACHE.private);
  });
});
