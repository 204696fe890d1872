/**
 * The one entitlement rule: from what Clerk says about a reader to their tier, where it comes from and
 * whether they are an editor. Two callers, one rule:
 * - a session (./viewer.ts): Clerk's verified auth object, with the organization active in it and
 *   Clerk's own `has()`;
 * - a member record (src/members): the mirror's copy of the same Clerk data. A record has no active
 *   organization, so its tier is the best over "no organization" and each of its organizations (the
 *   reader can make any of them active), with a `has()` that answers from the mirror the way Clerk's
 *   answers from a session token (`accountHas`).
 *
 * Plain TypeScript, no Astro or Clerk imports. Fail-safe: unknown or malformed data grants nothing
 * beyond the signed-in minimum, a throwing `has()` counts as false, `unsafeMetadata` is never read.
 */
import {
  ACCESS_LEVELS,
  accessRank,
  EDITORS,
  ENTITLEMENTS,
  isAccessLevel,
  SIGNED_IN_LEVEL,
  type AccessLevel,
} from './membership';

/** Clerk's authorization check, as `auth.has()` takes it. */
export type HasCheck = (params: { plan?: string; feature?: string; permission?: string }) => boolean;

/** Where a reader's level came from (the account page and the editor's members list say it). */
export type TierSource =
  | { kind: 'signed-in' }
  | { kind: 'user-metadata' }
  | { kind: 'billing-plan'; plan: string }
  | { kind: 'billing-feature'; feature: string }
  | { kind: 'organization-metadata'; orgId: string };

/** Everything the rule reads, in Clerk's terms; nothing else can grant anything. */
export interface EntitlementInput {
  /** The user's *public* metadata (never unsafe metadata). */
  userMetadata: unknown;
  /** The organization the reader acts in, with its public metadata; null for none. */
  organization: { id: string; metadata: unknown } | null;
  /** Plans, features and permissions, answered as Clerk's `has()` answers them. */
  has: HasCheck | undefined;
}

export interface Entitlements {
  tier: AccessLevel;
  /** Every source that granted `tier` (there may be several). */
  sources: TierSource[];
  /** Roles from the user's public metadata (e.g. "editor"). */
  roles: string[];
  /** May use the editor desk and previews (EDITORS in ./membership.ts). */
  editor: boolean;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The tier named in a metadata object, or null when missing or not one of ours. */
function tierFromMetadata(metadata: unknown): AccessLevel | null {
  if (!isRecord(metadata)) return null;
  const tier = metadata.tier;
  return isAccessLevel(tier) && tier !== 'public' ? tier : null;
}

function rolesFromMetadata(metadata: unknown): string[] {
  if (!isRecord(metadata) || !Array.isArray(metadata.roles)) return [];
  return metadata.roles.filter((role): role is string => typeof role === 'string' && role.length > 0);
}

function safeHas(has: HasCheck | undefined, params: { plan?: string; feature?: string; permission?: string }) {
  if (typeof has !== 'function') return false;
  try {
    return has(params) === true;
  } catch {
    return false;
  }
}

/** The rule itself: a signed-in reader's entitlements in one context (one organization, or none). */
export function entitlementsOf(input: EntitlementInput): Entitlements {
  // Every signed-in reader is at least a member; each source may raise that.
  const grants: { tier: AccessLevel; source: TierSource }[] = [
    { tier: SIGNED_IN_LEVEL, source: { kind: 'signed-in' } },
  ];

  const metadataTier = tierFromMetadata(input.userMetadata);
  if (metadataTier) grants.push({ tier: metadataTier, source: { kind: 'user-metadata' } });

  // Organization metadata only counts for the organization the reader acts in.
  if (input.organization) {
    const orgTier = tierFromMetadata(input.organization.metadata);
    if (orgTier)
      grants.push({ tier: orgTier, source: { kind: 'organization-metadata', orgId: input.organization.id } });
  }

  for (const level of ACCESS_LEVELS) {
    if (level === 'public') continue;
    const { plans, features } = ENTITLEMENTS.billing[level];
    for (const plan of plans) {
      if (safeHas(input.has, { plan })) grants.push({ tier: level, source: { kind: 'billing-plan', plan } });
    }
    for (const feature of features) {
      if (safeHas(input.has, { feature })) grants.push({ tier: level, source: { kind: 'billing-feature', feature } });
    }
  }

  const roles = rolesFromMetadata(input.userMetadata);
  const editor =
    roles.includes(EDITORS.role) ||
    (input.organization !== null && safeHas(input.has, { permission: EDITORS.orgPermission }));

  const tier = grants.reduce<AccessLevel>(
    (best, g) => (accessRank(g.tier) > accessRank(best) ? g.tier : best),
    SIGNED_IN_LEVEL,
  );
  return { tier, sources: grants.filter((g) => g.tier === tier).map((g) => g.source), roles, editor };
}

/** A source that belongs to the active organization: its metadata, or one of its plans (`o:…`). */
export function isOrganizationSource(source: TierSource): boolean {
  return (
    source.kind === 'organization-metadata' ||
    (source.kind === 'billing-plan' && source.plan.startsWith('o:')) ||
    (source.kind === 'billing-feature' && source.feature.startsWith('o:'))
  );
}

// --- A member record ------------------------------------------------------------------------------

/** One organization a member belongs to, as the mirror holds it. */
export interface AccountOrganization {
  id: string;
  slug: string | null;
  /** The organization's public metadata. */
  metadata: unknown;
  /** Slugs of the organization's active Clerk Billing plans, and the features they include. */
  plans: readonly string[];
  features: readonly string[];
  /** The member's permissions in it, as Clerk lists them (`org:<feature>:<permission>`). */
  permissions: readonly string[];
}

/** What the mirror knows of a member: the same facts a session token is made from. */
export interface Account {
  publicMetadata: unknown;
  /** Slugs of the user's active Clerk Billing plans, and the features they include. */
  plans: readonly string[];
  features: readonly string[];
  organizations: readonly AccountOrganization[];
}

/** A source, with the organization it came through when it only holds while that one is active. */
export type AccountTierSource = TierSource & { organization?: { id: string; slug: string | null } };

export interface AccountEntitlements extends Omit<Entitlements, 'sources'> {
  sources: AccountTierSource[];
}

const USER_SCOPES = new Set(['u', 'user']);
const ORG_SCOPES = new Set(['o', 'org', 'organization']);

/** Clerk's reading of a plan or feature name: a bare name matches either scope, `u:`/`o:` one of them. */
function scoped(name: string, user: readonly string[], org: readonly string[]): boolean {
  const colon = name.indexOf(':');
  if (colon === -1) return user.includes(name) || org.includes(name);
  const scope = name.slice(0, colon);
  const id = name.slice(colon + 1);
  if (USER_SCOPES.has(scope)) return user.includes(id);
  if (ORG_SCOPES.has(scope)) return org.includes(id);
  return false;
}

const withOrgPrefix = (permission: string) => permission.replace(/^(org:)*/, 'org:');

/**
 * `has()` for a member record acting in `organization` (or none), answering as Clerk's `has()` answers
 * for a session token minted in that context: plans and features of the user and of the active
 * organization only; permissions only within the active organization; several asked at once must all hold.
 */
export function accountHas(account: Account, organization: AccountOrganization | null): HasCheck {
  const orgPlans = organization?.plans ?? [];
  const orgFeatures = organization?.features ?? [];
  return ({ plan, feature, permission }) => {
    if (plan === undefined && feature === undefined && permission === undefined) return false;
    if (plan !== undefined && !(typeof plan === 'string' && scoped(plan, account.plans, orgPlans))) return false;
    if (feature !== undefined && !(typeof feature === 'string' && scoped(feature, account.features, orgFeatures)))
      return false;
    if (permission !== undefined) {
      if (!organization || typeof permission !== 'string') return false;
      if (!organization.permissions.map(withOrgPrefix).includes(withOrgPrefix(permission))) return false;
    }
    return true;
  };
}

const sourceKey = (source: AccountTierSource) => JSON.stringify(source);

/**
 * A member record's entitlements: the best the reader can get, over no active organization and each of
 * their organizations. Sources are those of every context that reaches that tier; the ones that hold
 * only while an organization is active name it.
 */
export function accountEntitlements(account: Account): AccountEntitlements {
  const contexts: (AccountOrganization | null)[] = [null, ...account.organizations];
  const results = contexts.map((organization) => ({
    organization,
    entitlements: entitlementsOf({
      userMetadata: account.publicMetadata,
      organization: organization && { id: organization.id, metadata: organization.metadata },
      has: accountHas(account, organization),
    }),
  }));
  const tier = results.reduce<AccessLevel>(
    (best, r) => (accessRank(r.entitlements.tier) > accessRank(best) ? r.entitlements.tier : best),
    SIGNED_IN_LEVEL,
  );
  const sources = new Map<string, AccountTierSource>();
  for (const { organization, entitlements } of results) {
    if (entitlements.tier !== tier) continue;
    for (const source of entitlements.sources) {
      // A source that also holds with no organization active belongs to the reader, not to one.
      const own = results[0]!.entitlements.sources.some((s) => sourceKey(s) === sourceKey(source));
      const entry: AccountTierSource =
        organization && !own ? { ...source, organization: { id: organization.id, slug: organization.slug } } : source;
      sources.set(sourceKey(entry), entry);
    }
  }
  return {
    tier,
    sources: [...sources.values()],
    roles: results[0]!.entitlements.roles,
    editor: results.some((r) => r.entitlements.editor),
  };
}
