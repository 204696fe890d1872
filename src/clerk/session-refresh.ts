/**
 * Asks Clerk for a fresh session token now, instead of when the current one (60 s) runs out.
 *
 * `session.getToken({ skipCache: true })` is Clerk's own call: clerk-js fetches a new token from
 * Clerk's Frontend API and writes it to the `__session` cookie, so the next page load carries the
 * reader's current claims (an upgrade made a moment ago included). Nothing here reads or decides on
 * the token: the server verifies it with Clerk's SDK as on every request.
 */
import { loadClerk } from './loader';
import { hasClerkSession } from './session-cookie';

interface ClerkWithSession {
  session?: { getToken: (options: { skipCache: boolean }) => Promise<string | null> } | null;
}

/** How long a page waits for Clerk before going on with the token it has. */
export const REFRESH_TIMEOUT_MS = 10_000;

/** Resolves true once a fresh token is in the cookie; false when there is no session or it took too long. */
export async function refreshSessionToken(timeoutMs = REFRESH_TIMEOUT_MS): Promise<boolean> {
  if (!hasClerkSession()) return false;
  const refresh = async () => {
    if ((await loadClerk()) !== 'ready') return false;
    const session = (window as { Clerk?: ClerkWithSession }).Clerk?.session;
    if (!session) return false;
    return (await session.getToken({ skipCache: true })) !== null;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([refresh().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
