/**
 * Keys for Astro's incremental build (`experimental.incrementalBuild` in astro.config.mjs): a
 * prerendered path whose `getStaticPaths()` entry carries a `cacheKey` is copied from the previous
 * build when the key and the page's code (its module graph) are both unchanged.
 *
 * Astro leaves the content data out of that module graph on purpose (every page imports it), so the key
 * must cover everything a page shows that is not code:
 * - each article it shows, by what the page renders from it: its id, frontmatter data, rendered HTML and
 *   render metadata (not Astro's `digest`, which hashes only the source file: a change to how Markdown
 *   is rendered, or to what the loaders store, changes the HTML with the same digest);
 * - its place in a list (page number, totals, neighbours' links), which changes when others are added,
 *   and what it shows of other articles (an article's "Read next" list);
 * - values the page takes from the clock at build time (the footer's year, `currentYear`).
 * Pages without a key (home, RSS, sitemap, tag index, about, 404…) are rendered on every build.
 */
import { createHash } from 'node:crypto';
import type { GetStaticPathsItem, Page } from 'astro';
import type { Article } from '../articles/collection';
import { currentYear } from '../site/dates';

/** Bump to re-render every keyed page once, when a key's rules change. */
const KEY_VERSION = 1;

const fingerprints = new WeakMap<Article, string>();

/** A hash of everything a page can render from one article. */
export function articleFingerprint(article: Article): string {
  let fingerprint = fingerprints.get(article);
  if (!fingerprint) {
    fingerprint = createHash('sha256')
      .update(JSON.stringify([article.collection, article.id, article.data]))
      .update('\0')
      .update(article.rendered?.html ?? '')
      .update('\0')
      .update(JSON.stringify(article.rendered?.metadata ?? null))
      .digest('base64url');
    fingerprints.set(article, fingerprint);
  }
  return fingerprint;
}

/** The cacheKey of a path that renders `inputs` (JSON values and articles). */
export function pageKey(...inputs: unknown[]): string {
  const json = JSON.stringify([KEY_VERSION, currentYear(), inputs], (_key, value: unknown) =>
    isArticle(value) ? articleFingerprint(value) : value,
  );
  return createHash('sha256').update(json).digest('base64url');
}

function isArticle(value: unknown): value is Article {
  return typeof value === 'object' && value !== null && 'collection' in value && 'id' in value && 'data' in value;
}

type PaginatedPath = GetStaticPathsItem & { props: { page: Page<Article> } };

/** `paginate()`'s paths, each keyed by its parameters and everything its page object holds. */
export function keyedPages<T extends PaginatedPath>(paths: T[]): (T & { cacheKey: string })[] {
  return paths.map((path) => ({ ...path, cacheKey: pageKey(path.params, path.props.page) }));
}
