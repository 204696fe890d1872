/** A published article's social card, drawn on first request and kept (src/social/). */
import type { APIRoute } from 'astro';
import { findPublishedArticle } from '../../../articles/collection';
import { isCardName } from '../../../site/paths';
import { articleCard } from '../../../social/card';
import { cardImagesOf } from '../../../social/locals';
import { cardResponse, notFound } from '../../../social/response';

export const prerender = false;

export const GET: APIRoute = async ({ params, request, locals }) => {
  const article = isCardName(params.slug) ? await findPublishedArticle(params.slug) : undefined;
  if (!article) return notFound();
  return cardResponse(request, articleCard(article.data), cardImagesOf(locals));
};
