/**
 * What one member's private feed says about each article, decided now by the one access decision
 * (`decideAccess`) with the tier the members' store holds: the full text where it allows, otherwise the
 * public preview and an absolute link to upgrade. Same articles, order, links and dates as the public feed.
 */
import type { Article } from '../articles/collection';
import { getPublishedArticles } from '../articles/collection';
import { membersOnlyHtml } from '../articles/member-content';
import { decideAccess } from '../gate/decision';
import { isGated, type AccessLevel } from '../gate/membership';
import { storedMemberViewer } from '../gate/viewer';
import { feedArticles, toFeedItem, type FeedItem } from '../site/feed';
import { articlePath } from '../site/paths';
import { upgradeHref } from '../site/upgrade';

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Root-relative `href`/`src` made absolute: a feed reader shows the text away from the site. */
export function absoluteLinks(html: string, origin: string): string {
  return html.replace(/\b(href|src)="\/(?!\/)/g, (_match, attribute: string) => `${attribute}="${origin}/`);
}

async function itemFor(article: Article, memberId: string, tier: AccessLevel, origin: string): Promise<FeedItem> {
  const item = toFeedItem(article);
  const decision = decideAccess(storedMemberViewer(memberId, tier), { access: article.data.access, slug: article.id });
  const preview = article.rendered?.html ?? '';
  let html: string;
  if (decision.allowed) html = isGated(article.data.access) ? await membersOnlyHtml(article, decision) : preview;
  else {
    const upgrade = new URL(upgradeHref(articlePath(article)), origin).href;
    html = `${preview}\n<p><strong>${escapeHtml(decision.message)}</strong> <a href="${escapeHtml(upgrade)}">See the plans</a></p>`;
  }
  return { ...item, content: absoluteLinks(html, origin) };
}

/** The feed's articles (`feedArticles`: the newest), as the member holding `tier` may read them now. */
export async function privateFeedItems(memberId: string, tier: AccessLevel, origin: string): Promise<FeedItem[]> {
  return Promise.all(
    feedArticles(await getPublishedArticles()).map((article) => itemFor(article, memberId, tier, origin)),
  );
}
