/**
 * Gift links against the built server with real Clerk session verification: creating them (who may,
 * what the route refuses), opening them anonymously, and every way a token can be bent. A gifted page
 * is private and leaves no full text for the next anonymous request.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createGiftToken, giftConfigFromEnv, type GiftKey } from '../../src/gifts/token';
import { publishedSourceArticles } from '../support/articles';
import { mintToken, readerClaims, sessionCookie } from '../support/clerk-session';
import { loadCanaries, useKeyedServer } from '../support/fixtures';
import { listFiles } from '../../src/build/files';
import { DIST } from '../support/paths';

const canaries = loadCanaries();
const published = publishedSourceArticles();
const premium = published.find((a) => a.access === 'premium')!;
const otherPremium = published.find((a) => a.access === 'premium' && a.slug !== premium.slug)!;
const membersArticle = published.find((a) => a.access === 'members')!;
const publicArticle = published.find((a) => a.access === 'public')!;
const readers = readerClaims();

const keyed = useKeyedServer();

/** The server's gift key, derived the way the server derives it from its Clerk secret key. */
function serverKey(): GiftKey {
  const config = giftConfigFromEnv({ CLERK_SECRET_KEY: keyed.keys.secretKey });
  if (!config.enabled) throw new Error(config.reason);
  return config.key;
}

/** A premium reader with their own rate-limit bucket. */
function premiumCookie(userId = `user_gift_${randomBytes(4).toString('hex')}`) {
  return sessionCookie(mintToken(keyed.keys, { userId, claims: readers.premiumByMetadata.claims }));
}
const memberCookie = () => sessionCookie(mintToken(keyed.keys, readers.member));

async function create(body: unknown, cookie?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${keyed.server.url}/api/gift-links`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: keyed.server.url,
      ...(cookie ? { cookie } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    redirect: 'manual',
  });
  const text = await response.text();
  return { response, text, json: () => JSON.parse(text) as { url: string; expiresAt: string; error?: string } };
}

async function open(path: string, cookie?: string) {
  const response = await fetch(`${keyed.server.url}${path}`, {
    headers: cookie ? { cookie } : {},
    redirect: 'manual',
  });
  return { response, html: await response.text() };
}

function expectPaywalled(html: string, slug: string) {
  expect(html).not.toContain(canaries[slug]!);
  expect(html).not.toContain('data-access-granted');
  expect(html).toContain('data-paywall=');
}

/** The Share button's island (rendered in the browser only: `client:only`), as the page sends it. */
const SHARE_ISLAND = /<astro-island[^>]*component-url="\/_astro\/ShareGift\.[^"]*"/;
const hasShareButton = (html: string) => SHARE_ISLAND.test(html);

const withToken = (slug: string, token: string) => `/members/${slug}/?gift=${encodeURIComponent(token)}`;

describe('creating and opening a gift link', () => {
  it('a premium reader creates a link; anyone opening it reads the full text, privately', async () => {
    const created = await create({ slug: premium.slug }, premiumCookie());
    expect(created.response.status, created.text).toBe(200);
    expect(created.response.headers.get('cache-control')).toBe('private, no-store');
    const { url, expiresAt } = created.json();
    // Absolute, on the site's origin (SITE_URL), bound to the article's path.
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1/members/${premium.slug}/\\?gift=g1\\.`));
    const days = (Date.parse(expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(14);

    const link = new URL(url);
    const gifted = await open(`${link.pathname}${link.search}`);
    expect(gifted.response.status).toBe(200);
    expect(gifted.html).toContain(canaries[premium.slug]!);
    expect(gifted.html).toContain('data-access-granted');
    expect(gifted.html).not.toContain('data-paywall=');
    expect(gifted.html).toContain('A gift from a subscriber, readable until');
    expect(gifted.html).toContain('data-gift-cta');
    expect(gifted.html).toContain('<meta name="robots" content="noindex">');
    expect(gifted.html).toContain('<meta name="referrer" content="no-referrer">');
    // A gift is not the reader's own access: no Share button on a gifted page.
    expect(hasShareButton(gifted.html)).toBe(false);
    expect(gifted.response.headers.get('cache-control')).toBe('private, no-store');
    expect(gifted.response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(gifted.response.headers.get('x-robots-tag')).toBe('noindex');

    // Leak guard: the plain anonymous request right after gets only the preview.
    const plain = await open(`/members/${premium.slug}/`);
    expectPaywalled(plain.html, premium.slug);
    expect(plain.html).not.toContain('data-gift');
  });

  it('shows the Share button only to readers whose own access allows the article', async () => {
    expect(hasShareButton((await open(`/members/${premium.slug}/`, premiumCookie())).html)).toBe(true);
    expect(hasShareButton((await open(`/members/${premium.slug}/`, memberCookie())).html)).toBe(false);
    expect(hasShareButton((await open(`/members/${membersArticle.slug}/`, memberCookie())).html)).toBe(true);
    expect(hasShareButton((await open(`/members/${premium.slug}/`)).html)).toBe(false);
  });

  it('a members reader may gift a members article, not a premium one (403)', async () => {
    expect((await create({ slug: membersArticle.slug }, memberCookie())).response.status).toBe(200);
    const refused = await create({ slug: premium.slug }, memberCookie());
    expect(refused.response.status).toBe(403);
    expect(refused.text).not.toContain('gift=');
  });

  it('a gifted reader cannot re-gift: the gift grant is not their access', async () => {
    const { url } = (await create({ slug: premium.slug }, premiumCookie())).json();
    // The route takes no token; a members reader holding the link still gets 403.
    const refused = await create({ slug: premium.slug, gift: new URL(url).searchParams.get('gift') }, memberCookie());
    expect(refused.response.status).toBe(403);
  });
});

describe('what the route refuses', () => {
  it('401 signed out, 404 unknown or public slugs, 400 bad bodies, 415 non-JSON, 403 cross-origin', async () => {
    expect((await create({ slug: premium.slug })).response.status).toBe(401);
    const cookie = premiumCookie();
    expect((await create({ slug: 'no-such-article' }, cookie)).response.status).toBe(404);
    expect((await create({ slug: publicArticle.slug }, cookie)).response.status).toBe(404);
    expect((await create('{"slug": ', cookie)).response.status).toBe(400);
    expect((await create({}, cookie)).response.status).toBe(400);
    expect((await create({ slug: 42 }, cookie)).response.status).toBe(400);
    expect((await create('null', cookie)).response.status).toBe(400);
    const form = await create(`slug=${premium.slug}`, cookie, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.response.status).toBe(415);
    const cross = await create({ slug: premium.slug }, cookie, { origin: 'https://evil.example' });
    expect(cross.response.status).toBe(403);
    const crossSite = await create({ slug: premium.slug }, cookie, { 'sec-fetch-site': 'cross-site' });
    expect(crossSite.response.status).toBe(403);
    for (const status of [401, 404, 400, 415]) expect(status).toBeLessThan(500);
  });

  it('rate-limits each reader: 429 with Retry-After once the bucket is empty, others unaffected', async () => {
    const cookie = premiumCookie('user_gift_rate');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await create({ slug: premium.slug }, cookie)).response.status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await create({ slug: premium.slug }, cookie);
    expect(limited.response.status).toBe(429);
    expect(Number(limited.response.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await create({ slug: premium.slug }, premiumCookie())).response.status).toBe(200);
  });
});

describe('bent tokens show the preview, the paywall and a note, never a 5xx', () => {
  const valid = () => createGiftToken(serverKey(), premium.slug, 86_400).token;

  const cases: [string, () => { path: string; note: 'expired' | 'invalid' }][] = [
    [
      'forged (random MAC)',
      () => ({ path: withToken(premium.slug, `g1.zzzzzz.${randomBytes(32).toString('base64url')}`), note: 'invalid' }),
    ],
    ['truncated', () => ({ path: withToken(premium.slug, valid().slice(0, -5)), note: 'invalid' })],
    [
      'tampered expiry',
      () => {
        const [v, , mac] = valid().split('.');
        return {
          path: withToken(
            premium.slug,
            `${v}.${(Math.floor(Date.now() / 1000) + 10 * 86_400 * 365).toString(36)}.${mac}`,
          ),
          note: 'invalid',
        };
      },
    ],
    [
      're-signed with another key',
      () => {
        const other = giftConfigFromEnv({ GATEPOST_GIFT_LINK_KEY: randomBytes(32).toString('base64') });
        if (!other.enabled) throw new Error(other.reason);
        return {
          path: withToken(premium.slug, createGiftToken(other.key, premium.slug, 86_400).token),
          note: 'invalid',
        };
      },
    ],
    [
      "swapped slug (another article's token)",
      () => ({
        path: withToken(otherPremium.slug, createGiftToken(serverKey(), premium.slug, 86_400).token),
        note: 'invalid',
      }),
    ],
    [
      'replayed after expiry',
      () => ({
        path: withToken(
          premium.slug,
          createGiftToken(serverKey(), premium.slug, 14 * 86_400, Date.now() - 15 * 86_400_000).token,
        ),
        note: 'expired',
      }),
    ],
    [
      'signed with the key but ending ten years out (longer than any link the site issues)',
      () => ({
        path: withToken(premium.slug, createGiftToken(serverKey(), premium.slug, 10 * 365 * 86_400).token),
        note: 'invalid',
      }),
    ],
    ['oversized', () => ({ path: withToken(premium.slug, `g1.${'a'.repeat(4000)}`), note: 'invalid' })],
    ['empty', () => ({ path: `/members/${premium.slug}/?gift=`, note: 'invalid' })],
    [
      'repeated parameter with a bad first value',
      () => ({ path: `${withToken(premium.slug, 'x')}&gift=${valid()}`, note: 'invalid' }),
    ],
  ];

  for (const [name, make] of cases) {
    it(name, async () => {
      const { path, note } = make();
      const slug = path.split('/')[2]!;
      const { response, html } = await open(path);
      expect(response.status).toBe(200);
      expectPaywalled(html, slug);
      expect(html).toContain(note === 'expired' ? 'This gift link has expired.' : 'This gift link is not valid.');
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    });
  }

  it('the same token on its own article reads in full (the cases above fail only for what they bend)', async () => {
    const { html } = await open(withToken(premium.slug, valid()));
    expect(html).toContain(canaries[premium.slug]!);
  });
});

describe('nothing about gifts is prerendered', () => {
  it('no built static file mentions gift links or carries a token', () => {
    const client = `${DIST}client/`;
    for (const file of listFiles(client).filter((f) => /\.(html|xml|json|txt)$/.test(f))) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/\?gift=g1\.|data-gift|data-share-gift/);
      expect(hasShareButton(text), file).toBe(false);
    }
  });
});

describe('without a usable gift key', () => {
  // Sessions verify as usual, but the key set on its own is too short: gift links are off (not derived).
  const keyless = useKeyedServer({ GATEPOST_GIFT_LINK_KEY: 'too-short' });
  const cookie = () =>
    sessionCookie(mintToken(keyless.keys, { userId: 'user_nokey', claims: readers.premiumByMetadata.claims }));

  it('the route answers 404 and the page shows no Share button, while the reader still reads', async () => {
    const response = await fetch(`${keyless.server.url}/api/gift-links`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: cookie() },
      body: JSON.stringify({ slug: premium.slug }),
    });
    expect(response.status).toBe(404);
    const page = await fetch(`${keyless.server.url}/members/${premium.slug}/`, { headers: { cookie: cookie() } });
    const html = await page.text();
    expect(html).toContain(canaries[premium.slug]!);
    expect(hasShareButton(html)).toBe(false);
  });

  it('a token opened there is not valid (no key, no grant)', async () => {
    const page = await fetch(`${keyless.server.url}${withToken(premium.slug, `g1.zzzzzz.${'A'.repeat(43)}`)}`);
    const html = await page.text();
    expectPaywalled(html, premium.slug);
    expect(html).toContain('This gift link is not valid.');
  });
});
