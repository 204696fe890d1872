/**
 * POST /editor/articles/<slug>/test (form `newsletter`, `tier`): sends the editor the email that tier
 * receives, to the editor's own address in the members' store. Not part of the ledger. Editors only,
 * same-origin; back to the article's email page.
 */
import type { APIRoute } from 'astro';
import { findMemberEmail } from '../../../../members/queries/newsletters';
import { isStoreUnavailable } from '../../../../members/store';
import { findPublishedArticle } from '../../../../articles/collection';
import { chooseNewsletter, chooseTier, sendTest } from '../../../../newsletters/desk';
import { editorForm, plainText, seeOther, STORE_DOWN } from '../../../../newsletters/form';
import { sendingOff } from '../../../../newsletters/server';
import { editorEmailPath } from '../../../../site/paths';

export const prerender = false;

export const POST: APIRoute = async ({ request, locals, params }) => {
  const checked = await editorForm(request, locals);
  if (checked instanceof Response) return checked;
  const newsletter = chooseNewsletter(checked.form.get('newsletter'));
  const tier = chooseTier(checked.form.get('tier'));
  if (!newsletter || !tier) return plainText(400, 'Choose a newsletter and a tier.');
  const article = await findPublishedArticle(params.slug ?? '');
  if (!article) return plainText(404, 'No published article with this slug in the build this server holds.');
  if (sendingOff) return plainText(409, sendingOff);
  if (!locals.members) return plainText(503, STORE_DOWN);
  let email: string | null;
  try {
    email = await findMemberEmail(locals.members, checked.editor.userId);
  } catch (error) {
    if (isStoreUnavailable(error)) return plainText(503, STORE_DOWN);
    throw error;
  }
  if (!email)
    return plainText(
      409,
      'Your address is not in the members’ store yet (it arrives with Clerk’s webhook or the members sync).',
    );
  let result = 'sent';
  try {
    await sendTest(article, newsletter, tier, { userId: checked.editor.userId, email });
  } catch (error) {
    result = 'failed';
    console.error(`[gatepost] newsletters: test email failed: ${(error as Error).message}`);
  }
  return seeOther(`${editorEmailPath(article.id)}?newsletter=${encodeURIComponent(newsletter.slug)}&test=${result}`);
};
