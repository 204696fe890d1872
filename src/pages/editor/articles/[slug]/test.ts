/**
 * POST /editor/articles/<slug>/test (form `newsletter`, `tier`): sends the editor the email that tier
 * receives, to the editor's own address in the members' store. Not part of the ledger. Editors only,
 * same-origin; back to the article's email page.
 */
import type { APIRoute } from 'astro';
import { editorFrom } from '../../../../editor/guard';
import { findMemberEmail } from '../../../../members/queries/newsletters';
import { isStoreUnavailable } from '../../../../members/store';
import { findPublishedArticle } from '../../../../newsletters/article-email';
import { chooseNewsletter, chooseTier, sendTest } from '../../../../newsletters/desk';
import { readForm } from '../../../../newsletters/form';
import { sendingOff } from '../../../../newsletters/server';
import { editorEmailPath } from '../../../../site/paths';

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
  const tier = chooseTier(form.get('tier'));
  if (!newsletter || !tier) return text(400, 'Choose a newsletter and a tier.');
  const article = await findPublishedArticle(params.slug ?? '');
  if (!article) return text(404, 'No published article with this slug in the build this server holds.');
  if (sendingOff) return text(409, sendingOff);
  if (!locals.members) return text(503, 'The members’ database is not answering; try again in a minute.');
  let email: string | null;
  try {
    email = await findMemberEmail(locals.members, editor.userId);
  } catch (error) {
    if (isStoreUnavailable(error)) return text(503, 'The members’ database is not answering; try again in a minute.');
    throw error;
  }
  if (!email)
    return text(
      409,
      'Your address is not in the members’ store yet (it arrives with Clerk’s webhook or the members sync).',
    );
  let result = 'sent';
  try {
    await sendTest(article, newsletter, tier, { userId: editor.userId, email });
  } catch (error) {
    result = 'failed';
    console.error(`[gatepost] newsletters: test email failed: ${(error as Error).message}`);
  }
  const to = `${editorEmailPath(article.id)}?newsletter=${encodeURIComponent(newsletter.slug)}&test=${result}`;
  return new Response(null, { status: 303, headers: { Location: to, 'Cache-Control': 'private, no-store' } });
};
