import type { APIRoute } from 'astro';
import { getPublishedArticles } from '../articles/collection';
import { feedArticles, renderRss, toFeedItem } from '../site/feed';

export const GET: APIRoute = async ({ site }) =>
  new Response(
    await renderRss(
      { site: (site ?? new URL('http://localhost:4321')).href },
      feedArticles(await getPublishedArticles()).map(toFeedItem),
    ),
    { headers: { 'Content-Type': 'application/xml' } },
  );
