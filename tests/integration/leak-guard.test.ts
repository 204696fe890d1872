/**
 * The rule that must never break: member-only text never appears in anything the build produced for the
 * public. This scans every file under dist/ for every gated (and draft) article's secret text, and every
 * variant of the members' private feeds (each tier, RSS and Atom) from the built server for the text
 * beyond that tier.
 */
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedVersion } from '../../src/members/queries/private-feeds';
import { openStore, type MembersStore } from '../../src/members/store';
import { generateTestKeys, serverEnv, TEST_SITE_ORIGIN } from '../support/clerk-session';
import { createTestDatabase, type TestDatabase } from '../support/databases';
import { deliver, FEED_KEY, feedToken, memberEvent, parseAtom, parseRss } from '../support/private-feeds';
import { startServer, type RunningServer } from '../support/server';
import { newSigningSecret } from '../support/svix';
import { loadSourceArticles, secretPart, secretPhrases } from '../support/articles';
import { isSearchIndex, isServerOnlyMemberData, listFiles, scanForLeaks } from '../support/leak-scan';
import { loadCanaries } from '../support/fixtures';
import { DIST } from '../support/paths';

const canaries = loadCanaries();
const articles = loadSourceArticles();
const secretArticles = articles.filter((a) => secretPart(a).length > 0);

describe('member-only canary sentences', () => {
  it('exist for every gated and draft article, in its member-only part', () => {
    expect(secretArticles.length).toBeGreaterThanOrEqual(5);
    for (const article of secretArticles) {
      const sentence = canaries[article.slug];
      expect(sentence, `tests/fixtures/member-only-sentences.json lacks ${article.slug}`).toBeTruthy();
      expect(secretPart(article), `${article.file}: canary not in its member-only part`).toContain(sentence!);
      expect(article.body.indexOf(sentence!)).toBe(article.body.lastIndexOf(sentence!));
    }
  });

  it('are not stale: every listed slug is still a gated or draft article', () => {
    const secretSlugs = new Set(secretArticles.map((a) => a.slug));
    expect(Object.keys(canaries).filter((slug) => !secretSlugs.has(slug))).toEqual([]);
  });
});

describe('build output (dist/)', () => {
  const needlesOf = (list: typeof secretArticles) => [
    ...new Set(list.flatMap((a) => [canaries[a.slug]!, ...secretPhrases(a)]).filter(Boolean)),
  ];
  // Drafts and scheduled articles: nothing of them may be in the build at all.
  const drafts = secretArticles.filter((a) => a.draft || a.pubDate > new Date());
  const all = needlesOf(secretArticles);

  it('exists', () => {
    expect(existsSync(`${DIST}client/index.html`), 'run `npm run build` first').toBe(true);
  });

  it('has nothing of any gated or draft article in what the server sends as files (dist/client)', () => {
    expect(all.length).toBeGreaterThan(secretArticles.length * 3);
    const { leaks, filesScanned } = scanForLeaks(`${DIST}client`, all);
    expect(filesScanned).toBeGreaterThan(20);
    expect(leaks).toEqual([]);
  });

  it('keeps member-only text on the server only in the content data module and the search index', () => {
    const { leaks, filesScanned } = scanForLeaks(`${DIST}server`, all, (file) => !isServerOnlyMemberData(file));
    expect(filesScanned).toBeGreaterThan(5);
    expect(leaks).toEqual([]);
  });

  it('has the search index in dist/server only, and the scan reads its text (positive control)', () => {
    const indexes = listFiles(DIST).filter(isSearchIndex);
    expect(indexes).toEqual([`${DIST}server/search-index.sqlite`]);
    expect(listFiles(`${DIST}client`).filter((file) => /\.(sqlite|db)$|search-index/.test(file))).toEqual([]);
    const gated = secretArticles.filter((a) => !a.draft && a.pubDate <= new Date());
    const { leaks } = scanForLeaks(
      `${DIST}server`,
      gated.map((a) => canaries[a.slug]!),
      isSearchIndex,
    );
    expect(leaks.length).toBe(gated.length);
  });

  it('has no draft or scheduled text anywhere, server included', () => {
    expect(drafts.filter((a) => a.draft).length).toBeGreaterThan(0);
    expect(drafts.filter((a) => !a.draft).length).toBeGreaterThan(0);
    expect(scanForLeaks(DIST, needlesOf(drafts)).leaks).toEqual([]);
  });

  it('does contain public article text (the scan would see a leak)', () => {
    const publicArticle = articles.find((a) => a.access === 'public' && !a.draft)!;
    const phrase = secretPhrases({
      ...publicArticle,
      access: 'members',
      body: `<!-- members-only -->${publicArticle.body}`,
    })[0]!;
    expect(scanForLeaks(`${DIST}client`, [phrase]).leaks.length).toBeGreaterThan(0);
  });
});

describe('private feeds (every tier, RSS and Atom, from the built server)', () => {
  let database: TestDatabase;
  let store: MembersStore;
  let server: RunningServer;
  const secret = newSigningSecret();
  const published = secretArticles.filter((a) => !a.draft && a.pubDate <= new Date());
  const unpublished = secretArticles.filter((a) => a.draft || a.pubDate > new Date());
  const needles = (list: typeof secretArticles) => [
    ...new Set(list.flatMap((a) => [canaries[a.slug]!, ...secretPhrases(a)]).filter(Boolean)),
  ];
  const premiumOnly = needles(published.filter((a) => a.access === 'premium'));
  const anyGated = needles(published);
  const never = needles(unpublished);

  /** Every item's text in both formats of one member's feed, as a feed reader decodes it. */
  const feedTexts = async (memberId: string) => {
    const token = feedToken(memberId, (await feedVersion(store, memberId, Date.now()))!);
    const texts: string[] = [];
    for (const [format, parse] of [
      ['rss', parseRss],
      ['atom', parseAtom],
    ] as const) {
      const response = await fetch(`${server.url}/feeds/${token}/${format}.xml`);
      expect(response.status).toBe(200);
      const xml = await response.text();
      texts.push(
        xml,
        parse(xml)
          .items.map((i) => `${i.title}\n${i.content}`)
          .join('\n'),
      );
    }
    return texts.join('\n');
  };
  const found = (text: string, list: readonly string[]) => list.filter((needle) => text.includes(needle));

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    store = openStore(database.config);
    await store.migrate();
    server = await startServer({
      ...serverEnv(generateTestKeys(), TEST_SITE_ORIGIN),
      ...database.env,
      CLERK_WEBHOOK_SIGNING_SECRET: secret,
      GATEPOST_FEED_KEY: FEED_KEY,
    });
    await deliver(server.url, secret, 'user.created', memberEvent('user_leak_premium', 'premium'));
    await deliver(server.url, secret, 'user.created', memberEvent('user_leak_members'));
    await deliver(server.url, secret, 'user.created', memberEvent('user_leak_lapsed', 'premium'));
    const db = await store.database();
    const now = Date.now();
    await db
      .insertInto('members')
      .values({ id: 'user_leak_public', tier: 'public', created_at: now, updated_at: now })
      .execute();
    // Premium until its subscription lapsed: a members-tier reader from now on.
    await feedVersion(store, 'user_leak_lapsed', now);
    await deliver(server.url, secret, 'user.updated', memberEvent('user_leak_lapsed', undefined, now + 1000));
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await store?.close();
    await database?.drop();
  });

  it('reads gated text in a premium member’s feed (the scan would see a leak), never a draft’s', async () => {
    expect(premiumOnly.length).toBeGreaterThan(3);
    const text = await feedTexts('user_leak_premium');
    expect(
      found(
        text,
        published.map((a) => canaries[a.slug]!),
      ),
    ).toHaveLength(published.length);
    expect(found(text, never)).toEqual([]);
  });

  it('never puts premium-only text in a members-tier or lapsed member’s feed', async () => {
    for (const member of ['user_leak_members', 'user_leak_lapsed']) {
      const text = await feedTexts(member);
      expect(found(text, premiumOnly), member).toEqual([]);
      expect(found(text, never), member).toEqual([]);
    }
  });

  it('never puts any member-only text in the feed of a record at the public level', async () => {
    const text = await feedTexts('user_leak_public');
    expect(found(text, [...anyGated, ...never])).toEqual([]);
  });
});

describe('scanForLeaks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatepost-leak-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a secret in nested text and binary files', () => {
    mkdirSync(join(dir, 'a/b'), { recursive: true });
    writeFileSync(join(dir, 'a/b/page.js'), 'const x = "the vault code is 1234, said nobody";');
    writeFileSync(join(dir, 'img.bin'), Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from('hidden words here')]));
    writeFileSync(join(dir, 'clean.html'), '<p>nothing</p>');
    const { leaks } = scanForLeaks(dir, ['the vault code is 1234', 'hidden words here']);
    expect(leaks.map((l) => l.file).sort()).toEqual(['a/b/page.js', 'img.bin']);
  });
});
