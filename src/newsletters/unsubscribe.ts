/**
 * What an unsubscribe link does (src/pages/unsubscribe/[token].astro): GET shows where the member
 * stands and changes nothing (mail scanners follow links); POST unsubscribes (RFC 8058's one-click body
 * `List-Unsubscribe=One-Click`, or the page's own button) or, with `action=resubscribe`, subscribes again.
 * The token alone authenticates: no cookie, no session. A token that fails its MAC changes nothing.
 */
import { setSubscription, subscriptionsOf } from '../members/queries/newsletters';
import type { MembersStore } from '../members/store';
import { findNewsletter, type Newsletter } from '../site/newsletters';
import { verifyUnsubscribeToken, type UnsubscribeKey } from './token';

export type UnsubscribeOutcome =
  | { kind: 'invalid' }
  | { kind: 'unknown-newsletter' }
  | { kind: 'ok'; newsletter: Newsletter; subscribed: boolean; changed: boolean };

export async function handleUnsubscribe(input: {
  store: MembersStore;
  key: UnsubscribeKey;
  token: string | undefined;
  method: 'GET' | 'POST';
  /** The POST body's `action` field: `resubscribe`, or anything else (one-click) to unsubscribe. */
  action?: string | null;
  now: number;
}): Promise<UnsubscribeOutcome> {
  const target = verifyUnsubscribeToken(input.key, input.token);
  if (!target) return { kind: 'invalid' };
  const newsletter = findNewsletter(target.newsletter);
  if (!newsletter) return { kind: 'unknown-newsletter' };
  const current = (await subscriptionsOf(input.store, target.memberId)).get(newsletter.slug) ?? false;
  if (input.method === 'GET') return { kind: 'ok', newsletter, subscribed: current, changed: false };
  const subscribed = input.action === 'resubscribe';
  if (subscribed !== current)
    await setSubscription(input.store, {
      memberId: target.memberId,
      newsletter: newsletter.slug,
      subscribed,
      source: 'unsubscribe-link',
      now: input.now,
    });
  return { kind: 'ok', newsletter, subscribed, changed: subscribed !== current };
}
