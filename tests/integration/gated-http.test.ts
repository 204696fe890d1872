/**
 * Gated pages over HTTP against the built server with real Clerk session verification (networkless,
 * with CLERK_JWT_KEY), for every kind of reader and every attack the gate must shrug off.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishedSourceArticles } from '../support/articles';
import {
  generateTestKeys,
  hs256WithPublicKey,
  mintToken,
  readerClaims,
  serverEnv,
  sessionCookie,
  tamper,
  unsignedToken,
  type TestKeys,
} from '../support/clerk-session';
import { loadCanaries } from '../support/fixtures';
import { DEFAULT_PREMIUM_NOTE } from '../../src/site/pricing';
import { ROOT } from '../support/paths';
import { redirectCases } from '../support/redirect-cases';
import { startServer, type RunningServer } from '../support/server';

const canaries = loadCanaries();
const published = publishedSourceArticles();
const membersArticle = published.find((a) => a.access === 'members')!;
const premiumArticle = published.find((a) => a.access === 'premium')!;
const readers = readerClaims();

let keys: TestKeys;
let server: RunningServer;

beforeAll(async () => {
  keys = generateTestKeys();
  server = await startServer(serverEnv(keys, 'http://127.0.0.1'));
});
afterAll(() => server?.stop());

async function get(path: string, cookie?: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    headers: { ...(cookie ? { cookie } : {}), ...headers },
    redirect: 'manual',
  });
  return { response, html: await response.text() };
}

const as = (reader: keyof typeof readers) => sessionCookie(mintToken(keys, readers[reader]));

function expectFull(html: string, slug: string) {
  expect(html).toContain('data-access-granted');
  expect(html).toContain(canaries[slug]!);
  expect(html).not.toContain('data-paywall');
}

function expectPreview(html: string, slug: string, paywall: 'sign-in' | 'upgrade') {
  expect(html).not.toContain(canaries[slug]!);
  expect(html).not.toContain('data-access-granted');
  expect(html).toContain(`data-paywall="${paywall}"`);
}

describe('who reads what', () => {
  const table: [reader: keyof typeof readers | 'anonymous', members: boolean, premium: boolean][] = [
    ['anonymous', false, false],
    ['member', true, false],
    ['premiumByMetadata', true, true],
    ['premiumByPlan', true, true],
    ['premiumByFeature', true, true],
    ['premiumByOrgPlan', true, true],
    ['premiumByOrgMetadata', true, true],
    ['memberOfOrgWithoutTier', true, false],
    ['unsafeMetadataPremium', true, false],
    ['editor', true, true],
  ];

  for (const [reader, readsMembers, readsPremium] of table) {
    it(`${reader}: members article ${readsMembers ? 'full' : 'preview'}, premium article ${readsPremium ? 'full' : 'preview'}`, async () => {
      const cookie = reader === 'anonymous' ? undefined : as(reader);
      for (const [article, allowed] of [
        [membersArticle, readsMembers],
        [premiumArticle, readsPremium],
      ] as const) {
        const { response, html } = await get(`/members/${article.slug}/`, cookie);
        expect(response.status).toBe(200);
        expect(response.headers.get('cache-control')).toBe('private, no-store');
        if (allowed) expectFull(html, article.slug);
        else expectPreview(html, article.slug, reader === 'anonymous' ? 'sign-in' : 'upgrade');
      }
    });
  }

  it('every gated article is readable in full by premium and previewed for anonymous readers', async () => {
    const premium = as('premiumByMetadata');
    for (const article of published.filter((a) => a.access !== 'public')) {
      expectFull((await get(`/members/${article.slug}/`, premium)).html, article.slug);
      expectPreview((await get(`/members/${article.slug}/`)).html, article.slug, 'sign-in');
    }
  });
});

describe('the paywall', () => {
  it('offers a free account first on a members article, then sign-in, both coming back to it', async () => {
    const article = published.find((a) => a.access === 'members')!;
    const { html } = await get(`/members/${article.slug}/`);
    const back = encodeURIComponent(`/members/${article.slug}/`);
    expect(html).toMatch(
      new RegExp(`href="/sign-up/\\?redirect_url=${back}"[^>]*data-paywall-primary[^>]*>\\s*Create a free account`),
    );
    expect(html).toMatch(
      new RegExp(`href="/sign-in/\\?redirect_url=${back}"[^>]*data-paywall-secondary[^>]*>\\s*Sign in`),
    );
  });

  it('without Billing or a checkout URL, names Premium and says how it is granted; subscribers sign in', async () => {
    const back = encodeURIComponent(`/members/${premiumArticle.slug}/`);
    const anonymous = (await get(`/members/${premiumArticle.slug}/`)).html;
    expect(anonymous).toContain('Keep reading with Premium');
    expect(anonymous).toContain(DEFAULT_PREMIUM_NOTE);
    expect(anonymous).toContain(`href="/sign-in/?redirect_url=${back}"`);
    // Nothing to subscribe to here: no Subscribe, no sign-up promising Premium.
    expect(anonymous).not.toMatch(/Subscribe to Premium/);
    const member = (await get(`/members/${premiumArticle.slug}/`, as('member'))).html;
    expect(member).toContain('Upgrade to Premium to keep reading');
    expect(member).toContain(DEFAULT_PREMIUM_NOTE);
    expect(member).not.toMatch(/Subscribe to Premium/);
  });

  it('shows the public preview before the paywall', async () => {
    const source = premiumArticle.body.split(/<!--\s*members-only\s*-->/)[0]!;
    const firstSentence = source.trim().split('\n')[0]!.slice(0, 60);
    const { html } = await get(`/members/${premiumArticle.slug}/`);
    expect(html).toContain(firstSentence);
  });

  it('carries paywalled-content structured data', async () => {
    const { html } = await get(`/members/${premiumArticle.slug}/`);
    const json = JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)![1]!);
    expect(json).toMatchObject({
      '@type': 'Article',
      isAccessibleForFree: false,
      hasPart: { '@type': 'WebPageElement', isAccessibleForFree: false, cssSelector: '.members-only' },
    });
  });
});

describe('routing', () => {
  it('answers 404 for unknown, public-only and draft slugs, privately', async () => {
    for (const slug of [
      'no-such-article',
      published.find((a) => a.access === 'public')!.slug,
      'content-security-policy-for-static-sites',
    ]) {
      const { response, html } = await get(`/members/${slug}/`, as('premiumByMetadata'));
      expect(response.status, slug).toBe(404);
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      expect(html).toContain("We couldn't find that page");
    }
  });

  it('sends signed-out readers from /account/ to sign-in and back', async () => {
    const { response } = await get('/account/');
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toBe('/sign-in/?redirect_url=%2Faccount%2F');
  });

  it('shows the account page to a signed-in reader, with their tier', async () => {
    const { response, html } = await get('/account/', as('premiumByPlan'));
    expect(response.status).toBe(200);
    expect(html).toContain('data-tier="premium"');
  });

  it("says where the account page's level comes from, and links to Clerk's security page", async () => {
    const plan = await get('/account/', as('premiumByPlan'));
    expect(plan.html).toMatch(/<li data-source="billing-plan">Your Premium subscription<\/li>/);
    expect(plan.html).toContain('href="/account/security"');
    expect(plan.html).not.toContain('through your organization');
    // Billing is off in this build: no subscription link that would lead nowhere.
    expect(plan.html).not.toContain('data-account-link="billing"');
    expect(plan.html).not.toContain('data-account-link="organization"');

    const team = await get('/account/', as('premiumByOrgPlan'));
    expect(team.html).toContain('through your organization');
    // No members' store entry for this organization here: never its slug, "your organization" instead.
    expect(team.html).toMatch(/>The Team plan of your organization<\/li>/);
    expect(team.html).not.toMatch(/organization acme/);
    expect(team.html).toContain('href="/account/organization/"');

    const metadata = await get('/account/', as('premiumByMetadata'));
    expect(metadata.html).toContain('<li data-source="user-metadata">Access given to you by our team</li>');
  });

  it("sends signed-out readers from the organization page to sign-in and back; members get Clerk's profile", async () => {
    const signedOut = await get('/account/organization/');
    expect(signedOut.response.status).toBe(307);
    expect(signedOut.response.headers.get('location')).toBe('/sign-in/?redirect_url=%2Faccount%2Forganization%2F');
    const member = await get('/account/organization/organization-members', as('premiumByOrgPlan'));
    expect(member.response.status).toBe(200);
    expect(member.response.headers.get('cache-control')).toBe('private, no-store');
    expect(member.html).toContain('Your organization');
  });

  it('sends an already signed-in reader from sign-in straight to a safe target only', async () => {
    const member = as('member');
    const ok = await get('/sign-in/?redirect_url=%2Fmembers%2Fx%2F', member);
    expect(ok.response.status).toBe(303);
    expect(ok.response.headers.get('location')).toBe('/members/x/');
    for (const evil of ['https://evil.example/', '//evil.example', '/\\evil.example', 'javascript:alert(1)']) {
      const { response } = await get(`/sign-in/?redirect_url=${encodeURIComponent(evil)}`, member);
      expect(response.headers.get('location'), evil).toBe('/');
    }
  });

  it('never sends a signed-in reader off-site from sign-in or sign-up, whatever the target normalises to', async () => {
    const member = as('member');
    for (const page of ['/sign-in/', '/sign-up/']) {
      for (const evil of redirectCases(server.url)) {
        const { response } = await get(`${page}?redirect_url=${encodeURIComponent(evil)}`, member);
        expect(response.status, `${page} ${evil}`).toBe(303);
        expect(response.headers.get('location'), `${page} ${evil}`).toBe('/');
      }
      // The page itself, for a reader not signed in: the target it hands Clerk's form is the fallback.
      for (const evil of redirectCases(server.url)) {
        const { html } = await get(`${page}?redirect_url=${encodeURIComponent(evil)}`);
        expect(html, `${page} ${evil}`).not.toContain('evil.example');
      }
    }
  });

  it('renders the sign-in page with the sanitised target for anonymous readers', async () => {
    const { response, html } = await get('/sign-in/?redirect_url=https%3A%2F%2Fevil.example%2F');
    expect(response.status).toBe(200);
    expect(html).not.toContain('evil.example');
    const good = await get(`/sign-in/?redirect_url=${encodeURIComponent('/members/a/')}`);
    expect(good.html).toContain('&quot;redirectUrl&quot;:[0,&quot;/members/a/&quot;]');
  });
});

describe('attacks are treated as signed out or below tier', () => {
  const payloadFor = (claims: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    return { sub: 'user_x', sid: 'sess_x', iat: now - 10, nbf: now - 10, exp: now + 600, ...claims };
  };
  const premium = { metadata: { tier: 'premium' } };

  const attacks: [name: string, cookie: () => string, expected: 'sign-in' | 'upgrade'][] = [
    [
      'expired token',
      () => sessionCookie(mintToken(keys, { claims: premium, iat: -900, nbf: -900, exp: -300 })),
      'sign-in',
    ],
    [
      'token not yet valid',
      () => sessionCookie(mintToken(keys, { claims: premium, iat: 0, nbf: 300, exp: 900 })),
      'sign-in',
    ],
    [
      'wrong signing key',
      () =>
        sessionCookie(
          mintToken(keys, {
            claims: premium,
            signWith: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
          }),
        ),
      'sign-in',
    ],
    ['alg: none', () => `__session=${unsignedToken(payloadFor(premium))}; __client_uat=1`, 'sign-in'],
    [
      'HS256 signed with the public key',
      () => `__session=${hs256WithPublicKey(keys, payloadFor(premium))}; __client_uat=1`,
      'sign-in',
    ],
    ['tier only in unsafe_metadata', () => as('unsafeMetadataPremium'), 'upgrade'],
    [
      'tampered payload (tier added after signing)',
      () => sessionCookie(tamper(mintToken(keys, readers.member), (p) => ({ ...p, metadata: { tier: 'premium' } }))),
      'sign-in',
    ],
    ['garbage cookie', () => '__session=not.a.jwt; __client_uat=1', 'sign-in'],
  ];

  for (const [name, cookie, expected] of attacks) {
    it(`${name} → ${expected}, no member text`, async () => {
      const { response, html } = await get(`/members/${premiumArticle.slug}/`, cookie());
      expect(response.status).toBe(200);
      expectPreview(html, premiumArticle.slug, expected);
    });
  }

  it('tier in the query string does nothing', async () => {
    for (const query of ['?tier=premium', '?metadata[tier]=premium', '?preview=1&access=public']) {
      const { html } = await get(`/members/${premiumArticle.slug}/${query}`, as('member'));
      expectPreview(html, premiumArticle.slug, 'upgrade');
      expectPreview((await get(`/members/${premiumArticle.slug}/${query}`)).html, premiumArticle.slug, 'sign-in');
    }
  });

  it('a valid token sent as a bearer header is verified by Clerk too, and forged ones are not', async () => {
    const good = mintToken(keys, readers.premiumByMetadata);
    expectFull(
      (await get(`/members/${premiumArticle.slug}/`, undefined, { authorization: `Bearer ${good}` })).html,
      premiumArticle.slug,
    );
    const forged = hs256WithPublicKey(keys, payloadFor(premium));
    expectPreview(
      (await get(`/members/${premiumArticle.slug}/`, undefined, { authorization: `Bearer ${forged}` })).html,
      premiumArticle.slug,
      'sign-in',
    );
  });

  it("an expired token on a page navigation gets Clerk's refresh handshake, not content", async () => {
    const expired = sessionCookie(mintToken(keys, { claims: premium, iat: -900, nbf: -900, exp: -300 }));
    const { response, html } = await get(`/members/${premiumArticle.slug}/`, expired, { 'sec-fetch-dest': 'document' });
    expect(response.status).toBe(307);
    expect(response.headers.get('location')).toMatch(/^https:\/\/clerk\.gatepost-test\.example\/v1\/client\/handshake/);
    expect(html).not.toContain(canaries[premiumArticle.slug]!);
  });
});

describe('performance', () => {
  const NET = /^\[gatepost-test-net\] .*$/gm;

  it('serves signed-in members and anonymous readers without any outgoing network call', async () => {
    const counted = await startServer({
      ...serverEnv(keys, 'http://127.0.0.1'),
      NODE_OPTIONS: `--import=${ROOT}tests/support/count-network.mjs`,
    });
    try {
      const premium = as('premiumByMetadata');
      for (let i = 0; i < 10; i++) {
        const res = await fetch(`${counted.url}/members/${premiumArticle.slug}/`, { headers: { cookie: premium } });
        expectFull(await res.text(), premiumArticle.slug);
        const anon = await fetch(`${counted.url}/members/${premiumArticle.slug}/`);
        expectPreview(await anon.text(), premiumArticle.slug, 'sign-in');
      }
      expect(counted.output().match(NET) ?? []).toEqual([]);
    } finally {
      await counted.stop();
    }
  });

  it('the counter does see network calls (without CLERK_JWT_KEY, Clerk fetches its keys)', async () => {
    const { CLERK_JWT_KEY: _omit, ...withoutJwtKey } = serverEnv(keys, 'http://127.0.0.1');
    const counted = await startServer({
      ...withoutJwtKey,
      NODE_OPTIONS: `--import=${ROOT}tests/support/count-network.mjs`,
    });
    try {
      const res = await fetch(`${counted.url}/members/${premiumArticle.slug}/`, {
        headers: { cookie: as('premiumByMetadata') },
      });
      // Clerk cannot reach its API here: it must fail closed, not open.
      expectPreview(await res.text(), premiumArticle.slug, 'sign-in');
      expect((counted.output().match(NET) ?? []).join('\n')).toContain('127.0.0.1:9');
      expect(counted.output()).toContain('CLERK_JWT_KEY is not set');
    } finally {
      await counted.stop();
    }
  });
});
