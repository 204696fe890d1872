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

/**
 * An activation this browser made, waiting for a server-rendered page to confirm it. Clerk's
 * `setActive` writes a token with the organization, but a token refresh clerk-js scheduled before the
 * switch (for the personal account) can land after it and put the old token back in the cookie; the
 * page reloaded after the switch is then rendered without the organization. Kept per tab
 * (sessionStorage) until a page rendered with the organization is seen.
 */
export interface PendingActivation {
  sessionId: string;
  organizationId: string;
  /** Reloads made for it so far. */
  reloads: number;
}

/** Reloads one activation may ask for (the first included), so a server that disagrees never loops. */
export const MAX_ACTIVATION_RELOADS = 3;

export interface ActivationCheckInput {
  pending: PendingActivation | null;
  sessionId: string;
  /** The organization Clerk has active in the browser (null: personal account). */
  activeOrganizationId: string | null | undefined;
  /** The organization the server rendered this page for; undefined on static pages (not known). */
  renderedOrganizationId: string | null | undefined;
}

/**
 * What to do about a pending activation on this page: `keep` it (nothing to check here), `clear` it
 * (confirmed, abandoned, or out of reloads), or `reload` after a fresh token (the server rendered this
 * page without the organization the browser has active).
 */
export function checkActivation({
  pending,
  sessionId,
  activeOrganizationId,
  renderedOrganizationId,
}: ActivationCheckInput): 'none' | 'keep' | 'clear' | 'reload' {
  if (!pending) return 'none';
  // Another session, or the reader has switched since: nothing left to confirm.
  if (pending.sessionId !== sessionId || (activeOrganizationId ?? null) !== pending.organizationId) return 'clear';
  if (renderedOrganizationId === undefined) return 'keep';
  if (renderedOrganizationId === pending.organizationId) return 'clear';
  return pending.reloads < MAX_ACTIVATION_RELOADS ? 'reload' : 'clear';
}
