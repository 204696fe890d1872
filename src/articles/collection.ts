/**
 * Data access for pages: the only module that reads the articles collection for listings and feeds.
 * It applies the publish filter and sorting once, so pages stay thin and can't forget either.
 */
import { getCollection, type CollectionEntry } from 'astro:content';
import { isGated } from '../gate/membership';
import { isPublished } from './publish';
import { sortNewestFirst } from '../site/sorting';
import { readingMinutes } from './reading-time';
import { groupByTag, relatedByTag } from '../site/tags';

export type Article = CollectionEntry<'articles'>;

/** Published articles, newest first. */
export async function getPublishedArticles(now: Date = new Date()): Promise<Article[]> {
  const entries = await getCollection('articles', ({ data }) => isPublished(data, now));
  return sortNewestFirst(entries);
}

/** Published public articles: the only ones whose body may be prerendered. Of `published` when given. */
export async function getPublicArticles(published?: readonly Article[]): Promise<Article[]> {
  return (published ?? (await getPublishedArticles())).filter((entry) => !isGated(entry.data.access));
}

export async function getTagGroups() {
  return groupByTag(await getPublishedArticles());
}

/**
 * Every article (preview entries, drafts and scheduled ones included) by slug, read once per process:
 * the collection is fixed by the build (re-read under `astro dev`, where it changes with the files).
 */
let articlesById: Promise<Map<string, Article>> | undefined;
const allArticles = () => {
  if (import.meta.env.DEV || !articlesById)
    articlesById = getCollection('articles').then((all) => new Map(all.map((article) => [article.id, article])));
  return articlesById;
};

/**
 * The published article with this slug (its preview entry), or undefined: unknown, draft or not yet due.
 * For social cards and the desk's newsletter routes. A lookup in memory: requests for cards of any slug
 * must cost neither a read of the whole collection nor a log line each (Astro's `getEntry` warns about
 * every unknown id).
 */
export async function findPublishedArticle(
  slug: string | undefined,
  now: Date = new Date(),
): Promise<Article | undefined> {
  if (!slug) return undefined;
  const article = (await allArticles()).get(slug);
  return article && isPublished(article.data, now) ? article : undefined;
}

let tagCounts: Promise<Map<string, number>> | undefined;

/**
 * How many published articles carry `tag` (as its tag page lists them), or 0 for a tag no published
 * article has. Counted once per process (re-read under `astro dev`): the collection holds only what
 * the build published.
 */
export async function publishedTagCount(tag: string): Promise<number> {
  if (import.meta.env.DEV || !tagCounts) {
    tagCounts = getTagGroups().then(
      (groups) => new Map(groups.map(({ tag: name, entries }) => [name, entries.length])),
    );
  }
  return (await tagCounts).get(tag) ?? 0;
}

/** Featured article for the home page: the newest marked `featured`, else the newest overall. */
export function pickFeatured(entries: readonly Article[]): Article | undefined {
  return entries.find((entry) => entry.data.featured) ?? entries[0];
}

/** Reading time of the whole article (the loader stores the whole article's word count with every entry). */
export function articleMinutes(article: Article): number {
  const words = article.rendered?.metadata?.words;
  return readingMinutes(typeof words === 'number' ? words : 0);
}

const related = new Map<string, Article[]>();

/**
 * Published articles to read after this one (src/site/tags.ts `relatedByTag`). Kept per article for the
 * life of the process: the collection is fixed by the build, and gated pages ask on every request.
 * A caller asking for many articles passes `published` (getPublishedArticles()), read once: reading the
 * collection again for each article made a 10,000-article build's getStaticPaths quadratic.
 */
export async function getRelatedArticles(
  article: Pick<Article, 'id' | 'data'>,
  limit = 3,
  published?: readonly Article[],
): Promise<Article[]> {
  const known = related.get(article.id);
  if (known) return known;
  const found = relatedByTag(article, published ?? (await getPublishedArticles()), limit);
  related.set(article.id, found);
  return found;
}
