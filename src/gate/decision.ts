/**
 * The one access decision: may this viewer read this article's members-only part?
 *
 * Every output that could carry article text (gated pages, and any future feed, search index, email or
 * API) must ask `decideAccess` and show the body only when it says `allowed`.
 */
import {
  ACCESS_LEVEL_INFO,
  includesLevel,
  isGated,
  SIGNED_IN_LEVEL,
  type AccessLevel,
  type GatedAccessLevel,
} from './membership';
import type { Viewer } from './viewer';

export type Decision =
  | {
      allowed: true;
      required: AccessLevel;
      /** Set when only a gift link grants the reading: the page says so and shows until when. */
      gift?: { expiresAt: Date };
    }
  | {
      allowed: false;
      required: GatedAccessLevel;
      /** `sign-in`: anonymous reader; `upgrade`: signed in, but below the article's level. */
      reason: 'sign-in' | 'upgrade';
      /** What the reader holds now (null when signed out). */
      held: AccessLevel | null;
      /** A sentence for the paywall. */
      message: string;
    };

/**
 * A gift link already verified against its article (src/gifts/token.ts `verifyGiftToken`): it lets anyone
 * read that one article, until its expiry. Unverified, invalid or expired tokens are never passed here.
 */
export interface GiftGrant {
  slug: string;
  expiresAt: Date;
}

export interface AccessOptions {
  gift?: GiftGrant | null;
  /** Now, in milliseconds (tests); defaults to Date.now(). */
  now?: number;
}

export function decideAccess(
  viewer: Viewer,
  article: { access: AccessLevel; slug?: string },
  options: AccessOptions = {},
): Decision {
  const own = decideOwnAccess(viewer, article);
  if (own.allowed) return own;
  const { gift } = options;
  const now = options.now ?? Date.now();
  if (gift && article.slug !== undefined && gift.slug === article.slug && gift.expiresAt.getTime() > now) {
    return { allowed: true, required: own.required, gift: { expiresAt: gift.expiresAt } };
  }
  return own;
}

function decideOwnAccess(viewer: Viewer, article: { access: AccessLevel }): Decision {
  const required = article.access;
  if (!isGated(required)) return { allowed: true, required };
  if (viewer.kind === 'anonymous') {
    return {
      allowed: false,
      required,
      reason: 'sign-in',
      held: null,
      message:
        required === SIGNED_IN_LEVEL
          ? 'This article is for members. Sign in or create a free account to keep reading.'
          : `This article is for ${ACCESS_LEVEL_INFO[required].label} subscribers. Sign in to read it, or create an account and upgrade.`,
    };
  }
  if (includesLevel(viewer.tier, required)) return { allowed: true, required };
  return {
    allowed: false,
    required,
    reason: 'upgrade',
    held: viewer.tier,
    message: `You are signed in as a ${ACCESS_LEVEL_INFO[viewer.tier].label} reader. This article needs ${ACCESS_LEVEL_INFO[required].label}.`,
  };
}

/** Editors may use the editor desk and previews (see EDITORS in membership.ts). */
export function isEditor(viewer: Viewer): boolean {
  return viewer.kind === 'member' && viewer.editor === true;
}
