/**
 * Membership configuration: the single place that defines Gatepost's access levels.
 *
 * The order matters: each level includes every level before it, so a `premium` reader can read
 * `members` articles too. Everything else (schema, badges, listings, the access policy) derives from
 * this list, so adding a tier means editing this file and nothing else.
 *
 * Plain TypeScript with no Astro imports: the access policy and its unit tests depend on it directly.
 */

export const ACCESS_LEVELS = ['public', 'members', 'premium'] as const;

export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** Levels that need a signed-in reader; everything except `public`. */
export type GatedAccessLevel = Exclude<AccessLevel, 'public'>;

export interface AccessLevelInfo {
  /** Short label shown on lock badges. */
  label: string;
  /** One sentence for readers: who can read an article at this level. */
  audience: string;
}

export const ACCESS_LEVEL_INFO: Record<AccessLevel, AccessLevelInfo> = {
  public: { label: 'Free', audience: 'Everyone can read this article.' },
  members: { label: 'Members', audience: 'Free for everyone with a Gatepost account.' },
  premium: { label: 'Premium', audience: 'For Premium subscribers.' },
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
