/**
 * Social cards (src/social/): what each card says, that it says nothing of an article's text, that the
 * image is a 1200×630 PNG drawn on the drawing thread, drawn once per content, kept on disk and redrawn
 * when its text changes; the queue's bound, the thread's idle end, and the HTTP answer (ETag, 304, 503).
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { articleCard, cardKey, cardText, homeCard, tagCard, type ArticleFacts } from '../../src/social/card';
import { drawCard } from '../../src/social/draw';
import { CardImages } from '../../src/social/images';
import { CardsBusyError, DrawingPool, isCardsBusy } from '../../src/social/pool';
import { cardResponse } from '../../src/social/response';
import { readCardSettings } from '../../src/social/settings';
import { isCardName, isCardRoute } from '../../src/site/paths';
import { loadCanaries, loadSourceArticles, secretPhrases } from '../support/articles';

const facts = (overrides: Partial<ArticleFacts> = {}): ArticleFacts => ({
  title: 'Inside a third-party script audit',
  author: 'Maren Okafor',
  pubDate: new Date('2026-03-14T00:00:00Z'),
  tags: ['web-performance', 'mobile'],
  access: 'premium',
  ...overrides,
});

/** Width and height from a PNG's IHDR chunk. */
const pngSize = (png: Buffer) => ({
  width: png.readUInt32BE(16),
  height: png.readUInt32BE(20),
  signature: png.subarray(1, 4).toString(),
});

describe('what a card says', () => {
  it('an article: title, author and date, tags, and the access badge; the alt text says the same', () => {
    const card = articleCard(facts());
    expect(card).toMatchObject({
      title: 'Inside a third-party script audit',
      byline: 'Maren Okafor · March 14, 2026',
      tags: ['#web-performance', '#mobile'],
      badge: { label: 'Premium', tone: 'gold' },
    });
    expect(card.alt).toBe(
      'Inside a third-party script audit, by Maren Okafor · March 14, 2026. Premium article on Gatepost.',
    );
    expect(articleCard(facts({ access: 'public' })).badge?.label).toBe('Free');
    expect(articleCard(facts({ tags: ['a', 'b', 'c', 'd', 'e', 'f'] })).tags).toHaveLength(4);
  });

  it('the home page and a tag page', () => {
    expect(homeCard().badge).toBeNull();
    expect(tagCard('astro', 1)).toMatchObject({ title: '#astro', byline: '1 article' });
    expect(tagCard('astro', 5).byline).toBe('5 articles');
  });

  it('no card of a sample article holds any of its member-only text', () => {
    const canaries = loadCanaries();
    for (const article of loadSourceArticles()) {
      const text = cardText(articleCard({ ...article, author: 'Anyone' }));
      for (const phrase of [...secretPhrases(article, 24), canaries[article.slug]].filter(Boolean))
        expect(text, article.slug).not.toContain(phrase);
    }
  });

  it('is keyed by its content: the same text the same key, any change a new one', () => {
    expect(cardKey(articleCard(facts()))).toBe(cardKey(articleCard(facts())));
    expect(cardKey(articleCard(facts({ title: 'Another' })))).not.toBe(cardKey(articleCard(facts())));
    expect(cardKey(articleCard(facts({ access: 'members' })))).not.toBe(cardKey(articleCard(facts())));
  });
});

/** The drawing thread's program as `astro dev` and the tests run it: from the sources. */
const WORKER = resolve('src/social/draw-worker.ts');

describe('the image', () => {
  const cache = mkdtempSync(join(tmpdir(), 'cards-'));
  const pool = new DrawingPool({ workerFile: WORKER });
  afterAll(async () => {
    await pool.close();
    rmSync(cache, { recursive: true, force: true });
  });

  it('is a 1200×630 PNG drawn on the thread, the same as drawn here, once per content and kept', async () => {
    const images = new CardImages({ cacheDir: join(cache, 'og'), pool });
    const card = articleCard(facts());
    const first = await images.image(card);
    expect(first).toMatchObject({ key: cardKey(card), drawn: true });
    expect(pngSize(first.png)).toEqual({ width: 1200, height: 630, signature: 'PNG' });
    expect(first.png.equals(await drawCard(card))).toBe(true);
    const [file] = readdirSync(join(cache, 'og'));
    expect(file).toBe(`${cardKey(card)}.png`);
    const drawnAt = statSync(join(cache, 'og', file!)).mtimeMs;

    // Kept: the same content is read back, not drawn again.
    const again = await images.image(card);
    expect(again.drawn).toBe(false);
    expect(again.png.equals(first.png)).toBe(true);
    expect(statSync(join(cache, 'og', file!)).mtimeMs).toBe(drawnAt);

    // A changed title is a new card.
    const changed = await images.image(articleCard(facts({ title: 'A corrected title' })));
    expect(changed.drawn).toBe(true);
    expect(changed.png.equals(first.png)).toBe(false);
    expect(readdirSync(join(cache, 'og'))).toHaveLength(2);
  }, 60_000);

  it('requests for the same card while it is drawn share one drawing', async () => {
    let draws = 0;
    const counting = { draw: (card: Parameters<DrawingPool['draw']>[0]) => (draws++, pool.draw(card)) };
    const images = new CardImages({ cacheDir: join(cache, 'shared'), pool: counting });
    const card = tagCard('shared', 3);
    const answers = await Promise.all(Array.from({ length: 5 }, () => images.image(card)));
    expect(draws).toBe(1);
    for (const answer of answers) expect(answer.png.equals(answers[0]!.png)).toBe(true);
  }, 60_000);

  it('a directory that cannot be written still gives the card, with one warning', async () => {
    // A path below a regular file: no one can create it, root included.
    const blocker = join(cache, 'a-file');
    writeFileSync(blocker, 'not a directory');
    const warnings: string[] = [];
    const images = new CardImages({ cacheDir: join(blocker, 'og'), pool, warn: (m) => warnings.push(m) });
    for (const title of ['First', 'Second']) {
      const { png, drawn } = await images.image(articleCard(facts({ title })));
      expect(drawn).toBe(true);
      expect(pngSize(png)).toEqual({ width: 1200, height: 630, signature: 'PNG' });
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(join(blocker, 'og'));
    expect(warnings[0]).toContain('GATEPOST_CARD_CACHE_DIR');
  }, 60_000);
});

describe('the drawing thread', () => {
  it('is started for the first card, ends when idle, and starts again for the next', async () => {
    const pool = new DrawingPool({ workerFile: WORKER, idleMs: 200 });
    try {
      expect(pool.running).toBe(false);
      await pool.draw(homeCard());
      expect(pool.running).toBe(true);
      await new Promise((r) => setTimeout(r, 600));
      expect(pool.running).toBe(false);
      expect(pngSize(await pool.draw(tagCard('again', 2))).signature).toBe('PNG');
      expect(pool.started).toBe(2);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('refuses a card beyond the queue bound instead of queueing it, and draws the others', async () => {
    const pool = new DrawingPool({ workerFile: WORKER, maxWaiting: 2 });
    try {
      const results = await Promise.allSettled(
        [1, 2, 3, 4].map((n) => pool.draw(articleCard(facts({ title: `Queued ${n}` })))),
      );
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected']);
      const refused = (results[2] as PromiseRejectedResult).reason;
      expect(refused).toBeInstanceOf(CardsBusyError);
      expect(isCardsBusy(refused)).toBe(true);
      // Once the queue has room again, cards are drawn again.
      expect(pngSize(await pool.draw(articleCard(facts({ title: 'Later' })))).signature).toBe('PNG');
    } finally {
      await pool.close();
    }
  }, 60_000);
});

describe('the HTTP answer', () => {
  const card = homeCard();
  const etag = `"${cardKey(card)}"`;
  const png = Buffer.from('\x89PNG fake');
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  /** Card images over an empty directory, drawing with `draw`. */
  const images = (draw: () => Promise<Buffer>) => {
    dirs.push(mkdtempSync(join(tmpdir(), 'cards-http-')));
    return new CardImages({ cacheDir: dirs.at(-1)!, pool: { draw } });
  };

  it('the PNG with its ETag; 304 when the client has it, whatever the ETag list looks like', async () => {
    const ok = await cardResponse(
      new Request('http://x/og/home.png'),
      card,
      images(async () => png),
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/png');
    expect(ok.headers.get('etag')).toBe(etag);
    expect(Buffer.from(await ok.arrayBuffer()).equals(png)).toBe(true);
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const request = new Request('http://x/og/home.png', { headers: { 'If-None-Match': header } });
      const notModified = await cardResponse(
        request,
        card,
        images(() => Promise.reject(new Error('drawn'))),
      );
      expect(notModified.status, header).toBe(304);
      expect(notModified.headers.get('etag')).toBe(etag);
    }
    const stale = new Request('http://x/og/home.png', { headers: { 'If-None-Match': '"an-older-card"' } });
    expect(
      (
        await cardResponse(
          stale,
          card,
          images(async () => png),
        )
      ).status,
    ).toBe(200);
  });

  it('503 with Retry-After when the drawing queue is full', async () => {
    const busy = await cardResponse(
      new Request('http://x/og/home.png'),
      card,
      images(() => Promise.reject(new CardsBusyError(32))),
    );
    expect(busy.status).toBe(503);
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('settings', () => {
  it('the cache directory (relative to the working directory) and the queue bound', () => {
    expect(readCardSettings({}, '/srv/site')).toEqual({ cacheDir: '/srv/site/.cache/og', maxWaiting: 32 });
    expect(readCardSettings({ GATEPOST_CARD_CACHE_DIR: 'cards', GATEPOST_CARD_QUEUE_LIMIT: '4' }, '/srv/site')).toEqual(
      { cacheDir: '/srv/site/cards', maxWaiting: 4 },
    );
    expect(readCardSettings({ GATEPOST_CARD_CACHE_DIR: '/var/cache/og' }, '/srv/site').cacheDir).toBe('/var/cache/og');
    for (const bad of ['0', '-1', 'many', '1.5', '10001'])
      expect(() => readCardSettings({ GATEPOST_CARD_QUEUE_LIMIT: bad })).toThrow(/GATEPOST_CARD_QUEUE_LIMIT/);
  });
});

describe('card addresses', () => {
  it('a slug or tag worth looking up: no slash, backslash or control character, at most 200 characters', () => {
    for (const name of ['web-performance', 'café', 'a'.repeat(200), '..']) expect(isCardName(name), name).toBe(true);
    for (const name of [undefined, '', '../x', 'a/b', 'a\\b', 'a\u0000', 'tab\there', 'a'.repeat(201)])
      expect(isCardName(name), String(name)).toBe(false);
  });

  it('the card routes, and only they, are the same for every reader', () => {
    for (const route of ['/og/home.png', '/og/articles/[slug].png', '/og/tags/[tag].png'])
      expect(isCardRoute(route), route).toBe(true);
    for (const route of ['/members/[slug]', '/api/gift-links', '/', '/search', '/ogre'])
      expect(isCardRoute(route), route).toBe(false);
  });
});
