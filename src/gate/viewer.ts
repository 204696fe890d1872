/**
 * From Clerk's auth object to a *viewer*: who is reading, at which level, and why.
 *
 * Plain TypeScript, no Astro or Clerk imports: `AuthLike` is the structural subset of the object
 * `Astro.locals.auth()` returns (after Clerk's SDK verified the session token). Nothing here decodes or
 * verifies tokens; an auth object that is not signed in is an anonymous viewer, full stop.
 *
 * Fail-safe rules: unknown or malformed claims grant nothing beyond the signed-in minimum (SIGNED_IN_LEVEL),
 * a throwing `has()` counts as false, and `unsafeMetadata` is never looked at.
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

/** The parts of Clerk's auth object the policy reads. */
export interface AuthLike {
  userId?: string | null | undefined;
  sessionId?: string | null | undefined;
  sessionClaims?: Record<string, unknown> | null | undefined;
  orgId?: string | null | undefined;
  orgRole?: string | null | undefined;
  orgSlug?: string | null | undefined;
  has?: ((params: { plan?: string; feature?: string; permission?: string }) => boolean) | undefined;
}

/** Where a viewer's level came from (the account page says when it is the organization's). */
export type TierSource =
  | { kind: 'signed-in' }
  | { kind: 'user-metadata' }
  | { kind: 'billing-plan'; plan: string }
  | { kind: 'billing-feature'; feature: string }
  | { kind: 'organization-metadata'; orgId: string };

export interface Organization {
  id: string;
  slug: string | null;
  role: string | null;
}

export type Viewer =
  | { kind: 'anonymous'; tier: null; roles: []; organization: null; sources: []; editor: false }
  | {
      kind: 'member';
      userId: string;
      tier: AccessLevel;
      /** Roles from the user's public metadata (e.g. "editor"). */
      roles: string[];
      organization: Organization | null;
      /** Every source that granted `tier` (there may be several). */
      sources: TierSource[];
      /** May use the editor desk and previews (see EDITORS in membership.ts). */
      editor: boolean;
    };

export const ANONYMOUS: Viewer = Object.freeze({
  kind: 'anonymous',
  tier: null,
  roles: [],
  organization: null,
  sources: [],
  editor: false,
}) as Viewer;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const nonEmptyString = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 ? value : null;

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

function safeHas(has: AuthLike['has'], params: { plan?: string; feature?: string; permission?: string }): boolean {
  if (typeof has !== 'function') return false;
  try {
    return has(params) === true;
  } catch {
    return false;
  }
}

export function viewerFromAuth(auth: AuthLike | null | undefined): Viewer {
  const userId = nonEmptyString(auth?.userId);
  // A session token without a session id is not a session (Clerk's own hooks refuse such a state too).
  if (!auth || !userId || !nonEmptyString(auth.sessionId)) return ANONYMOUS;

  const claims = isRecord(auth.sessionClaims) ? auth.sessionClaims : {};
  const userMetadata = claims[ENTITLEMENTS.userMetadataClaim];
  const orgId = nonEmptyString(auth.orgId);
  const organization: Organization | null = orgId
    ? { id: orgId, slug: nonEmptyString(auth.orgSlug), role: nonEmptyString(auth.orgRole) }
    : null;

  // Every signed-in reader is at least a member; each source may raise that.
  const grants: { tier: AccessLevel; source: TierSource }[] = [
    { tier: SIGNED_IN_LEVEL, source: { kind: 'signed-in' } },
  ];

  const metadataTier = tierFromMetadata(userMetadata);
  if (metadataTier) grants.push({ tier: metadataTier, source: { kind: 'user-metadata' } });

  // Organization metadata only counts for the organization that is active in this session.
  if (organization) {
    const orgTier = tierFromMetadata(claims[ENTITLEMENTS.orgMetadataClaim]);
    if (orgTier) grants.push({ tier: orgTier, source: { kind: 'organization-metadata', orgId: organization.id } });
  }

  for (const level of ACCESS_LEVELS) {
    if (level === 'public') continue;
    const { plans, features } = ENTITLEMENTS.billing[level];
    for (const plan of plans) {
      if (safeHas(auth.has, { plan })) grants.push({ tier: level, source: { kind: 'billing-plan', plan } });
    }
    for (const feature of features) {
      if (safeHas(auth.has, { feature })) grants.push({ tier: level, source: { kind: 'billing-feature', feature } });
    }
  }

  const roles = rolesFromMetadata(userMetadata);
  const editor =
    roles.includes(EDITORS.role) || (organization !== null && safeHas(auth.has, { permission: EDITORS.orgPermission }));

  const tier = grants.reduce<AccessLevel>(
    (best, g) => (accessRank(g.tier) > accessRank(best) ? g.tier : best),
    SIGNED_IN_LEVEL,
  );
  return {
    kind: 'member',
    userId,
    tier,
    roles,
    organization,
    sources: grants.filter((g) => g.tier === tier).map((g) => g.source),
    editor,
  };
}

/** True when the viewer's level comes only from their active organization (the account page says so). */
export function tierIsFromOrganization(viewer: Viewer): boolean {
  return (
    viewer.kind === 'member' &&
    viewer.sources.length > 0 &&
    viewer.sources.every((s) => s.kind === 'organization-metadata')
  );
}
