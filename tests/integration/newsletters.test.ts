/**
 * Newsletters against the built server and a real SMTP server in process (the stand-in's mail catcher,
 * smtp-server + mailparser), on SQLite and (with GATEPOST_TEST_DATABASE_URL) PostgreSQL: the desk's
 * send action (editors only, same-origin, form-encoded, once per article), what each tier receives
 * (the premium article's members-only sentence never reaches a members-tier recipient), the headers
 * (List-Unsubscribe, List-Unsubscribe-Post, Message-ID, Date) and both parts, one-click unsubscribe
 * without cookies, the confirmation page and resubscribe, tampered links, and a permanent bounce
 * suppressing the address and showing it to editors.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startMailCatcher, type CaughtMail, type MailCatcher } from '@gatepost/clerk-standin/mail';
import { subscribeNewMember, subscriptionsOf, listSends } from '../../src/members/queries/newsletters';
import { openStore, type MembersStore } from '../../src/members/store';
import { createUnsubscribeToken, unsubscribeKeyFromEnv } from '../../src/newsletters/token';
import { loadCanaries } from '../support/articles';
import {
  generateTestKeys,
  mintToken,
  readerClaims,
  serverEnv,
  sessionCookie,
  TEST_SITE_ORIGIN,
} from '../support/clerk-session';
import { createTestDatabase, STORE_KINDS, type TestDatabase } from '../support/databases';
import { startServer, type RunningServer } from '../support/server';

const keys = generateTestKeys();
const NL = 'gatepost-weekly';
const NEWSLETTER_KEY = 'newsletter-test-key-0123456789-abcdefghijklmnop';
const key = (() => {
  const config = unsubscribeKeyFromEnv({ GATEPOST_NEWSLETTER_KEY: NEWSLETTER_KEY });
  if (!config.enabled) throw new Error(config.reason);
  return config.key;
})();
const PREMIUM = 'container-queries-in-production';
const MEMBERS = 'an-editorial-calendar-that-survives-contact';
const PUBLIC = 'astro-content-collections-for-editors';
const canaries = loadCanaries();

const editorCookie = () => sessionCookie(mintToken(keys, readerClaims().editor));
const memberCookie = () => sessionCookie(mintToken(keys, readerClaims().member));

/** Members in the store: the editor (premium), free members and premium members, all subscribed. */
async function seed(store: MembersStore, free: number, premium: number) {
  const db = await store.database();
  const now = Date.now();
  const add = async (id: string, email: string, tier: string, editor = 0) => {
    await db.insertInto('members').values({ id, email, tier, editor, created_at: now, updated_at: now }).execute();
    await subscribeNewMember(db, id, [NL], now);
  };
  await add('user_editor', 'editor@example.test', 'premium', 1);
  for (let i = 0; i < free; i++) await add(`user_free_${i}`, `free${i}@example.test`, 'members');
  for (let i = 0; i < premium; i++) await add(`user_premium_${i}`, `premium${i}@example.test`, 'premium');
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

async function waitForSend(store: MembersStore, article: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const send = (await listSends(store, [article]))[0];
    if (send && send.finishedAt !== null) return send;
    if (Date.now() > deadline) throw new Error(`send of ${article} not finished: ${JSON.stringify(send)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(STORE_KINDS)('newsletters over HTTP and SMTP, %s', (kind) => {
  let database: TestDatabase;
  let store: MembersStore;
  let server: RunningServer;
  let mail: MailCatcher;

  beforeAll(async () => {
    mail = await startMailCatcher({ keep: 5000 });
    database = await createTestDatabase(kind);
    store = openStore(database.config);
    await store.migrate();
    await seed(store, 3, 2);
    server = await startServer({
      ...serverEnv(keys, TEST_SITE_ORIGIN),
      ...database.env,
      GATEPOST_SMTP_URL: mail.url,
      GATEPOST_NEWSLETTER_KEY: NEWSLETTER_KEY,
    });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await store?.close();
    await database?.drop();
    await mail?.stop();
  });

  const send = (slug: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/editor/articles/${slug}/send`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, ...headers },
      body,
    });

  it('refuses the send action to anyone but an editor, across origins, and for bad forms, without queueing anything', async () => {
    expect((await send(PREMIUM, form({ newsletter: NL }))).status).toBe(404);
    expect((await send(PREMIUM, form({ newsletter: NL }), { cookie: memberCookie() })).status).toBe(404);
    const cross = await send(PREMIUM, form({ newsletter: NL }), {
      cookie: editorCookie(),
      origin: 'https://evil.example',
    });
    expect(cross.status).toBe(403);
    const json = await fetch(`${server.url}/editor/articles/${PREMIUM}/send`, {
      method: 'POST',
      headers: { cookie: editorCookie(), 'content-type': 'application/json', origin: server.url },
      body: '{}',
    });
    expect(json.status).toBe(415);
    expect((await send(PREMIUM, form({ newsletter: 'nope' }), { cookie: editorCookie() })).status).toBe(400);
    expect((await send('no-such-article', form({ newsletter: NL }), { cookie: editorCookie() })).status).toBe(404);
    expect(await listSends(store)).toEqual([]);
    expect(mail.count()).toBe(0);
  });

  it('sends a premium article once: the full text to premium members, preview and upgrade link to members-tier ones', async () => {
    const response = await send(PREMIUM, '', { cookie: editorCookie() });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(
      /^\/editor\/\?email=container-queries-in-production&queued=queued/,
    );
    const finished = await waitForSend(store, PREMIUM);
    expect(finished).toMatchObject({ state: 'sent', total: 6, sent: 6 });
    await mail.waitFor(6);
    // Twice: the database refuses a second send.
    const again = await send(PREMIUM, form({ newsletter: NL }), { cookie: editorCookie() });
    expect(again.headers.get('location')).toContain('queued=exists');
    await new Promise((r) => setTimeout(r, 2500));
    const messages = mail.messages().filter((m) => m.subject.includes('ontainer'));
    expect(messages).toHaveLength(6);
    const to = (address: string) => messages.find((m) => m.envelopeTo.includes(address))!;
    const canary = canaries[PREMIUM]!;
    for (const address of ['free0@example.test', 'free1@example.test', 'free2@example.test']) {
      const message = to(address);
      expect(message.html).not.toContain(canary);
      expect(message.text).not.toContain(canary);
      expect(message.html).toContain('/pricing/?return=');
      expect(message.html).toContain('This article needs Premium');
    }
    for (const address of ['premium0@example.test', 'editor@example.test']) {
      expect(to(address).html).toContain(canary);
      expect(to(address).text).toContain(canary);
    }
    const sample = to('free0@example.test');
    expect(sample.headers['list-unsubscribe']).toMatch(/^<http:\/\/127\.0\.0\.1\/unsubscribe\/u1\.[^>]+\/>/);
    expect(sample.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(sample.messageId).toMatch(/^<[A-Za-z0-9_-]+@gatepost\.example>$/);
    expect(sample.date).not.toBeNull();
    expect(sample.text).toContain('Unsubscribe: http://127.0.0.1/unsubscribe/');
    expect(sample.html).toContain('href="http://127.0.0.1/unsubscribe/');
    // Gmail clips messages over 102 KB.
    for (const message of messages) expect(message.size).toBeLessThan(102 * 1024);
    // The desk shows the send.
    const desk = await (await fetch(`${server.url}/editor/`, { headers: { cookie: editorCookie() } })).text();
    expect(desk).toMatch(/data-send-state="sent"[^>]*>\s*<strong>sent 6\/6<\/strong>/);
  });

  it('gives a members article in full to every member and a public one to all, each once', async () => {
    mail.clear();
    await send(MEMBERS, '', { cookie: editorCookie() });
    await send(PUBLIC, '', { cookie: editorCookie() });
    await waitForSend(store, MEMBERS);
    await waitForSend(store, PUBLIC);
    await mail.waitFor(12);
    const members = mail.messages().filter((m) => m.html.includes(canaries[MEMBERS]!));
    expect(members.map((m) => m.envelopeTo[0]).sort()).toHaveLength(6);
    const addresses = mail.messages().map((m) => `${m.subject}|${m.envelopeTo.join()}`);
    expect(new Set(addresses).size).toBe(12);
  });

  it('queues one send when two editors press Send at the same moment', async () => {
    const [a, b] = await Promise.all([
      send('session-cookies-done-properly', '', { cookie: editorCookie() }),
      send('session-cookies-done-properly', '', { cookie: editorCookie() }),
    ]);
    const outcomes = [a, b].map((r) => /queued=(\w+)/.exec(r.headers.get('location') ?? '')?.[1]).sort();
    expect(outcomes).toEqual(['exists', 'queued']);
    const finished = await waitForSend(store, 'session-cookies-done-properly');
    expect(finished.total).toBe(6);
  });

  it('unsubscribes with one POST and no cookie, shows a confirmation page on GET, resubscribes, and refuses a tampered link', async () => {
    const token = createUnsubscribeToken(key, 'user_free_1', NL);
    const url = `${server.url}/unsubscribe/${token}/`;
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    expect(await page.text()).toContain('You are subscribed to Gatepost Weekly');
    expect((await subscriptionsOf(store, 'user_free_1')).get(NL)).toBe(true);

    const oneClick = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(oneClick.headers.get('cache-control')).toBe('private, no-store');
    expect(await oneClick.text()).toBe('Unsubscribed from Gatepost Weekly.');
    expect(await (await fetch(url)).text()).toContain('You are unsubscribed from Gatepost Weekly');
    expect((await subscriptionsOf(store, 'user_free_1')).get(NL)).toBe(false);
    // A mail provider posting from its own origin is still accepted: the token authenticates.
    const fromProvider = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'https://mail.example',
        'sec-fetch-site': 'cross-site',
      },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(fromProvider.status).toBe(200);

    // The confirmation page's button: back to the page, which shows the new state.
    const resubscribe = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: 'action=resubscribe',
    });
    expect(resubscribe.status).toBe(303);
    expect(resubscribe.headers.get('location')).toBe(`/unsubscribe/${token}/`);
    expect(await (await fetch(url)).text()).toContain('You are subscribed to Gatepost Weekly');
    expect((await subscriptionsOf(store, 'user_free_1')).get(NL)).toBe(true);

    const other = createUnsubscribeToken(key, 'user_free_2', NL);
    const tampered = `${token.slice(0, token.lastIndexOf('.'))}${other.slice(other.lastIndexOf('.'))}`;
    for (const bad of [tampered, `${token}x`, 'u1.abc.def', token.replace('u1.', 'u2.')]) {
      const response = await fetch(`${server.url}/unsubscribe/${bad}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(response.status).toBe(400);
    }
    expect((await subscriptionsOf(store, 'user_free_1')).get(NL)).toBe(true);
    expect((await subscriptionsOf(store, 'user_free_2')).get(NL)).toBe(true);
  });

  it('lets a signed-in member switch a newsletter off and on from the account page, same-origin only', async () => {
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}/api/newsletter-subscription`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, ...headers },
        body,
      });
    expect((await post(form({ newsletter: NL, subscribed: '0' }))).status).toBe(401);
    expect(
      (
        await post(form({ newsletter: NL, subscribed: '0' }), {
          cookie: memberCookie(),
          origin: 'https://evil.example',
        })
      ).status,
    ).toBe(403);
    expect((await post(form({ newsletter: NL, subscribed: 'maybe' }), { cookie: memberCookie() })).status).toBe(400);
    const off = await post(form({ newsletter: NL, subscribed: '0' }), { cookie: memberCookie() });
    expect(off.status).toBe(303);
    expect((await subscriptionsOf(store, 'user_member')).get(NL)).toBe(false);
    const account = await (await fetch(`${server.url}/account/`, { headers: { cookie: memberCookie() } })).text();
    expect(account).toMatch(/data-newsletter="gatepost-weekly" data-subscribed="no"/);
    await post(form({ newsletter: NL, subscribed: '1' }), { cookie: memberCookie() });
    expect((await subscriptionsOf(store, 'user_member')).get(NL)).toBe(true);
  });

  it('suppresses an address the receiving server refuses permanently, and shows it to editors', async () => {
    mail.clear();
    mail.refuse('premium1@example.test', 550);
    await send('deciding-what-goes-behind-the-gate', '', { cookie: editorCookie() });
    const finished = await waitForSend(store, 'deciding-what-goes-behind-the-gate');
    expect(finished).toMatchObject({ state: 'sent', bounced: 1 });
    const page = await (await fetch(`${server.url}/editor/members/`, { headers: { cookie: editorCookie() } })).text();
    expect(page).toContain('data-suppressed-email="premium1@example.test"');
    mail.refuse('premium1@example.test', null);
    await send('font-loading-budget-for-small-publishers', '', { cookie: editorCookie() });
    await waitForSend(store, 'font-loading-budget-for-small-publishers');
    const received = mail.messages().map((m: CaughtMail) => m.envelopeTo[0]);
    expect(received).not.toContain('premium1@example.test');
  });
});

describe('without GATEPOST_SMTP_URL', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ ...serverEnv(keys, TEST_SITE_ORIGIN) });
  }, 60_000);
  afterAll(() => server?.stop());

  it('says once that email is off, and the send action answers 409 with the reason, not a 500', async () => {
    const response = await fetch(`${server.url}/editor/articles/${PREMIUM}/send`, {
      method: 'POST',
      headers: { cookie: editorCookie(), 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
      body: '',
    });
    expect(response.status).toBe(409);
    expect(await response.text()).toContain('GATEPOST_SMTP_URL');
    const page = await (
      await fetch(`${server.url}/editor/articles/${PREMIUM}/email/`, { headers: { cookie: editorCookie() } })
    ).text();
    expect(page).toContain('data-email-off');
    expect(page).not.toContain('data-send');
    expect(server.output().match(/Email is not configured/g)).toHaveLength(1);
  });
});

describe.each(STORE_KINDS)('automatic sends from the frontmatter, %s', (kind) => {
  let database: TestDatabase;
  let store: MembersStore;
  let server: RunningServer;
  let mail: MailCatcher;
  // astro-content-collections-for-editors.md carries `newsletter: gatepost-weekly`.
  const AUTO = 'astro-content-collections-for-editors';

  async function start(enabledAt: number) {
    mail = await startMailCatcher();
    database = await createTestDatabase(kind);
    store = openStore(database.config);
    await store.migrate();
    await seed(store, 1, 1);
    await (await store.database()).insertInto('newsletters').values({ slug: NL, enabled_at: enabledAt }).execute();
    server = await startServer({
      ...serverEnv(keys, TEST_SITE_ORIGIN),
      ...database.env,
      GATEPOST_SMTP_URL: mail.url,
      GATEPOST_NEWSLETTER_KEY: NEWSLETTER_KEY,
    });
  }
  afterEach(async () => {
    await server?.stop();
    await store?.close();
    await database?.drop();
    await mail?.stop();
  });

  it('sends an article that names a newsletter once it is served, when it was published after the newsletter was enabled', async () => {
    await start(Date.UTC(2020, 0, 1));
    const send = await waitForSend(store, AUTO);
    expect(send).toMatchObject({ trigger: 'auto', state: 'sent', total: 3, sent: 3 });
    // Only that article: the others name no newsletter.
    expect((await listSends(store)).map((s) => s.article)).toEqual([AUTO]);
    await mail.waitFor(3);
  });

  it('never sends on its own an article published before the newsletter was enabled', async () => {
    await start(Date.now());
    await new Promise((r) => setTimeout(r, 3000));
    expect(await listSends(store)).toEqual([]);
    expect(mail.count()).toBe(0);
  });
});
