import { describe, expect, it } from 'vitest';
import { parseOrigin, resolveAuthorizedParties } from '../../src/clerk/config';

const BUILT = 'http://localhost:4321';

describe('parseOrigin', () => {
  it.each([
    ['https://example.com', 'https://example.com'],
    ['https://example.com/', 'https://example.com'],
    ['https://Example.COM:8443', 'https://example.com:8443'],
    ['http://127.0.0.1:4321', 'http://127.0.0.1:4321'],
    ['http://[::1]:4321', 'http://[::1]:4321'],
    // The default port is not part of an origin: Clerk's azp never carries it.
    ['https://example.com:443', 'https://example.com'],
  ])('accepts %j as %j', (text, origin) => expect(parseOrigin(text)).toBe(origin));

  it.each([
    '',
    'example.com',
    '*.example.com',
    'https://*.example.com',
    'https://example.com/path',
    'https://example.com?x=1',
    'https://example.com?',
    'https://example.com#top',
    'https://user:pw@example.com',
    'ftp://example.com',
    'javascript:alert(1)',
    'https://exa mple.com',
  ])('rejects %j', (text) => expect(parseOrigin(text)).toBeNull());
});

describe('resolveAuthorizedParties', () => {
  it('is the origin of SITE_URL, path and query dropped', () => {
    expect(resolveAuthorizedParties({ SITE_URL: 'https://news.example.com/blog/?x=1' }, BUILT)).toEqual({
      origins: ['https://news.example.com'],
      siteOrigin: 'https://news.example.com',
      problems: [],
    });
  });

  it('falls back to the site the build was made for when SITE_URL is not set', () => {
    expect(resolveAuthorizedParties({}, BUILT)).toEqual({
      origins: ['http://localhost:4321'],
      siteOrigin: 'http://localhost:4321',
      problems: [],
    });
    expect(resolveAuthorizedParties({ SITE_URL: '  ' }, BUILT).origins).toEqual(['http://localhost:4321']);
  });

  it('reports a SITE_URL that is not a URL and uses the built site instead', () => {
    const { origins, problems } = resolveAuthorizedParties({ SITE_URL: 'news.example.com' }, BUILT);
    expect(origins).toEqual(['http://localhost:4321']);
    expect(problems).toEqual([expect.stringContaining('SITE_URL "news.example.com" is not a URL')]);
  });

  it('adds each GATEPOST_AUTHORIZED_ORIGINS entry, trimmed and without duplicates', () => {
    const { origins, problems } = resolveAuthorizedParties(
      {
        SITE_URL: 'https://example.com',
        GATEPOST_AUTHORIZED_ORIGINS: ' https://www.example.com , https://example.com/,,http://127.0.0.1:4321',
      },
      BUILT,
    );
    expect(origins).toEqual(['https://example.com', 'https://www.example.com', 'http://127.0.0.1:4321']);
    expect(problems).toEqual([]);
  });

  it('ignores a bad entry, naming it, and keeps the good ones', () => {
    const { origins, problems } = resolveAuthorizedParties(
      {
        SITE_URL: 'https://example.com',
        GATEPOST_AUTHORIZED_ORIGINS: 'https://*.example.com,https://app.example.com,example.org,https://x.example/p',
      },
      BUILT,
    );
    expect(origins).toEqual(['https://example.com', 'https://app.example.com']);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^GATEPOST_AUTHORIZED_ORIGINS entry "https:\/\/\*\.example\.com" is not an origin/);
    expect(problems[1]).toContain('"example.org"');
    expect(problems[2]).toContain('"https://x.example/p"');
    for (const problem of problems) expect(problem).toMatch(/ignored\.$/);
  });

  it('is never empty, so Clerk always checks azp', () => {
    for (const env of [{}, { SITE_URL: '::' }, { GATEPOST_AUTHORIZED_ORIGINS: 'nonsense' }]) {
      expect(resolveAuthorizedParties(env, BUILT).origins.length).toBeGreaterThan(0);
    }
  });
});
