/**
 * Search over HTTP against the built server, with real session verification (networkless, with
 * CLERK_JWT_KEY): a premium article's members-only words are found by premium readers and by nobody
 * else, and bad input always gets a clear page.
 */
import { generateKeyPairSync } from 'node:crypto';
import { decodeHTML } from 'entities';
import { describe, expect, it } from 'vitest';
import { CACHE } from '../../src/security/headers';
import { loadSourceArticles, publishedSourceArticles, secretPart } from '../support/articles';
import {
  hs256WithPublicKey,
  mintToken,
  readerClaims,
  sessionCookie,
  tamper,
  unsignedToken,
} from '../support/clerk-session';
import { loadCanaries, useKeyedServer } from '../support/fixtures';

const canaries = loadCanaries();
const all = loadSourceArticles();
const published = publishedSourceArticles();
const draft = all.find((a) => a.draft && canaries[a.slug])!;
const readers = readerClaims();
const keyed = useKeyedServer();

/** Everything but the members-only part of one article, lower-cased: what its secret words must avoid. */
function textOutside(article: (typeof all)[number]): string {
  return all
    .map((a) => {
      const visible = [a.title, a.description, ...a.tags, a.slug].join(' ');
      if (a.slug === article.slug) return `${visible} ${a.body.replace(secretPart(a), '')}`;
      return `${visible} ${a.body}`;
    })
    .join(' ')
    .toLowerCase();
}

/** A word of the article's canary sentence that (even its first five letters) appears nowhere else. */
function secretWord(article: (typeof all)[number]): string | undefined {
  const elsewhere = textOutside(article);
  return (canaries[article.slug]!.match(/[A-Za-z]{6,}/g) ?? []).find(
    (w) => !elsewhere.includes(w.toLowerCase().slice(0, 5)),
  );
}

/** The first published article at this level whose canary has such a word, and the word. */
function withSecretWord(access: 'members' | 'premium') {
  for (const article of published.filter((a) => a.access === access && canaries[a.slug])) {
    const word = secretWord(article);
    if (word) return { article, word };
  }
  throw new Error(`no ${access} article's canary has a word unique to its members-only part`);
}

const { article: premiumArticle, word: premiumWord } = withSecretWord('premium');
const { article: membersArticle, word: membersWord } = withSecretWord('members');

async function search(query: string | null, cookie?: string, extra = '') {
  const qs = query === null ? extra : `q=${encodeURIComponent(query)}${extra}`;
  const response = await fetch(`${keyed.server.url}/search/${qs ? `?${qs}` : ''}`, {
    headers: cookie ? { cookie } : {},
    redirect: 'manual',
  });
  const html = await response.text();
  const hits = [...html.matchAll(/data-search-hit="([^"]+)"/g)].map((m) => m[1]);
  const snippets = [...html.matchAll(/<p[^>]*data-snippet[^>]*>([\s\S]*?)<\/p>/g)].map((m) => m[1]!);
  const total = /data-search-total="(\d+)"/.exec(html)?.[1];
  return { response, html, hits, snippets, total: total === undefined ? undefined : Number(total) };
}

const as = (reader: keyof typeof readers) => sessionCookie(mintToken(keyed.keys, readers[reader]));

const premiumReaders = [
  'premiumByMetadata',
  'premiumByPlan',
  'premiumByFeature',
  'premiumByOrgPlan',
  'editor',
] as const;
const notPremium = ['member', 'memberOfOrgWithoutTier', 'unsafeMetadataPremium'] as const;

function forgedCookies(): [string, string][] {
  const premium = readers.premiumByMetadata;
  const valid = mintToken(keyed.keys, premium);
  const payload = {
    sub: premium.userId,
    sid: 'sess_forged',
    iat: Math.floor(Date.now() / 1000) - 10,
    exp: Math.floor(Date.now() / 1000) + 600,
    ...premium.claims,
  };
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  return [
    ['signed with another key', sessionCookie(mintToken(keyed.keys, { ...premium, signWith: otherKey }))],
    ['alg none', sessionCookie(unsignedToken(payload))],
    ['HS256 with the public key', sessionCookie(hs256WithPublicKey(keyed.keys, payload))],
    [
      'member token tampered to premium',
      sessionCookie(tamper(mintToken(keyed.keys, readers.member), (p) => ({ ...p, metadata: { tier: 'premium' } }))),
    ],
    ['expired premium token', sessionCookie(mintToken(keyed.keys, { ...premium, iat: -1200, nbf: -1200, exp: -600 }))],
    ['premium token without a cookie name', valid],
  ];
}

describe('members-only words', () => {
  it(`"${premiumWord}" (only in ${premiumArticle.slug}'s members-only part) is found by premium readers`, async () => {
    for (const reader of premiumReaders) {
      const { response, hits, snippets } = await search(premiumWord, as(reader));
      expect(response.status, reader).toBe(200);
      expect(hits, reader).toEqual([premiumArticle.slug]);
      expect(snippets[0], reader).toMatch(new RegExp(`<mark>${premiumWord}</mark>`, 'i'));
      expect(response.headers.get('cache-control'), reader).toBe('private, no-store');
    }
  });

  it('is found by nobody else: anonymous, members-tier and forged sessions', async () => {
    const cookies: [string, string | undefined][] = [
      ['anonymous', undefined],
      ...notPremium.map((reader) => [reader, as(reader)] as [string, string]),
      ...forgedCookies(),
    ];
    for (const [who, cookie] of cookies) {
      const { response, hits, total, snippets } = await search(premiumWord, cookie);
      expect(response.status, who).toBe(200);
      expect(hits, who).toEqual([]);
      expect(total, who).toBe(0);
      expect(snippets, who).toEqual([]);
    }
  });

  it('the whole canary sentence, as a phrase, finds the article for premium readers only', async () => {
    const phrase = `"${canaries[premiumArticle.slug]}"`;
    expect((await search(phrase, as('premiumByMetadata'))).hits).toEqual([premiumArticle.slug]);
    expect((await search(phrase)).hits).toEqual([]);
    expect((await search(phrase, as('member'))).hits).toEqual([]);
  });

  it('a members-tier article is searched in full for members, not for anonymous readers', async () => {
    expect((await search(membersWord, as('member'))).hits).toEqual([membersArticle.slug]);
    expect((await search(membersWord, as('premiumByPlan'))).hits).toEqual([membersArticle.slug]);
    expect((await search(membersWord)).hits).toEqual([]);
  });

  it('snippets for denied readers hold only public text, even when the article matches', async () => {
    // A word from the premium article's title matches for everyone; its snippet must come from the preview.
    const titleWord = premiumArticle.title.match(/[A-Za-z]{5,}/)![0];
    const secret = secretPart(premiumArticle).toLowerCase();
    for (const cookie of [undefined, as('member')]) {
      const { html, hits } = await search(`${titleWord} ${premiumArticle.title.split(' ').at(-1)}`, cookie);
      expect(hits).toContain(premiumArticle.slug);
      expect(html).not.toContain(canaries[premiumArticle.slug]!);
      const index = hits.indexOf(premiumArticle.slug);
      const snippet = (await search(`${titleWord} ${premiumArticle.title.split(' ').at(-1)}`, cookie)).snippets[index]!;
      const plain = snippet
        .replace(/<[^>]+>/g, '')
        .replace(/…/g, ' ')
        .trim();
      for (const piece of plain.split(/\s{2,}/).filter((p) => p.length > 40)) {
        expect(secret).not.toContain(piece.toLowerCase());
      }
    }
  });

  it('drafts never match, not even for premium readers', async () => {
    expect((await search(`"${canaries[draft.slug]}"`, as('premiumByMetadata'))).hits).toEqual([]);
  });
});

describe('public search', () => {
  const publicArticle = published.find((a) => a.access === 'public')!;
  const word = publicArticle.title.match(/[A-Za-z]{6,}/)![0];

  it('finds public articles by title for anonymous readers, highlighted, with a link and badge-free card', async () => {
    const { response, html, hits } = await search(word);
    expect(response.status).toBe(200);
    expect(hits).toContain(publicArticle.slug);
    expect(html).toContain(`href="/articles/${publicArticle.slug}/"`);
    expect(html).toMatch(new RegExp(`<mark>${word}</mark>`, 'i'));
  });

  it('anonymous results may be kept by shared caches; signed-in results may not', async () => {
    expect((await search(word)).response.headers.get('cache-control')).toBe(CACHE.anonymousSearch);
    expect((await search(word, as('member'))).response.headers.get('cache-control')).toBe('private, no-store');
  });

  it('gated results carry their access badge and link to the members section', async () => {
    const { html } = await search(premiumArticle.title);
    expect(html).toContain(`data-search-hit="${premiumArticle.slug}" data-access="premium"`);
    expect(html).toContain(`href="/members/${premiumArticle.slug}/"`);
    expect(html).toMatch(/data-access="premium"[^>]*title="For Premium subscribers."/);
  });

  it('prefix queries find words by their start', async () => {
    expect((await search(`${word.slice(0, 4)}*`)).hits).toContain(publicArticle.slug);
  });
});

/** The words of a text as the index splits them, lower-cased, one space apart. */
const wordsOf = (text: string) => (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).join(' ');

/** Markup removed and entities decoded: the text a reader sees. */
const visible = (html: string) =>
  decodeHTML(html.replace(/<[^>]+>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Five plain words in a row from a prose line of `part` that no other published article has anywhere
 * (title, description, tags or body), as a quoted phrase.
 */
function uniquePhrase(article: (typeof all)[number], part: string): string {
  const others = published
    .filter((a) => a.slug !== article.slug)
    .map((a) => ` ${wordsOf([a.title, a.description, ...a.tags, a.body].join(' '))} `);
  for (const line of part.split('\n').filter((l) => /^[A-Za-z]/.test(l))) {
    for (const run of line.split(/[^A-Za-z ]+/)) {
      const words = run.trim().split(/ +/);
      for (let i = 0; i + 5 <= words.length; i++) {
        const phrase = words.slice(i, i + 5).join(' ');
        if (!others.some((text) => text.includes(` ${phrase.toLowerCase()} `))) return phrase;
      }
    }
  }
  throw new Error(`${article.slug}: no five-word phrase of its own in this part`);
}

/** What one result shows: its slug, title, link and snippet as a reader reads them. */
function results(html: string) {
  return [...html.matchAll(/<li data-search-hit="([^"]+)"[\s\S]*?<\/li>/g)].map(([item, slug]) => ({
    slug: slug!,
    href: /<h2[^>]*>\s*<a href="([^"]+)"/.exec(item)![1]!,
    title: visible(/<h2[^>]*>([\s\S]*?)<\/h2>/.exec(item)![1]!),
    snippet: visible(/<p[^>]*data-snippet[^>]*>([\s\S]*?)<\/p>/.exec(item)![1]!),
  }));
}

const pathOf = (article: (typeof all)[number]) =>
  `/${article.access === 'public' ? 'articles' : 'members'}/${article.slug}/`;
const bySlug = new Map(published.map((a) => [a.slug, a]));

/** Each result's title and link are its own article's, and its snippet shows that article's phrase. */
function expectOwnResults(html: string, phrases: Map<string, string>, label: string) {
  for (const hit of results(html)) {
    const article = bySlug.get(hit.slug)!;
    expect(hit.title, `${label}: title of ${hit.slug}`).toBe(article.title);
    expect(hit.href, `${label}: link of ${hit.slug}`).toBe(pathOf(article));
    const phrase = phrases.get(hit.slug);
    if (phrase) expect(hit.snippet.toLowerCase(), `${label}: snippet of ${hit.slug}`).toContain(phrase.toLowerCase());
  }
}

describe('every result shows its own article (issue 19, point 0)', () => {
  const publicPhrases = new Map(
    published.map((a) => [a.slug, uniquePhrase(a, a.body.replace(secretPart(a), ''))] as const),
  );
  const memberPhrases = new Map(
    published.filter((a) => a.access !== 'public').map((a) => [a.slug, uniquePhrase(a, secretPart(a))] as const),
  );
  const readersOf = { anonymous: undefined, premium: () => as('premiumByMetadata') };

  for (const [reader, cookie] of Object.entries(readersOf)) {
    it(`${reader}: a phrase only one article has finds exactly it, with its title, link and snippet`, async () => {
      for (const [slug, phrase] of publicPhrases) {
        const { html, hits } = await search(`"${phrase}"`, cookie?.());
        expect(hits, phrase).toEqual([slug]);
        expectOwnResults(html, publicPhrases, phrase);
      }
    });

    it(`${reader}: two articles' phrases in one query give two results, each with its own title, link and snippet`, async () => {
      const slugs = [...publicPhrases.keys()];
      for (const [index, slug] of slugs.entries()) {
        const other = slugs[(index + 1) % slugs.length]!;
        const query = `"${publicPhrases.get(slug)}" OR "${publicPhrases.get(other)}"`;
        const { html, hits } = await search(query, cookie?.());
        expect([...hits].sort(), query).toEqual([slug, other].sort());
        expectOwnResults(html, publicPhrases, query);
      }
    });
  }

  it('premium: phrases from two members-only parts give two results, each with its own title, link and snippet', async () => {
    const slugs = [...memberPhrases.keys()];
    for (const [index, slug] of slugs.entries()) {
      const other = slugs[(index + 1) % slugs.length]!;
      const query = `"${memberPhrases.get(slug)}" OR "${memberPhrases.get(other)}"`;
      const { html, hits } = await search(query, as('premiumByMetadata'));
      expect([...hits].sort(), query).toEqual([slug, other].sort());
      expectOwnResults(html, memberPhrases, query);
    }
  });

  it('the words a new reader tried ("cookies", "font") list each article under its own title and link', async () => {
    for (const word of ['cookies', 'font', 'readers']) {
      for (const cookie of [undefined, as('premiumByMetadata')]) {
        const { html, hits } = await search(word, cookie);
        expect(hits.length, word).toBeGreaterThan(1);
        expectOwnResults(html, new Map(), word);
      }
    }
  });
});

describe('bad input gets a clear page, never a 5xx', () => {
  const cases: [name: string, query: string, status: number][] = [
    ['empty', '', 200],
    ['spaces', '    ', 200],
    ['1,000 characters', 'word '.repeat(200), 400],
    ['punctuation only', '!!! ... ??? ---', 400],
    ['a lone quote', '"', 400],
    ['a lone star', '*', 400],
    ['NEAR', 'NEAR(gatepost session, 2)', 200],
    ['OR at both ends', 'OR session OR', 200],
    ['column filter', 'title:session body:cookie', 200],
    ['FTS syntax', '{title description}: ^session + -cookie AND NOT "x" * ( )', 200],
    ['HTML', '<script>alert(1)</script>', 200],
    ['very long word', 'a'.repeat(199), 200],
  ];
  for (const [name, query, status] of cases) {
    it(name, async () => {
      const { response, html } = await search(query);
      expect(response.status).toBe(status);
      expect(html).toMatch(/<h1[^>]*>Search<\/h1>/);
      // Outside quoted attribute values (where Astro escapes quotes), no markup from the query survives.
      expect(html.replace(/"[^"]*"/g, '""')).not.toContain('<script>alert(1)');
      if (query.trim()) expect(html).toMatch(/data-search-message|data-search-total/);
    });
  }

  it('invalid UTF-8 and broken percent-encoding', async () => {
    // URLs that decodeURI refuses get @astrojs/node's own 400 before any page runs; the rest reach the page.
    for (const raw of ['q=%FF%FE', 'q=%ZZ', 'q=%', 'q=%C3%28', 'q=%00session', 'q=%EF%BF%BD']) {
      const { response, html } = await search(null, undefined, raw);
      expect(response.status, raw).toBeLessThan(500);
      if (response.status === 400 && !html.includes('<h1')) expect(html, raw).toBe('Bad request.');
      else expect(html, raw).toMatch(/<h1[^>]*>Search<\/h1>/);
    }
  });

  it('page numbers: past the end, huge, negative or not a number', async () => {
    const past = await search('session', undefined, '&page=9999');
    expect(past.response.status).toBe(404);
    expect(past.html).toContain('No such page of results');
    expect((await search('session', undefined, '&page=99999999999999999999999')).response.status).toBe(404);
    for (const page of ['0', '-1', 'abc', '1e3', '1.5']) {
      const { response, html } = await search('session', undefined, `&page=${page}`);
      expect(response.status, page).toBe(400);
      expect(html, page).toContain('No such page of results');
    }
  });
});
