/** A tag page's social card, drawn on first request and kept (src/social/). */
import type { APIRoute } from 'astro';
import { publishedTagCount } from '../../../articles/collection';
import { isCardName } from '../../../site/paths';
import { tagCard } from '../../../social/card';
import { cardImagesOf } from '../../../social/locals';
import { cardResponse, notFound } from '../../../social/response';

export const prerender = false;

export const GET: APIRoute = async ({ params, request, locals }) => {
  const count = isCardName(params.tag) ? await publishedTagCount(params.tag) : 0;
  if (count === 0) return notFound();
  return cardResponse(request, tagCard(params.tag!, count), cardImagesOf(locals));
};
