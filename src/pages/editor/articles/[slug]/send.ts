/**
 * POST /editor/articles/<slug>/send (form `newsletter=<slug>`, optional while the site has one): queues
 * the published article to that newsletter's subscribers and goes back to the desk, which shows the
 * send's state. Editors only (404 for everyone else, like the desk); same-origin (POST_ROUTES in
 * src/server/methods.ts). 400 bad form, 409 when email is not configured, 503 while the store is down.
 * A second send of the same article to the same newsletter is refused by the ledger: back to the desk.
 */
import type { APIRoute } from 'astro';
import { editorFrom } from '../../../../editor/guard';
import { isStoreUnavailable } from '../../../../members/store';
import { findPublishedArticle } from '../../../../newsletters/article-email';
import { chooseNewsletter, queueArticle } from '../../../../newsletters/desk';
import { readForm } from '../../../../newsletters/form';
import { sendingOff } from '../../../../newsletters/server';
import { PATHS } from '../../../../site/paths';

export const prerender = false;

const text = (status: number, body: string) =>
  new Response(body, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-store' },
  });

export const POST: APIRoute = async ({ request, locals, params }) => {
  const editor = editorFrom(locals);
  if (!editor || editor.kind !== 'member') return text(404, 'Not found');
  const form = await readForm(request);
  if (!form) return text(415, 'Send the form as application/x-www-form-urlencoded.');
  const newsletter = chooseNewsletter(form.get('newsletter'));
  if (!newsletter) return text(400, 'Choose a newsletter (newsletter=<slug>).');
  const article = await findPublishedArticle(params.slug ?? '');
  if (!article) return text(404, 'No published article with this slug in the build this server holds.');
  if (sendingOff) return text(409, sendingOff);
  if (!locals.members) return text(503, 'The members’ database is not answering; try again in a minute.');
  try {
    const result = await queueArticle(locals.members, article, newsletter, {
      trigger: 'editor',
      userId: editor.userId,
    });
    const to = `${PATHS.editor}?email=${encodeURIComponent(article.id)}&queued=${result.status}#email-${article.id}`;
    return new Response(null, { status: 303, headers: { Location: to, 'Cache-Control': 'private, no-store' } });
  } catch (error) {
    if (isStoreUnavailable(error)) return text(503, 'The members’ database is not answering; try again in a minute.');
    throw error;
  }
};
