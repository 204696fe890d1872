/**
 * From Clerk's auth object to a *viewer*: who is reading, at which level, and why.
 *
 * Plain TypeScript, no Astro or Clerk imports: `AuthLike` is the structural subset of the object
 * `Astro.locals.auth()` returns (after Clerk's SDK verified the session token). Nothing here decodes or
 * verifies tokens; an auth object that is not signed in is an anonymous viewer, full stop. The tier
 * itself comes from the one entitlement rule (./entitlements.ts), which member records use too.
 */
import { entitlementsOf, isOrganizationSource, type HasCheck, type TierSource } from './entitlements';
import { ENTITLEMENTS, type AccessLevel } from './membership';

export { isOrganizationSource, type TierSource };

/** The parts of Clerk's auth object the policy reads. */
export interface AuthLike {
  userId?: string | null | undefined;
  sessionId?: string | null | undefined;
  sessionClaims?: Record<string, unknown> | null | undefined;
  orgId?: string | null | undefined;
  orgRole?: string | null | undefined;
  orgSlug?: string | null | undefined;
  has?: HasCheck | undefined;
}

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

export function viewerFromAuth(auth: AuthLike | null | undefined): Viewer {
  const userId = nonEmptyString(auth?.userId);
  // A session token without a session id is not a session (Clerk's own hooks refuse such a state too).
  if (!auth || !userId || !nonEmptyString(auth.sessionId)) return ANONYMOUS;

  const claims = isRecord(auth.sessionClaims) ? auth.sessionClaims : {};
  const orgId = nonEmptyString(auth.orgId);
  const organization: Organization | null = orgId
    ? { id: orgId, slug: nonEmptyString(auth.orgSlug), role: nonEmptyString(auth.orgRole) }
    : null;

  const { tier, sources, roles, editor } = entitlementsOf({
    userMetadata: claims[ENTITLEMENTS.userMetadataClaim],
    // The organization's metadata claim only counts for the organization active in this session.
    organization: organization && { id: organization.id, metadata: claims[ENTITLEMENTS.orgMetadataClaim] },
    has: auth.has,
  });
  return { kind: 'member', userId, tier, roles, organization, sources, editor };
}

/** True when the viewer's level comes only from their active organization (the account page says so). */
export function tierIsFromOrganization(viewer: Viewer): boolean {
  return viewer.kind === 'member' && viewer.sources.length > 0 && viewer.sources.every(isOrganizationSource);
}
