/**
 * On a gated page reached with the refresh marker (back from the pricing page) whose token does not
 * (yet) allow the article: asks Clerk for a fresh session token once, then loads the page again without
 * the marker, so the server decides on the reader's current claims. The marker grants nothing; a reader
 * who did not upgrade sees the same paywall after the reload, and the reload never repeats.
 */
import { useEffect } from 'react';
import { refreshSessionToken } from '../../clerk/session-refresh';

export default function SessionRefresh({ to }: { to: string }) {
  useEffect(() => {
    void refreshSessionToken().then(() => window.location.replace(to));
  }, [to]);
  return (
    <p role="status" className="mb-4 text-center font-sans text-sm text-stone-600 dark:text-stone-400">
      Checking your membership…
    </p>
  );
}
