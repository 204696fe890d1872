/**
 * Every route, walked: each response carries the security headers and the right cache class. Anything
 * that depends on who is asking is `private, no-store`; prerendered pages and files may be cached by
 * shared caches; content-hashed assets are immutable.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { loadSourceArticles, publishedSourceArticles } from '../support/articles';
import { mintToken, readerClaims, sessionCookie } from '../support/clerk-session';
import { DIST } from '../support/paths';
import { useKeyedServer } from '../support/fixtures';

const CACHE = {
  immutable: 'public, max-age=31536000, immutable',
  publicPage: 'public, max-age=600, s-maxage=3600, stale-while-revalidate=86400',
  private: 'private, no-store',
  error: 'no-store',
};

// This server trusts its loopback proxy's X-Forwarded-Proto (GATEPOST_TRUST_PROXY, docs/deploy.md).
const keyed = useKeyedServer({ GATEPOST_TRUST_PROXY: 'loopback' });

const published = publishedSourceArticles();
const tags = [...new Set(published.flatMap((a) => a.tags))];

function staticRoutes(): string[] {
  const assets = readdirSync(`${DIST}client/_astro`)
    // `.br`/`.gz` beside a file are its compressed encodings (tests/integration/server.test.ts), not URLs.
    .filter((f) => !/\.(br|gz)$/.test(f))
    .slice(0, 10)
    .map((f) => `/_astro/${f}`);
  return [
    '/',
    '/articles/',
    '/articles/2/',
    '/tags/',
    ...tags.map((t) => `/tags/${t}/`),
    '/about/',
    '/rss.xml',
    '/sitemap.xml',
    '/robots.txt',
    '/favicon.svg',
    ...published.filter((a) => a.access === 'public').map((a) => `/articles/${a.slug}/`),
    ...assets,
  ];
}

function privateRoutes(): string[] {
  const draft = loadSourceArticles().find((a) => a.draft)!;
  return [
    ...published.filter((a) => a.access !== 'public').map((a) => `/members/${a.slug}/`),
    '/members/no-such-article/',
    '/sign-in/',
    '/sign-in/factor-one',
    '/sign-up/',
    '/account/',
    '/account/organization/',
    '/account/organization/organization-members',
    '/pricing/',
    '/pricing/?return=/members/x/',
    '/api/clerk-config.json',
    '/editor/',
    `/editor/preview/${draft.slug}/`,
  ];
}

const who = () => ({
  anonymous: '',
  member: sessionCookie(mintToken(keyed.keys, readerClaims().member)),
  editor: sessionCookie(mintToken(keyed.keys, readerClaims().editor)),
});

function expectSecurityHeaders(headers: Headers, label: string) {
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp, label).toContain("default-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(headers.get('x-content-type-options'), label).toBe('nosniff');
  expect(headers.get('referrer-policy'), label).toBe('strict-origin-when-cross-origin');
  expect(headers.get('x-frame-options'), label).toBe('DENY');
}

describe('cache classes', () => {
  it('OPTIONS and refused methods on /api/* are private, no-store like every other /api/* answer', async () => {
    for (const path of ['/api/gift-links', '/api/clerk-config.json', '/api/nothing-here']) {
      for (const method of ['OPTIONS', 'PUT', 'DELETE']) {
        const response = await fetch(`${keyed.server.url}${path}`, { method });
        await response.arrayBuffer();
        expect(response.status, `${method} ${path}`).toBe(method === 'OPTIONS' ? 204 : 405);
        expect(response.headers.get('cache-control'), `${method} ${path}`).toBe(CACHE.private);
      }
    }
  });

  it('prerendered pages and files are publicly cacheable, hashed assets immutable, for every reader', async () => {
    for (const [reader, cookie] of Object.entries(who())) {
      for (const path of staticRoutes()) {
        const response = await fetch(`${keyed.server.url}${path}`, { headers: cookie ? { cookie } : {} });
        await response.arrayBuffer();
        expect(response.status, path).toBe(200);
        const expected = path.startsWith('/_astro/') ? CACHE.immutable : CACHE.publicPage;
        expect(response.headers.get('cache-control'), `${reader} ${path}`).toBe(expected);
        expectSecurityHeaders(response.headers, path);
      }
    }
  });

  it('everything that depends on who is asking is private, no-store, for every reader', async () => {
    for (const [reader, cookie] of Object.entries(who())) {
      for (const path of privateRoutes()) {
        const response = await fetch(`${keyed.server.url}${path}`, {
          headers: cookie ? { cookie } : {},
          redirect: 'manual',
        });
        await response.arrayBuffer();
        expect(response.status, `${reader} ${path}`).toBeLessThan(500);
        expect(response.headers.get('cache-control'), `${reader} ${path}`).toBe(CACHE.private);
        expect(response.headers.get('vary') ?? '').toMatch(/cookie/i);
        expectSecurityHeaders(response.headers, path);
      }
    }
  });

  it('search results are shared only for readers without a session; errors and signed-in results are private', async () => {
    const cases: [path: string, reader: keyof ReturnType<typeof who>, expected: string][] = [
      ['/search/?q=session', 'anonymous', 'public, max-age=60, s-maxage=300'],
      ['/search/', 'anonymous', 'public, max-age=60, s-maxage=300'],
      ['/search/?q=session', 'member', CACHE.private],
      ['/search/?q=session', 'editor', CACHE.private],
      ['/search/', 'member', CACHE.private],
      ['/search/?q=!!!', 'anonymous', CACHE.private],
      ['/search/?q=session&page=999', 'anonymous', CACHE.private],
    ];
    for (const [path, reader, expected] of cases) {
      const cookie = who()[reader];
      const response = await fetch(`${keyed.server.url}${path}`, { headers: cookie ? { cookie } : {} });
      await response.arrayBuffer();
      expect(response.status, `${reader} ${path}`).toBeLessThan(500);
      expect(response.headers.get('cache-control'), `${reader} ${path}`).toBe(expected);
      expect(response.headers.get('vary') ?? '').toMatch(/cookie/i);
      expectSecurityHeaders(response.headers, path);
    }
  });

  it('missing pages are not cached', async () => {
    for (const path of ['/no-such-page', '/articles/no-such-article/', '/_astro/missing.js']) {
      const response = await fetch(`${keyed.server.url}${path}`);
      await response.arrayBuffer();
      expect(response.status).toBe(404);
      expect(['no-store', CACHE.private]).toContain(response.headers.get('cache-control'));
      expectSecurityHeaders(response.headers, path);
    }
  });
});

describe('transport security', () => {
  it('sends HSTS only when the request came over HTTPS (through a proxy)', async () => {
    const plain = await fetch(`${keyed.server.url}/`);
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    const proxied = await fetch(`${keyed.server.url}/`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(proxied.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/);
  });

  it('believes X-Forwarded-Proto only from a trusted proxy (by default, from nobody)', async () => {
    const untrusted = await fetch(`${inject('baseURL')}/`, { headers: { 'x-forwarded-proto': 'https' } });
    await untrusted.arrayBuffer();
    expect(untrusted.status).toBe(200);
    expect(untrusted.headers.get('strict-transport-security')).toBeNull();
  });

  it('allows Clerk only from the configured Frontend API origin', async () => {
    const csp = (await fetch(`${keyed.server.url}/`)).headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src [^;]*https:\/\/clerk\.gatepost-test\.example/);
    expect(csp).toMatch(/connect-src [^;]*https:\/\/clerk\.gatepost-test\.example/);
  });
});
