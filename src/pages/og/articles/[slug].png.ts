/** Each published article's social card, prerendered (src/social/). */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getPublishedArticles, type Article } from '../../../articles/collection';
import { pageKey } from '../../../build/page-keys';
import { articleCard } from '../../../social/card';
import { cardImage } from '../../../social/render';
import { predrawCards } from '../../../social/predraw';

export const prerender = true;

export const getStaticPaths = (async () => {
  const articles = await getPublishedArticles();
  // Cards not drawn yet are drawn now, on every core, before GET below reads them from the cache.
  await predrawCards(articles.map((article) => articleCard(article.data)));
  return articles.map((article) => ({
    params: { slug: article.id },
    props: { article },
    // Incremental builds redraw a card only when what it draws changed (src/build/page-keys.ts).
    cacheKey: pageKey(articleCard(article.data)),
  }));
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ article: Article }> = async ({ props }) =>
  new Response(new Uint8Array(await cardImage(articleCard(props.article.data))), {
    headers: { 'Content-Type': 'image/png' },
  });
