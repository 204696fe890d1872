/**
 * GET /editor/articles/<slug>/preview?newsletter=<slug>&tier=<tier>: the email exactly as a member of
 * that tier receives it (HTML, or the plain-text part with `part=text`), with the editor's own links.
 * Editors only (404 otherwise); `private, no-store`.
 */
import type { APIRoute } from 'astro';
import { editorFrom } from '../../../../editor/guard';
import { findPublishedArticle } from '../../../../articles/collection';
import { chooseNewsletter, chooseTier, personalEmail } from '../../../../newsletters/desk';

export const prerender = false;

const respond = (status: number, body: string, type = 'text/plain') =>
  new Response(body, {
    status,
    headers: { 'Content-Type': `${type}; charset=utf-8` },
  });

export const GET: APIRoute = async ({ locals, params, url }) => {
  const editor = editorFrom(locals);
  if (!editor || editor.kind !== 'member') return respond(404, 'Not found');
  const newsletter = chooseNewsletter(url.searchParams.get('newsletter'));
  const tier = chooseTier(url.searchParams.get('tier'));
  if (!newsletter || !tier) return respond(400, 'Choose a newsletter and a tier (?newsletter=…&tier=…).');
  const article = await findPublishedArticle(params.slug ?? '');
  if (!article) return respond(404, 'No published article with this slug in the build this server holds.');
  const email = await personalEmail(article, newsletter, tier, editor.userId);
  return url.searchParams.get('part') === 'text' ? respond(200, email.text) : respond(200, email.html, 'text/html');
};
