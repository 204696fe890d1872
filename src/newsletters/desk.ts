/**
 * The desk's newsletter actions (src/pages/editor/articles/[slug]/*): queue an article's send with its
 * bodies rendered per tier, an editor's test email, and the preview. Astro-side: it reads articles.
 */
import { createHash } from 'node:crypto';
import type { Article } from '../articles/collection';
import { queueSend, type QueueResult } from '../members/queries/newsletters';
import type { MembersStore } from '../members/store';
import { GATED_LEVELS, type GatedAccessLevel } from '../gate/membership';
import { findNewsletter, NEWSLETTERS, type Newsletter } from '../site/newsletters';
import { NEWSLETTER_PATHS, unsubscribePath } from '../site/paths';
import { renderEmailForTier, renderEmails } from './article-email';
import { personalise } from './email';
import { siteOrigin, testMailer, unsubscribeKey } from './server';
import { createUnsubscribeToken } from './token';

/** The newsletter a form names, or the only one when the site has one and the form names none. */
export function chooseNewsletter(value: string | null): Newsletter | undefined {
  if (value === null || value === '') return NEWSLETTERS.length === 1 ? NEWSLETTERS[0] : undefined;
  return findNewsletter(value);
}

/** A tier from a form, or undefined. */
export function chooseTier(value: string | null): GatedAccessLevel | undefined {
  return GATED_LEVELS.find((level) => level === value);
}

/** Queues `article` to `newsletter`: bodies rendered once per tier, audience frozen (src/members/queries/newsletters.ts). */
export async function queueArticle(
  store: MembersStore,
  article: Article,
  newsletter: Newsletter,
  by: { trigger: 'editor' | 'auto'; userId: string | null },
): Promise<QueueResult> {
  const bodies = await renderEmails(article, newsletter, siteOrigin);
  return queueSend(store, {
    article: article.id,
    newsletter: newsletter.slug,
    subject: article.data.title,
    trigger: by.trigger,
    requestedBy: by.userId,
    bodies: JSON.stringify(bodies),
    siteOrigin,
    now: Date.now(),
  });
}

/** The email exactly as a reader of `tier` receives it, with `memberId`'s own links. */
export async function personalEmail(
  article: Article,
  newsletter: Newsletter,
  tier: GatedAccessLevel,
  memberId: string,
) {
  const email = await renderEmailForTier(article, newsletter, tier, siteOrigin);
  const unsubscribeUrl = unsubscribeKey.enabled
    ? new URL(unsubscribePath(createUnsubscribeToken(unsubscribeKey.key, memberId, newsletter.slug)), siteOrigin).href
    : new URL(NEWSLETTER_PATHS.manage, siteOrigin).href;
  return {
    subject: email.subject,
    unsubscribeUrl,
    ...personalise(email, { unsubscribeUrl, manageUrl: new URL(NEWSLETTER_PATHS.manage, siteOrigin).href }),
  };
}

/** Sends the editor a test of the email `tier` receives (not recorded in the ledger). */
export async function sendTest(
  article: Article,
  newsletter: Newsletter,
  tier: GatedAccessLevel,
  editor: { userId: string; email: string },
): Promise<string> {
  const mailer = testMailer();
  if (!mailer) throw new Error('email is not configured');
  const email = await personalEmail(article, newsletter, tier, editor.userId);
  const info = await mailer.sendMail({
    from: newsletter.sender,
    to: editor.email,
    subject: `[Test: ${tier}] ${email.subject}`,
    html: email.html,
    text: email.text,
    list: { unsubscribe: { url: email.unsubscribeUrl, comment: 'Unsubscribe' } },
    headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    messageId: `<test-${createHash('sha256').update(`${article.id}${Date.now()}${Math.random()}`).digest('hex').slice(0, 24)}@${newsletter.sender.address.split('@')[1]}>`,
  });
  return String(info.messageId);
}
