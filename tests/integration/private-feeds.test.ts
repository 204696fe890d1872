/**
 * Members' private feeds against the built server, on SQLite and (with GATEPOST_TEST_DATABASE_URL)
 * PostgreSQL, members delivered by Clerk's signed webhooks: each tier's feed (premium, members, a record
 * at the public level, lapsed, deleted) in RSS and Atom, parsed and checked for absolute links, ids and
 * dates; tampered, foreign and old tokens are a bare 404; a reset (member's API or editor) kills the old
 * URL at once; a tier change by webhook shows at the next fetch; the headers; the token never in the log;
 * a feed fetched from too many addresses in a day is flagged to editors, who can reset it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedVersion } from '../../src/members/queries/private-feeds';
import { openStore, type MembersStore } from '../../src/members/store';
import { loadCanaries, loadSourceArticles, isPublishedSource } from '../support/articles';
import {
  generateTestKeys,
  mintToken,
  readerClaims,
  serverEnv,
  sessionCookie,
  TEST_SITE_ORIGIN,
} from '../support/clerk-session';
import { createTestDatabase, STORE_KINDS, type TestDatabase } from '../support/databases';
import { FEED_KEY, deliver, feedToken, memberEvent, parseAtom, parseRss } from '../support/private-feeds';
import { startServer, type RunningServer } from '../support/server';
import { newSigningSecret } from '../support/svix';

const keys = generateTestKeys();
const canaries = loadCanaries();
const published = loadSourceArticles().filter((a) => isPublishedSource(a));
const canariesOf = (access: 'members' | 'premium') =>
  published.filter((a) => a.access === access && canaries[a.slug]).map((a) => canaries[a.slug]!);
const PREMIUM_TEXT = canariesOf('premium');
const MEMBERS_TEXT = canariesOf('members');
const editorCookie = () => sessionCookie(mintToken(keys, readerClaims().editor));
const cookieFor = (userId: string) => sessionCookie(mintToken(keys, { userId, claims: { metadata: {} } }));

describe.each(STORE_KINDS)('private feeds over HTTP, %s', (kind) => {
  let database: TestDatabase;
  let store: MembersStore;
  let server: RunningServer;
  const secret = newSigningSecret();

  const feedPath = (token: string, format: 'rss' | 'atom' = 'rss') => `/feeds/${token}/${format}.xml`;
  const get = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);
  /** A member's current feed token, as the account page would show it. */
  const tokenOf = async (memberId: string) => feedToken(memberId, (await feedVersion(store, memberId, Date.now()))!);
  const feedText = async (token: string, format: 'rss' | 'atom' = 'rss') => {
    const response = await get(feedPath(token, format));
    expect(response.status).toBe(200);
    return response.text();
  };
  const api = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/private-feed`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/json', origin: server.url, ...headers },
      body,
    });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    store = openStore(database.config);
    await store.migrate();
    server = await startServer({
      ...serverEnv(keys, TEST_SITE_ORIGIN),
      ...database.env,
      CLERK_WEBHOOK_SIGNING_SECRET: secret,
      GATEPOST_FEED_KEY: FEED_KEY,
      GATEPOST_FEED_MAX_IPS_PER_DAY: '3',
      // The test client is the proxy: its X-Forwarded-For names the reader's address.
      GATEPOST_TRUST_PROXY: 'loopback',
    });
    await deliver(server.url, secret, 'user.created', memberEvent('user_premium', 'premium'));
    await deliver(server.url, secret, 'user.created', memberEvent('user_free'));
    await deliver(server.url, secret, 'user.created', memberEvent('user_lapsing', 'premium'));
    await deliver(server.url, secret, 'user.created', memberEvent('user_leaving', 'premium'));
    await deliver(server.url, secret, 'user.created', memberEvent('user_member'));
    await deliver(server.url, secret, 'user.created', memberEvent('user_sharer', 'premium'));
    // A record whose tier is the public level (not one Clerk's data gives today): it must read as nobody special.
    const db = await store.database();
    const now = Date.now();
    await db
      .insertInto('members')
      .values({ id: 'user_public', tier: 'public', created_at: now, updated_at: now })
      .execute();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await store?.close();
    await database?.drop();
  });

  it('gives a premium member every article in full, in RSS and Atom, with absolute links, ids and dates', async () => {
    const token = await tokenOf('user_premium');
    const publicFeed = parseRss(await (await get('/rss.xml')).text());
    const rss = parseRss(await feedText(token, 'rss'));
    const atom = parseAtom(await feedText(token, 'atom'));
    expect(rss.items.length).toBeGreaterThanOrEqual(10);
    // The same articles, in the same order, as the public feed (built for the build's own site URL).
    const path = (link: string) => new URL(link).pathname;
    expect(rss.items.map((i) => path(i.link))).toEqual(publicFeed.items.map((i) => path(i.link)));
    expect(atom.items.map((i) => i.link)).toEqual(rss.items.map((i) => i.link));
    for (const item of [...rss.items, ...atom.items]) {
      expect(item.link).toMatch(/^http:\/\/127\.0\.0\.1\/(articles|members)\/[a-z0-9-]+\/$/);
      expect(item.id).toBe(item.link);
      expect(Number.isNaN(item.date.getTime())).toBe(false);
      expect(item.title.length).toBeGreaterThan(0);
      expect(item.content).not.toMatch(/(href|src)="\/(?!\/)/);
    }
    expect(atom.self).toBe(`http://127.0.0.1${feedPath(token, 'atom')}`);
    for (const sentence of [...PREMIUM_TEXT, ...MEMBERS_TEXT]) {
      expect(
        rss.items.some((i) => i.content.includes(sentence)),
        sentence,
      ).toBe(true);
      expect(
        atom.items.some((i) => i.content.includes(sentence)),
        sentence,
      ).toBe(true);
    }
  });

  it('gives a members-tier member members articles in full, and premium ones as preview with an absolute upgrade link', async () => {
    const xml = await feedText(await tokenOf('user_free'));
    for (const sentence of MEMBERS_TEXT) expect(xml).toContain(sentence);
    for (const sentence of PREMIUM_TEXT) expect(xml).not.toContain(sentence);
    const premiumItem = parseRss(xml).items.find((i) => i.link.includes('/members/container-queries-in-production/'))!;
    expect(premiumItem.content).toContain(
      'http://127.0.0.1/pricing/?return=%2Fmembers%2Fcontainer-queries-in-production%2F',
    );
    expect(premiumItem.content).toMatch(/needs Premium/);
  });

  it('gives a record at the public level previews only, never gated text', async () => {
    const xml = await feedText(await tokenOf('user_public'), 'atom');
    for (const sentence of [...PREMIUM_TEXT, ...MEMBERS_TEXT]) expect(xml).not.toContain(sentence);
    expect(parseAtom(xml).items.length).toBeGreaterThanOrEqual(10);
  });

  it('follows a tier change delivered by webhook at the next fetch: a lapsed member gets previews, a deleted one a 404', async () => {
    const lapsing = await tokenOf('user_lapsing');
    expect(await feedText(lapsing)).toContain(PREMIUM_TEXT[0]!);
    await deliver(server.url, secret, 'user.updated', memberEvent('user_lapsing', undefined, Date.now() + 1000));
    const lapsed = await feedText(lapsing);
    for (const sentence of PREMIUM_TEXT) expect(lapsed).not.toContain(sentence);
    for (const sentence of MEMBERS_TEXT) expect(lapsed).toContain(sentence);

    const leaving = await tokenOf('user_leaving');
    expect((await get(feedPath(leaving))).status).toBe(200);
    await deliver(server.url, secret, 'user.deleted', { object: 'user', id: 'user_leaving', deleted: true });
    for (const format of ['rss', 'atom'] as const) {
      const gone = await get(feedPath(leaving, format));
      expect(gone.status).toBe(404);
      expect(await gone.text()).toBe('Not found');
    }
  });

  it('answers a bare 404 to tampered, foreign and unknown tokens, in both formats', async () => {
    const token = await tokenOf('user_premium');
    const [version, payload, mac] = token.split('.') as [string, string, string];
    const forged = [
      `${version}.${payload}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BA' : 'AA'}`,
      `${version}.${Buffer.from('user_free\n1').toString('base64url')}.${mac}`,
      feedToken('user_nobody', 1),
      'not-a-token',
      `${token}x`,
    ];
    for (const bad of forged)
      for (const format of ['rss', 'atom'] as const) {
        const response = await get(feedPath(bad, format));
        expect(response.status, bad).toBe(404);
        expect(await response.text()).toBe('Not found');
        expect(response.headers.get('cache-control')).toBe('private, no-store');
      }
  });

  it('sends the private headers, answers HEAD, and never logs the token', async () => {
    const token = await tokenOf('user_premium');
    const response = await get(feedPath(token));
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('x-robots-tag')).toBe('noindex');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(response.headers.get('set-cookie')).toBeNull();
    const atom = await get(feedPath(token, 'atom'));
    expect(atom.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const head = await get(feedPath(token), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    // Spellings that still reach the route are masked too.
    await get(`/./feeds/${token}/rss.xml?x=1`);
    await new Promise((r) => setTimeout(r, 200));
    const log = server.output();
    expect(log).toContain('"/feeds/<token>/rss.xml"');
    expect(log).not.toContain(token);
    expect(log).not.toContain(token.split('.')[2]!);
  });

  it('gives a signed-in member their URL by API, and {"rotate": true} kills the old one at once', async () => {
    expect((await api('{}')).status).toBe(401);
    expect((await api('{}', { cookie: cookieFor('user_member'), origin: 'https://evil.example' })).status).toBe(403);
    expect((await api('{"rotate": "yes"}', { cookie: cookieFor('user_member') })).status).toBe(400);
    expect((await api('[1]', { cookie: cookieFor('user_member') })).status).toBe(400);
    const first = await api('', { cookie: cookieFor('user_member') });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('private, no-store');
    const { url } = (await first.json()) as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1\/feeds\/f1\.[A-Za-z0-9_.-]+\/rss\.xml$/);
    const again = (await (await api('{}', { cookie: cookieFor('user_member') })).json()) as { url: string };
    expect(again.url).toBe(url);
    const path = new URL(url).pathname;
    expect((await get(path)).status).toBe(200);
    const rotated = (await (await api('{"rotate": true}', { cookie: cookieFor('user_member') })).json()) as {
      url: string;
    };
    expect(rotated.url).not.toBe(url);
    expect((await get(path)).status).toBe(404);
    expect((await get(path.replace('/rss.xml', '/atom.xml'))).status).toBe(404);
    expect((await get(new URL(rotated.url).pathname)).status).toBe(200);
    // The account page shows the current URL, and its Reset form posts here and comes back.
    const account = await (await get('/account/', { headers: { cookie: cookieFor('user_member') } })).text();
    expect(account).toContain('Your private feed');
    expect(account).toContain(`value="${rotated.url}"`);
    const reset = await fetch(`${server.url}/api/private-feed`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: server.url,
        cookie: cookieFor('user_member'),
      },
      body: 'rotate=1',
    });
    expect(reset.status).toBe(303);
    expect(reset.headers.get('location')).toBe('/account/?feed=reset#private-feed');
    expect((await get(new URL(rotated.url).pathname)).status).toBe(404);
  });

  it('flags a feed fetched from more addresses a day than allowed, and an editor’s reset stops it', async () => {
    const token = await tokenOf('user_sharer');
    const membersPage = async () => (await get('/editor/members/', { headers: { cookie: editorCookie() } })).text();
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.2'])
      expect((await get(feedPath(token), { headers: { 'x-forwarded-for': address } })).status).toBe(200);
    expect(await membersPage()).not.toContain('data-flagged-feed="user_sharer"');
    await get(feedPath(token, 'atom'), { headers: { 'x-forwarded-for': '198.51.100.9' } });
    const flagged = await membersPage();
    expect(flagged).toMatch(/data-flagged-feed="user_sharer"[\s\S]*?data-addresses="4"/);
    // No address is stored in the clear.
    const db = await store.database();
    const rows = await db
      .selectFrom('private_feed_fetches')
      .selectAll()
      .where('member_id', '=', 'user_sharer')
      .execute();
    expect(rows).toHaveLength(4);
    expect(JSON.stringify(rows)).not.toMatch(/203\.0\.113|198\.51\.100/);

    const reset = (cookie: string | null, origin = server.url) =>
      fetch(`${server.url}/editor/members/feed-reset`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          origin,
          ...(cookie ? { cookie } : {}),
        },
        body: 'member=user_sharer',
      });
    expect((await reset(null)).status).toBe(404);
    expect((await reset(cookieFor('user_member'))).status).toBe(404);
    expect((await reset(editorCookie(), 'https://evil.example')).status).toBe(403);
    expect((await get(feedPath(token))).status).toBe(200);
    const done = await reset(editorCookie());
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/editor/members/?feed-reset=user_sharer#private-feeds');
    expect((await get(feedPath(token))).status).toBe(404);
    expect(await membersPage()).not.toContain('data-flagged-feed="user_sharer"');
  });
});

describe('private feeds with the members’ store down', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      ...serverEnv(keys, TEST_SITE_ORIGIN),
      GATEPOST_FEED_KEY: FEED_KEY,
      // Nothing listens there: every store query fails as unavailable.
      DATABASE_URL: 'postgres://gp:gp@127.0.0.1:9/none',
    });
  }, 90_000);
  afterAll(async () => server?.stop());

  it('says so in one sentence on the account page and the API, and a feed answers 503, never a 500', async () => {
    const cookie = cookieFor('user_member');
    const account = await fetch(`${server.url}/account/`, { headers: { cookie } });
    expect(account.status).toBe(200);
    expect(await account.text()).toContain('Your private feed cannot be shown right now; try again in a minute.');
    const api = await fetch(`${server.url}/api/private-feed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url, cookie },
      body: '{}',
    });
    expect(api.status).toBe(503);
    expect(await api.json()).toEqual({ error: 'Your private feed cannot be shown right now; try again in a minute.' });
    const feed = await fetch(`${server.url}/feeds/${feedToken('user_member', 1)}/rss.xml`);
    expect(feed.status).toBe(503);
    expect(feed.headers.get('cache-control')).toBe('private, no-store');
  }, 30_000);
});

describe('private feeds without any key (no CLERK_SECRET_KEY, no GATEPOST_FEED_KEY)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ CLERK_SECRET_KEY: '', GATEPOST_FEED_KEY: '', PUBLIC_CLERK_PUBLISHABLE_KEY: '' });
  }, 90_000);
  afterAll(async () => server?.stop());

  it('answers every feed URL with the bare 404, even one a key would have signed', async () => {
    for (const format of ['rss', 'atom'])
      for (const token of [feedToken('user_member', 1), 'anything']) {
        const response = await fetch(`${server.url}/feeds/${token}/${format}.xml`);
        expect(response.status).toBe(404);
        expect(await response.text()).toBe('Not found');
        expect(response.headers.get('cache-control')).toBe('private, no-store');
      }
    expect(server.output()).toMatch(/Private feeds are off: set CLERK_SECRET_KEY or GATEPOST_FEED_KEY/);
  });
});
