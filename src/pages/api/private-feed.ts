/**
 * POST /api/private-feed: the signed-in member's private feed URL, `{"url": "…"}` (created on first
 * use). `{"rotate": true}` resets it first: a new URL, the old one dead at once. The account page's
 * Reset button posts the same as a form (`rotate=1`) and comes back to the page. Same-origin only
 * (POST_ROUTES in src/server/methods.ts); 401 signed out, 400 for a bad body, 503 while feeds are off or
 * the members' store cannot answer (one sentence saying which).
 */
import type { APIRoute } from 'astro';
import { feedVersion, rotateFeed } from '../../members/queries/private-feeds';
import { isStoreUnavailable } from '../../members/store';
import { readForm, seeOther } from '../../newsletters/form';
import { feedsOff, privateFeedUrl } from '../../feeds/server';
import { PRIVATE_FEED_PATHS } from '../../site/paths';

export const prerender = false;

const json = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

/** What the request asks: `{ rotate }`, the form it came as, or null for a body that is neither. */
async function readRequest(request: Request): Promise<{ rotate: boolean; form: boolean } | null> {
  const type = request.headers.get('content-type') ?? '';
  if (/^application\/x-www-form-urlencoded(\s*;|$)/i.test(type)) {
    const form = await readForm(request);
    return form ? { rotate: form.get('rotate') === '1', form: true } : null;
  }
  const text = await request.text().catch(() => null);
  if (text === null) return null;
  if (text.trim() === '') return { rotate: false, form: false };
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
    const rotate = (body as { rotate?: unknown }).rotate;
    if (rotate !== undefined && typeof rotate !== 'boolean') return null;
    return { rotate: rotate === true, form: false };
  } catch {
    return null;
  }
}

export const POST: APIRoute = async ({ request, locals }) => {
  const viewer = locals.viewer;
  if (viewer.kind !== 'member') return json(401, { error: 'Sign in to get your private feed.' });
  const ask = await readRequest(request);
  if (!ask) return json(400, { error: 'Send {"rotate": true} to reset the feed URL, or an empty body to read it.' });
  const off = feedsOff();
  if (off) return json(503, { error: 'Private feeds are not available on this server.' });
  const store = locals.members;
  const down = () =>
    json(
      503,
      { error: 'Your private feed cannot be shown right now; try again in a minute.' },
      { 'Retry-After': '30' },
    );
  if (!store) return down();
  try {
    const now = Date.now();
    const version = ask.rotate
      ? await rotateFeed(store, viewer.userId, 'member', now)
      : await feedVersion(store, viewer.userId, now);
    if (version === null)
      return json(409, { error: 'Your membership is not in our records yet; try again in a minute.' });
    if (ask.form) return seeOther(`${PRIVATE_FEED_PATHS.manage.replace('#', '?feed=reset#')}`);
    return json(200, { url: privateFeedUrl(viewer.userId, version) });
  } catch (error) {
    if (isStoreUnavailable(error)) return down();
    throw error;
  }
};
