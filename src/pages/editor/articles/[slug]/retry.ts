/**
 * POST /editor/articles/<slug>/retry (form `newsletter=<slug>`): the editor's explicit decision to send
 * the `uncertain` and `failed` batches of that send again (only to recipients without a recorded
 * delivery). Editors only, same-origin; back to the desk.
 */
import type { APIRoute } from 'astro';
import { findSend, retryBatches } from '../../../../members/queries/newsletters';
import { isStoreUnavailable } from '../../../../members/store';
import { chooseNewsletter } from '../../../../newsletters/desk';
import { editorForm, plainText, seeOther, STORE_DOWN } from '../../../../newsletters/form';
import { PATHS } from '../../../../site/paths';

export const prerender = false;

export const POST: APIRoute = async ({ request, locals, params }) => {
  const checked = await editorForm(request, locals);
  if (checked instanceof Response) return checked;
  const newsletter = chooseNewsletter(checked.form.get('newsletter'));
  if (!newsletter) return plainText(400, 'Choose a newsletter (newsletter=<slug>).');
  if (!locals.members) return plainText(503, STORE_DOWN);
  const slug = params.slug ?? '';
  try {
    const sendId = await findSend(locals.members, slug, newsletter.slug);
    if (!sendId) return plainText(404, 'This article was not sent to that newsletter.');
    await retryBatches(locals.members, sendId, Date.now());
  } catch (error) {
    if (isStoreUnavailable(error)) return plainText(503, STORE_DOWN);
    throw error;
  }
  return seeOther(`${PATHS.editor}?email=${encodeURIComponent(slug)}#email-${slug}`);
};
