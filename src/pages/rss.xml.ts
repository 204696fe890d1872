import rss from '@astrojs/rss';
import type { APIRoute } from 'astro';
import { getPublishedArticles } from '../articles/collection';
import { toFeedItem } from '../site/feed';
import { SITE } from '../site/settings';

export const GET: APIRoute = async ({ site }) =>
  rss({
    title: SITE.name,
    description: SITE.description,
    site: site ?? 'http://localhost:4321',
    items: (await getPublishedArticles()).map(toFeedItem),
    customData: `<language>${SITE.locale}</language>`,
  });
