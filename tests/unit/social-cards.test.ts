/**
 * Social cards (src/social/): what each card says, that it says nothing of an article's text, that the
 * image is a 1200×630 PNG, and that a card is drawn once per content and redrawn when its text changes.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { articleCard, cardKey, cardText, homeCard, tagCard, type ArticleFacts } from '../../src/social/card';
import { drawCard } from '../../src/social/draw';
import { predrawCards } from '../../src/social/predraw';
import { cardImage } from '../../src/social/render';
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

describe('the image', () => {
  const cache = mkdtempSync(join(tmpdir(), 'cards-'));
  afterAll(() => rmSync(cache, { recursive: true, force: true }));

  it('is a 1200×630 PNG, drawn once per content and kept', async () => {
    const card = articleCard(facts());
    const png = await cardImage(card, cache);
    expect(pngSize(png)).toEqual({ width: 1200, height: 630, signature: 'PNG' });
    const [file] = readdirSync(cache);
    expect(file).toBe(`${cardKey(card)}.png`);
    const drawnAt = statSync(join(cache, file!)).mtimeMs;

    // Kept: the same content is read back, not drawn again.
    expect((await cardImage(card, cache)).equals(png)).toBe(true);
    expect(statSync(join(cache, file!)).mtimeMs).toBe(drawnAt);

    // A changed title is a new card.
    const changed = await cardImage(articleCard(facts({ title: 'A corrected title' })), cache);
    expect(changed.equals(png)).toBe(false);
    expect(readdirSync(cache)).toHaveLength(2);
  }, 60_000);
});

describe('drawing many cards at once (a cold build)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatepost-predraw-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('draws every missing card on worker threads, each the same PNG as drawn on the main thread', async () => {
    const cards = Array.from({ length: 20 }, (_, i) => articleCard(facts({ title: `Card number ${i + 1}` })));
    expect(await predrawCards(cards, { cacheDir: dir, threads: 2 })).toBe(20);
    expect(readdirSync(dir).filter((name) => name.endsWith('.png'))).toHaveLength(20);
    for (const card of [cards[0]!, cards[19]!]) {
      const drawn = readFileSync(join(dir, `${cardKey(card)}.png`));
      expect(pngSize(drawn)).toEqual({ width: 1200, height: 630, signature: 'PNG' });
      expect(drawn.equals(await drawCard(card))).toBe(true);
    }
    // Already drawn: nothing to do.
    expect(await predrawCards(cards, { cacheDir: dir, threads: 2 })).toBe(0);
  }, 60_000);
});
