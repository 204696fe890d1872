/**
 * A published article as the email each tier receives, from the one access decision: for every tier a
 * member can hold, `decideAccess` with a viewer of that tier decides between the full text and the
 * public preview with the paywall's sentence. Used when a send is queued (the bodies are stored in the
 * ledger, rendered once per tier) and by the desk's preview, so the preview is exactly what is sent.
 */
import type { Article } from '../articles/collection';
import { membersOnlyHtml } from '../articles/member-content';
import { decideAccess } from '../gate/decision';
import { GATED_LEVELS, isGated, type GatedAccessLevel } from '../gate/membership';
import { storedMemberViewer, type Viewer } from '../gate/viewer';
import type { Newsletter } from '../site/newsletters';
import { articlePath } from '../site/paths';
import { SITE } from '../site/settings';
import { upgradeHref } from '../site/upgrade';
import { composeEmail, type RenderedEmail } from './email';

/** The tiers a member can hold: every email is rendered for each. */
export const RECIPIENT_TIERS: readonly GatedAccessLevel[] = GATED_LEVELS;

/** A signed-in reader holding `tier`, as the access decision sees a recipient (tier from the store). */
export function recipientViewer(tier: GatedAccessLevel): Viewer {
  return storedMemberViewer('newsletter-recipient', tier);
}

/** The email one tier receives for `article`. */
export async function renderEmailForTier(
  article: Article,
  newsletter: Newsletter,
  tier: GatedAccessLevel,
  origin: string,
): Promise<RenderedEmail> {
  const url = new URL(articlePath(article), origin).href;
  const decision = decideAccess(recipientViewer(tier), article.data);
  const preview = article.rendered?.html ?? '';
  const body = decision.allowed
    ? { decision, html: isGated(article.data.access) ? await membersOnlyHtml(article, decision) : preview }
    : { decision, previewHtml: preview, upgradeUrl: new URL(upgradeHref(articlePath(article)), origin).href };
  return composeEmail({
    article: { title: article.data.title, description: article.data.description, url },
    newsletter,
    body,
    origin,
    siteName: SITE.name,
  });
}

/** The email for every tier, rendered once each. */
export async function renderEmails(
  article: Article,
  newsletter: Newsletter,
  origin: string,
): Promise<Record<GatedAccessLevel, RenderedEmail>> {
  const entries = await Promise.all(
    RECIPIENT_TIERS.map(async (tier) => [tier, await renderEmailForTier(article, newsletter, tier, origin)] as const),
  );
  return Object.fromEntries(entries) as Record<GatedAccessLevel, RenderedEmail>;
}
