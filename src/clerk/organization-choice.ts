/**
 * Which organization to make active for a reader when Clerk starts their session with none (Clerk
 * always does): their only one, once per session. Activating a reader's organization never lowers what
 * they may read (their own metadata and plans still count), so a reader with exactly one organization
 * gets it without a manual switch. With several, the reader picks one in <OrganizationSwitcher/>. Once
 * a session has been looked at, a later switch to the personal account sticks.
 *
 * Plain TypeScript: the browser hook (src/clerk/useOnlyOrganization.ts) supplies the facts.
 */
export interface OrganizationChoiceInput {
  /** The reader's organizations (Clerk's `user.organizationMemberships`). */
  organizationIds: readonly string[];
  /** The session's active organization, or null for the personal account. */
  activeOrganizationId: string | null | undefined;
  /** True when this session was already looked at (in this browser). */
  seenSession: boolean;
}

export function organizationToActivate({
  organizationIds,
  activeOrganizationId,
  seenSession,
}: OrganizationChoiceInput): string | null {
  if (seenSession || activeOrganizationId) return null;
  const unique = [...new Set(organizationIds)];
  return unique.length === 1 ? unique[0]! : null;
}
