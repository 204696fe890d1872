/**
 * Social cards' build cost (`BENCH_ONLY=cards npm run bench`): for each size in BENCH_ARTICLES, draw that
 * many distinct article cards into an empty cache one at a time (src/social/render.ts, what a cold build
 * paid before the drawing threads), then ask for all of them again (what a rebuild of unchanged articles
 * pays: a cache read each), then draw them all again into another empty cache on the build's thread pool
 * (src/social/predraw.ts, what a cold build pays now).
 */
import { availableParallelism } from 'node:os';
import { register } from 'tsx/esm/api';
import { options, scratchDir } from './common.ts';

// src/ imports its modules without extensions (as Vite resolves them); tsx's loader resolves them here.
register();
const { articleCard } = (await import('../../../src/social/card.ts')) as typeof import('../../../src/social/card');
const { cardImage } = (await import('../../../src/social/render.ts')) as typeof import('../../../src/social/render');
const { predrawCards } =
  (await import('../../../src/social/predraw.ts')) as typeof import('../../../src/social/predraw');

export interface CardsResult {
  articles: number;
  drawSeconds: number;
  drawMsPerCard: number;
  cachedMsPerCard: number;
  /** All drawn on the thread pool (one thread per core). */
  threadedSeconds: number;
  threads: number;
}

const TAGS = ['web-performance', 'astro', 'accessibility', 'css', 'privacy', 'publishing'];
const ACCESS = ['public', 'members', 'premium'] as const;

export async function runCardsBench(log: (line: string) => void): Promise<CardsResult[]> {
  const results: CardsResult[] = [];
  for (const n of options.articles) {
    const cache = scratchDir(`cards-${n}`);
    const cards = Array.from({ length: n }, (_, i) =>
      articleCard({
        title: `Generated article ${i}: measuring what a ${['small', 'busy', 'new'][i % 3]} publication ships to its readers`,
        author: ['Maren Okafor', 'Tobias Lindqvist', 'Ana Ruiz'][i % 3]!,
        pubDate: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000),
        tags: [TAGS[i % TAGS.length]!, TAGS[(i + 2) % TAGS.length]!],
        access: ACCESS[i % 3]!,
      }),
    );
    log(`cards: drawing ${n}`);
    let started = performance.now();
    for (const card of cards) await cardImage(card, cache);
    const drawSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    for (const card of cards) await cardImage(card, cache);
    const cachedMs = performance.now() - started;
    const threads = availableParallelism();
    log(`cards: drawing ${n} on ${threads} threads`);
    started = performance.now();
    await predrawCards(cards, { cacheDir: scratchDir(`cards-threads-${n}`), threads });
    const threadedSeconds = (performance.now() - started) / 1000;
    results.push({
      threadedSeconds,
      threads,
      articles: n,
      drawSeconds,
      drawMsPerCard: (drawSeconds * 1000) / n,
      cachedMsPerCard: cachedMs / n,
    });
  }
  return results;
}
