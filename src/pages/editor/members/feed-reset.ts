/**
 * POST /editor/members/feed-reset (form `member=<id>`): an editor resets a member's private feed flagged
 * on the members list (src/components/feeds/FlaggedFeeds.astro); the old URL stops working at once and
 * the flag goes. Editors only (404 for everyone else), same-origin (POST_ROUTES), url-encoded form.
 */
import type { APIRoute } from 'astro';
import { rotateFeed } from '../../../members/queries/private-feeds';
import { isStoreUnavailable } from '../../../members/store';
import { editorForm, plainText, seeOther, STORE_DOWN } from '../../../newsletters/form';
import { PATHS } from '../../../site/paths';

export const prerender = false;

export const POST: APIRoute = async ({ request, locals }) => {
  const checked = await editorForm(request, locals);
  if (checked instanceof Response) return checked;
  const member = checked.form.get('member')?.trim();
  if (!member || member.length > 200) return plainText(400, 'Name the member whose feed to reset.');
  if (!locals.members) return plainText(503, STORE_DOWN, { 'Retry-After': '30' });
  try {
    const version = await rotateFeed(locals.members, member, 'editor', Date.now());
    if (version === null) return plainText(404, 'No such member.');
  } catch (error) {
    if (isStoreUnavailable(error)) return plainText(503, STORE_DOWN, { 'Retry-After': '30' });
    throw error;
  }
  return seeOther(`${PATHS.editorMembers}?feed-reset=${encodeURIComponent(member)}#private-feeds`);
};
