/**
 * Membership configuration: the single place that defines Gatepost's access levels.
 *
 * The order matters: each level includes every level before it, so a `premium` reader can read
 * `members` articles too. The schema, badges, paywall, pricing, account page, editor previews and the
 * access policy derive from this list.
 *
 * Plain TypeScript with no Astro imports: the access policy and its unit tests depend on it directly.
 */

export const ACCESS_LEVELS = ['public', 'members', 'premium'] as const;

export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** Levels that need a signed-in reader; everything except `public`. */
export type GatedAccessLevel = Exclude<AccessLevel, 'public'>;

/** The gated levels, lowest first (pricing cards, "preview as"). */
export const GATED_LEVELS = ACCESS_LEVELS.filter((level): level is GatedAccessLevel => level !== 'public');

/** What every signed-in reader holds, with no tier granted: the level a free account gives. */
export const SIGNED_IN_LEVEL: GatedAccessLevel = GATED_LEVELS[0]!;

/** The highest level: a reader holding it reads everything. */
export const TOP_LEVEL: GatedAccessLevel = GATED_LEVELS[GATED_LEVELS.length - 1]!;

export interface AccessLevelInfo {
  /** Short label shown on lock badges. */
  label: string;
  /** One sentence for readers: who can read an article at this level. */
  audience: string;
  /** Colour of its lock badge (AccessBadge.astro). */
  tone: 'accent' | 'gold';
}

export const ACCESS_LEVEL_INFO: Record<AccessLevel, AccessLevelInfo> = {
  public: { label: 'Free', audience: 'Everyone can read this article.', tone: 'accent' },
  members: { label: 'Members', audience: 'Free for everyone with a Gatepost account.', tone: 'accent' },
  premium: { label: 'Premium', audience: 'For Premium subscribers.', tone: 'gold' },
};

export function isAccessLevel(value: unknown): value is AccessLevel {
  return typeof value === 'string' && (ACCESS_LEVELS as readonly string[]).includes(value);
}

/** Position of a level in the ordered list; higher includes lower. */
export function accessRank(level: AccessLevel): number {
  return ACCESS_LEVELS.indexOf(level);
}

/** True when a reader holding `held` may read an article that requires `required`. */
export function includesLevel(held: AccessLevel, required: AccessLevel): boolean {
  return accessRank(held) >= accessRank(required);
}

export function isGated(level: AccessLevel): level is GatedAccessLevel {
  return level !== 'public';
}

/**
 * Where a reader's level may come from. All of these are server-controlled Clerk data; nothing a reader
 * can set themselves (unsafeMetadata, query strings, cookies other than Clerk's session) is ever read.
 *
 * - `userMetadataClaim`: the custom session claim carrying the user's *public* metadata. Configure the
 *   session token template in the Clerk dashboard as `{"metadata": "{{user.public_metadata}}"}` and set a
 *   user's public metadata to e.g. `{"tier": "premium", "roles": ["editor"]}`.
 * - `orgMetadataClaim`: the claim carrying the *active organization's* public metadata, e.g. template
 *   `{"org_metadata": "{{org.public_metadata}}"}` with the organization's metadata `{"tier": "premium"}`:
 *   every member of that organization reads at that level while it is their active organization.
 * - `billing`: Clerk Billing plans and features that grant a level, checked with Clerk's `has()`.
 *   A bare name matches a user or an organization plan; prefix `u:` or `o:` to restrict the scope
 *   (`o:team` = the active organization subscribes to the "team" plan).
 */
export const ENTITLEMENTS = {
  userMetadataClaim: 'metadata',
  orgMetadataClaim: 'org_metadata',
  billing: {
    members: { plans: [], features: [] },
    premium: { plans: ['premium', 'o:team'], features: ['premium_articles'] },
  } satisfies Record<GatedAccessLevel, { plans: readonly string[]; features: readonly string[] }>,
} as const;

/**
 * Who is an editor (editor desk and previews). Server-controlled Clerk data only:
 * - `role`: listed in the user's public metadata `roles` (session claim `metadata`), e.g.
 *   `{"roles": ["editor"]}`;
 * - `orgPermission`: a custom permission held in the active organization (Clerk dashboard,
 *   Organizations → Roles & permissions), e.g. give an "Editor" role the `org:articles:edit` permission.
 */
export const EDITORS = {
  role: 'editor',
  orgPermission: 'org:articles:edit',
} as const;

/**
 * What each level gives, as the pricing page lists it without Clerk Billing. Only what the site does:
 * every perk here must exist. Prices are not here: they come from the operator's configuration
 * (src/site/pricing.ts) or from Clerk Billing's plans.
 */
export const PLANS: Record<GatedAccessLevel, { perks: string[] }> = {
  members: {
    perks: ['Every members article in full'],
  },
  premium: {
    perks: ['Everything for members', 'Every Premium article in full'],
  },
};
