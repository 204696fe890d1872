/**
 * POST /editor/articles/<slug>/retry (form `newsletter=<slug>`): the editor's explicit decision to send
 * the `uncertain` and `failed` batches of that send again (only to recipients without a recorded
 * delivery). Editors only, same-origin; back to the desk.
 */
import type { APIRoute } from 'astro';
import { editorFrom } from '../../../../editor/guard';
import { findSend, retryBatches } from '../../../../members/queries/newsletters';
import { isStoreUnavailable } from '../../../../members/store';
import { chooseNewsletter } from '../../../../newsletters/desk';
import { readForm } from '../../../../newsletters/form';
import { PATHS } from '../../../../site/paths';

export const prerender = false;

const text = (status: number, body: string) =>
  new Response(body, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-store' },
  });

export const POST: APIRoute = async ({ request, locals, params }) => {
  if (!editorFrom(locals)) return text(404, 'Not found');
  const form = await readForm(request);
  if (!form) return text(415, 'Send the form as application/x-www-form-urlencoded.');
  const newsletter = chooseNewsletter(form.get('newsletter'));
  if (!newsletter) return text(400, 'Choose a newsletter (newsletter=<slug>).');
  if (!locals.members) return text(503, 'The members’ database is not answering; try again in a minute.');
  try {
    const sendId = await findSend(locals.members, params.slug ?? '', newsletter.slug);
    if (!sendId) return text(404, 'This article was not sent to that newsletter.');
    await retryBatches(locals.members, sendId, Date.now());
  } catch (error) {
    if (isStoreUnavailable(error)) return text(503, 'The members’ database is not answering; try again in a minute.');
    throw error;
  }
  const to = `${PATHS.editor}?email=${encodeURIComponent(params.slug ?? '')}#email-${params.slug ?? ''}`;
  return new Response(null, { status: 303, headers: { Location: to, 'Cache-Control': 'private, no-store' } });
};
