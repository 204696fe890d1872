/**
 * Makes a reader's only organization active once per session, right after Clerk loads (see
 * src/clerk/organization-choice.ts for the rule). Clerk's own `setActive({ organization })` does the
 * switch: it writes a session token with the organization, so the server sees it on the next request,
 * and the session is then touched so that Clerk's Frontend API keeps it for later pages. A page the
 * server rendered without it is reloaded.
 *
 * The reload is checked, not assumed: a token refresh clerk-js scheduled before the switch can put the
 * personal account's token back in the cookie just after it, and the reloaded page is then rendered
 * without the organization. The activation stays pending in this tab until a server-rendered page
 * shows the organization; until then such a page fetches a fresh token and reloads, a bounded number
 * of times (`checkActivation`).
 *
 * What it decided is published for the page's other islands (./organization-activation.ts), so a
 * paywall that the organization is about to lift is not shown in the meantime.
 */
import { useAuth, useClerk } from '@clerk/react';
import { useEffect, useRef } from 'react';
import { setActivationStatus } from './organization-activation';
import { checkActivation, organizationToActivate, type PendingActivation } from './organization-choice';

/** The last session this browser looked at (one key, overwritten: sessions are per browser). */
const SEEN_KEY = 'gatepost:organization-choice';
/** The activation waiting for a server-rendered page to confirm it (per tab). */
const PENDING_KEY = 'gatepost:organization-activation';

function readItem(storage: () => Storage, key: string): string | null {
  try {
    return storage().getItem(key);
  } catch {
    return null;
  }
}

function writeItem(storage: () => Storage, key: string, value: string | null) {
  try {
    if (value === null) storage().removeItem(key);
    else storage().setItem(key, value);
  } catch {
    // Storage blocked: the choice may be offered again on the next page, which is harmless.
  }
}

const local = () => window.localStorage;
const tab = () => window.sessionStorage;

function readPending(): PendingActivation | null {
  try {
    const value: unknown = JSON.parse(readItem(tab, PENDING_KEY) ?? 'null');
    if (!value || typeof value !== 'object') return null;
    const { sessionId, organizationId, reloads } = value as Record<string, unknown>;
    if (typeof sessionId !== 'string' || typeof organizationId !== 'string' || typeof reloads !== 'number') return null;
    return { sessionId, organizationId, reloads };
  } catch {
    return null;
  }
}

const writePending = (pending: PendingActivation | null) =>
  writeItem(tab, PENDING_KEY, pending ? JSON.stringify(pending) : null);

interface Options {
  /**
   * The organization the server rendered this page for (null: none), whose content depends on the token
   * the server saw; undefined on static pages, which are not reloaded.
   */
  renderedOrganizationId: string | null | undefined;
}

export function useOnlyOrganization({ renderedOrganizationId }: Options) {
  const { isLoaded, isSignedIn, sessionId, orgId } = useAuth();
  const clerk = useClerk();
  const busy = useRef(false);
  useEffect(() => {
    if (!isLoaded || busy.current) return;
    if (!isSignedIn || !sessionId) {
      setActivationStatus('settled');
      return;
    }
    const serverRendered = renderedOrganizationId !== undefined;

    // Fresh token, then the same page again: the server decides on the organization Clerk has active.
    const reloadWithFreshToken = async () => {
      await clerk.session?.getToken({ skipCache: true }).catch(() => null);
      window.location.reload();
    };

    const pending = readPending();
    const check = checkActivation({
      pending,
      sessionId,
      activeOrganizationId: orgId,
      renderedOrganizationId,
    });
    if (check === 'clear') writePending(null);
    if (check === 'reload' && pending) {
      busy.current = true;
      setActivationStatus('activating');
      writePending({ ...pending, reloads: pending.reloads + 1 });
      void reloadWithFreshToken();
      return;
    }

    const memberships = clerk.user?.organizationMemberships;
    if (!memberships) return;
    const organization = organizationToActivate({
      organizationIds: memberships.map((m) => m.organization.id),
      activeOrganizationId: orgId,
      seenSession: readItem(local, SEEN_KEY) === sessionId,
    });
    if (!organization) {
      writeItem(local, SEEN_KEY, sessionId);
      setActivationStatus('settled');
      return;
    }
    busy.current = true;
    setActivationStatus(serverRendered ? 'activating' : 'settled');
    void clerk
      .setActive({ organization })
      // clerk-js tells the Frontend API about the switch only when the page has focus; otherwise only this
      // tab's token carries it, and the next page (whose clerk-js reads the session from the Frontend API)
      // would lose the organization. Touching the session records it there whatever the focus.
      .then(() =>
        clerk.session
          ?.touch({ intent: 'select_org' })
          .catch((error: unknown) => console.warn('[gatepost] could not record the organization with Clerk:', error)),
      )
      .then(() => {
        // Seen only once the switch is made: a page left before then tries again on the next one.
        writeItem(local, SEEN_KEY, sessionId);
        writePending({ sessionId, organizationId: organization, reloads: serverRendered ? 1 : 0 });
        if (serverRendered) void reloadWithFreshToken();
        else busy.current = false;
      })
      .catch((error: unknown) => {
        busy.current = false;
        setActivationStatus('settled');
        console.warn('[gatepost] could not activate the organization:', error);
      });
  }, [clerk, isLoaded, isSignedIn, sessionId, orgId, renderedOrganizationId]);
}
