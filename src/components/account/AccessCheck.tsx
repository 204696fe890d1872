/**
 * "Checking your access…" in place of a paywall that may be about to stop applying, for a signed-in
 * reader. The server renders the paywall inside it (hidden); it is shown only once the browser knows it
 * stands:
 *
 * - `refreshTo` (back from the checkout or the pricing page, the refresh marker of src/site/upgrade.ts):
 *   Clerk is asked for a fresh session token once, then the page loads again without the marker, so the
 *   server decides on the reader's current claims. The marker grants nothing: a reader who did not
 *   upgrade gets the same paywall after the reload, and the reload never repeats.
 * - `waitForOrganization` (signed in, no active organization): the account menu makes a reader's only
 *   organization active and reloads the page (src/clerk/useOnlyOrganization.ts); the paywall is shown
 *   only when it says there is nothing to activate.
 *
 * Either way the paywall appears after CHECK_TIMEOUT_MS at the latest, or at once if Clerk cannot load.
 * Nothing here grants anything: the full text only ever comes from the server. (Only browsers with
 * JavaScript get here: Clerk's session cookie is written by clerk-js.)
 */
import { useCallback, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { ClerkIsland, type ClerkState } from '../../clerk/ClerkIsland';
import { activationStatus, onActivationStatus } from '../../clerk/organization-activation';
import { SessionRefresh } from '../../clerk/SessionRefresh';

export const CHECK_TIMEOUT_MS = 12_000;

interface Props {
  /** Reload this URL (the page without the refresh marker) after a fresh token. */
  refreshTo?: string | undefined;
  /** Wait for the account menu's organization check. */
  waitForOrganization?: boolean;
  children: ReactNode;
}

export default function AccessCheck({ refreshTo, waitForOrganization = false, children }: Props) {
  const [clerk, setClerk] = useState<ClerkState>('loading');
  const activation = useSyncExternalStore(onActivationStatus, activationStatus, () => 'pending' as const);
  const [timedOut, setTimedOut] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setTimedOut(true), CHECK_TIMEOUT_MS);
    return () => clearTimeout(timer);
  }, []);
  const reload = useCallback(() => {
    if (refreshTo) window.location.replace(refreshTo);
  }, [refreshTo]);

  const unavailable = clerk === 'failed' || clerk === 'disabled';
  const checking =
    !timedOut && !unavailable && (refreshTo !== undefined || (waitForOrganization && activation !== 'settled'));
  return (
    <>
      {refreshTo ? (
        <SessionRefresh onDone={reload} onState={setClerk} />
      ) : (
        <ClerkIsland onState={setClerk}>{null}</ClerkIsland>
      )}
      {checking && (
        <p role="status" className="mt-10 text-center font-sans text-stone-600 dark:text-stone-400" data-access-check>
          Checking your access…
        </p>
      )}
      <div hidden={checking}>{children}</div>
    </>
  );
}
