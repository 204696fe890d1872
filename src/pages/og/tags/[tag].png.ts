/** Each tag page's social card, prerendered (src/social/). */
import type { APIRoute, GetStaticPaths } from 'astro';
import { getTagGroups } from '../../../articles/collection';
import { pageKey } from '../../../build/page-keys';
import { tagCard } from '../../../social/card';
import { cardImage } from '../../../social/render';
import { predrawCards } from '../../../social/predraw';

export const prerender = true;

export const getStaticPaths = (async () => {
  const groups = await getTagGroups();
  // Cards not drawn yet are drawn now, on every core, before GET below reads them from the cache.
  await predrawCards(groups.map(({ tag, entries }) => tagCard(tag, entries.length)));
  return groups.map(({ tag, entries }) => ({
    params: { tag },
    props: { count: entries.length },
    // Incremental builds redraw a card only when what it draws changed (src/build/page-keys.ts).
    cacheKey: pageKey(tagCard(tag, entries.length)),
  }));
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ count: number }> = async ({ params, props }) =>
  new Response(new Uint8Array(await cardImage(tagCard(params.tag!, props.count))), {
    headers: { 'Content-Type': 'image/png' },
  });
