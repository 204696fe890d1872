/**
 * Makes a reader's only organization active once per session, right after Clerk loads (see
 * src/clerk/organization-choice.ts for the rule). Clerk's own `setActive({ organization })` does the
 * switch: it touches the session and writes a session token with the organization, so the server sees
 * it on the next request. A page the server rendered without it is reloaded once.
 */
import { $clerkStore } from '@clerk/astro/client';
import { useAuth } from '@clerk/astro/react';
import { useEffect } from 'react';
import { organizationToActivate } from './organization-choice';

/** The last session this browser looked at (one key, overwritten: sessions are per browser). */
const SEEN_KEY = 'gatepost:organization-choice';

function readSeen(): string | null {
  try {
    return window.localStorage.getItem(SEEN_KEY);
  } catch {
    return null;
  }
}

function writeSeen(sessionId: string) {
  try {
    window.localStorage.setItem(SEEN_KEY, sessionId);
  } catch {
    // Storage blocked: the choice may be offered again on the next page, which is harmless.
  }
}

export function useOnlyOrganization({ reloadAfterSwitch }: { reloadAfterSwitch: boolean }) {
  const { isLoaded, isSignedIn, sessionId, orgId } = useAuth();
  useEffect(() => {
    if (!isLoaded || !isSignedIn || !sessionId) return;
    const clerk = $clerkStore.get();
    const memberships = clerk?.user?.organizationMemberships;
    if (!clerk || !memberships) return;
    const organization = organizationToActivate({
      organizationIds: memberships.map((m) => m.organization.id),
      activeOrganizationId: orgId,
      seenSession: readSeen() === sessionId,
    });
    writeSeen(sessionId);
    if (!organization) return;
    void clerk
      .setActive({ organization })
      .then(() => {
        if (reloadAfterSwitch) window.location.reload();
      })
      .catch((error: unknown) => console.warn('[gatepost] could not activate the organization:', error));
  }, [isLoaded, isSignedIn, sessionId, orgId, reloadAfterSwitch]);
}
