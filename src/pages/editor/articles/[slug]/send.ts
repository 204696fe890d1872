/**
 * POST /editor/articles/<slug>/send (form `newsletter=<slug>`, optional while the site has one): queues
 * the published article to that newsletter's subscribers and goes back to the desk, which shows the
 * send's state. Editors only (404 for everyone else, like the desk); same-origin (POST_ROUTES in
 * src/server/methods.ts). 400 bad form, 409 when email is not configured, 503 while the store is down.
 * A second send of the same article to the same newsletter is refused by the ledger: back to the desk.
 */
import type { APIRoute } from 'astro';
import { isStoreUnavailable } from '../../../../members/store';
import { findPublishedArticle } from '../../../../articles/collection';
import { chooseNewsletter, queueArticle } from '../../../../newsletters/desk';
import { editorForm, plainText, seeOther, STORE_DOWN } from '../../../../newsletters/form';
import { sendingOff } from '../../../../newsletters/server';
import { PATHS } from '../../../../site/paths';

export const prerender = false;

export const POST: APIRoute = async ({ request, locals, params }) => {
  const checked = await editorForm(request, locals);
  if (checked instanceof Response) return checked;
  const newsletter = chooseNewsletter(checked.form.get('newsletter'));
  if (!newsletter) return plainText(400, 'Choose a newsletter (newsletter=<slug>).');
  const article = await findPublishedArticle(params.slug ?? '');
  if (!article) return plainText(404, 'No published article with this slug in the build this server holds.');
  if (sendingOff) return plainText(409, sendingOff);
  if (!locals.members) return plainText(503, STORE_DOWN);
  try {
    const result = await queueArticle(locals.members, article, newsletter, {
      trigger: 'editor',
      userId: checked.editor.userId,
    });
    return seeOther(
      `${PATHS.editor}?email=${encodeURIComponent(article.id)}&queued=${result.status}#email-${article.id}`,
    );
  } catch (error) {
    if (isStoreUnavailable(error)) return plainText(503, STORE_DOWN);
    throw error;
  }
};
