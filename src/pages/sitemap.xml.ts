import type { APIRoute } from 'astro';
import { getPublishedArticles, getTagGroups } from '../articles/collection';
import { articlePath, articlesPagePath, PATHS, tagPath } from '../site/paths';
import { SITE } from '../site/settings';
import { renderSitemap, type SitemapEntry } from '../site/sitemap';

// Built from the same published-article list as the pages, so gated articles appear with their
// /members/ URL only (a URL, nothing of the body) and drafts never appear.
export const GET: APIRoute = async ({ site }) => {
  const articles = await getPublishedArticles();
  const tags = await getTagGroups();
  const pagesOf = (count: number) => Math.max(1, Math.ceil(count / SITE.pageSize));
  const pageCount = pagesOf(articles.length);
  const entries: SitemapEntry[] = [
    { path: PATHS.home, lastmod: articles[0]?.data.pubDate },
    ...Array.from({ length: pageCount }, (_, i) => ({ path: articlesPagePath(i + 1) })),
    ...articles.map((article) => ({
      path: articlePath(article),
      lastmod: article.data.updatedDate ?? article.data.pubDate,
    })),
    { path: PATHS.tags },
    ...tags.flatMap(({ tag, entries }) =>
      Array.from({ length: pagesOf(entries.length) }, (_, i) => ({ path: tagPath(tag, i + 1) })),
    ),
    { path: PATHS.about },
  ];
  return new Response(renderSitemap(entries, site ?? new URL('http://localhost:4321')), {
    headers: { 'Content-Type': 'application/xml; charset=utf-8' },
  });
};
