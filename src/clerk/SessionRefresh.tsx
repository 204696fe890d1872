/**
 * Asks Clerk for a fresh session token now, instead of when the current one (60 s) runs out.
 *
 * `session.getToken({ skipCache: true })` is Clerk's own call: clerk-js fetches a new token from
 * Clerk's Frontend API and writes it to the `__session` cookie, so the next page load carries the
 * reader's current claims (an upgrade made a moment ago included). Nothing here reads or decides on
 * the token: the server verifies it with Clerk's SDK as on every request.
 */
import { useClerk } from '@clerk/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ClerkIsland, useClerkState, type ClerkState } from './ClerkIsland';
import { hasClerkSession } from './session-cookie';

/** How long a page waits for Clerk before going on with the token it has. */
export const REFRESH_TIMEOUT_MS = 10_000;

function FreshToken({ onDone }: { onDone: (fresh: boolean) => void }) {
  const clerk = useClerk();
  const state = useClerkState();
  useEffect(() => {
    if (state !== 'ready') return;
    const session = clerk.session;
    if (!session) {
      onDone(false);
      return;
    }
    session.getToken({ skipCache: true }).then(
      (token) => onDone(token !== null),
      () => onDone(false),
    );
  }, [clerk, state, onDone]);
  return null;
}

interface Props {
  /** Called once: true when a fresh token is in the cookie; false when there is no session, Clerk is off or unreachable, or it took too long. */
  onDone: (fresh: boolean) => void;
  timeoutMs?: number;
  /** Clerk's state on the way (./ClerkIsland.tsx). */
  onState?: (state: ClerkState) => void;
}

/** Renders nothing; loads Clerk (browser only) and refreshes the session token once mounted. */
export function SessionRefresh({ onDone, timeoutMs = REFRESH_TIMEOUT_MS, onState }: Props) {
  const done = useRef(false);
  const finish = useCallback(
    (fresh: boolean) => {
      if (done.current) return;
      done.current = true;
      onDone(fresh);
    },
    [onDone],
  );
  // Known only in the browser (after mount): the server renders nothing here.
  const [session, setSession] = useState<boolean | undefined>();
  useEffect(() => {
    const has = hasClerkSession();
    setSession(has);
    if (!has) {
      finish(false);
      return;
    }
    const timer = setTimeout(() => finish(false), timeoutMs);
    return () => clearTimeout(timer);
  }, [finish, timeoutMs]);
  const watch = useCallback(
    (state: ClerkState) => {
      onState?.(state);
      if (state === 'disabled' || state === 'failed') finish(false);
    },
    [onState, finish],
  );
  if (!session) return null;
  return (
    <ClerkIsland onState={watch}>
      <FreshToken onDone={finish} />
    </ClerkIsland>
  );
}
