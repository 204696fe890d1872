/**
 * POST /api/newsletter-subscription (form: `newsletter=<slug>&subscribed=1|0`): a signed-in member
 * subscribes or unsubscribes, then goes back to the account page. Same-origin only (POST_ROUTES in
 * src/server/methods.ts); 401 signed out, 400 for a bad form, 503 while the members' store is down.
 */
import type { APIRoute } from 'astro';
import { setSubscription } from '../../members/queries/newsletters';
import { isStoreUnavailable } from '../../members/store';
import { findNewsletter } from '../../site/newsletters';
import { NEWSLETTER_PATHS } from '../../site/paths';
import { plainText as text, readForm, seeOther } from '../../newsletters/form';

export const prerender = false;

export const POST: APIRoute = async ({ request, locals }) => {
  const viewer = locals.viewer;
  if (viewer.kind !== 'member') return text(401, 'Sign in to manage your newsletters.');
  const form = await readForm(request);
  if (!form) return text(415, 'Send the form as application/x-www-form-urlencoded.');
  const newsletter = findNewsletter(form.get('newsletter'));
  const subscribed = form.get('subscribed');
  if (!newsletter) return text(400, 'Unknown newsletter.');
  if (subscribed !== '1' && subscribed !== '0') return text(400, 'subscribed must be 1 or 0.');
  if (!locals.members) return text(503, 'Newsletter choices cannot be changed right now.', { 'Retry-After': '30' });
  try {
    await setSubscription(locals.members, {
      memberId: viewer.userId,
      newsletter: newsletter.slug,
      subscribed: subscribed === '1',
      source: 'account',
      now: Date.now(),
    });
  } catch (error) {
    if (isStoreUnavailable(error))
      return text(503, 'Newsletter choices cannot be changed right now.', { 'Retry-After': '30' });
    throw error;
  }
  const back = NEWSLETTER_PATHS.manage.replace('#', `?newsletter=${encodeURIComponent(newsletter.slug)}#`);
  return seeOther(back);
};
