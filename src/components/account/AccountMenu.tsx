/**
 * The header's account menu: Clerk's <UserButton/> for a signed-in reader, a "Sign in" link otherwise.
 *
 * The server-rendered HTML (static pages included) is the "Sign in" link, so it works without
 * JavaScript. In the browser, Clerk is loaded only when Clerk's cookie says this browser has a session,
 * which keeps Clerk's scripts off every page, static or server-rendered, for anonymous readers (see
 * `noClerkInjection` in src/middleware.ts).
 */
import { UserButton, useAuth } from '@clerk/astro/react';
import { useEffect, useState } from 'react';
import { hasClerkSession } from '../../clerk/session-cookie';
import { useClerkLoader } from '../../clerk/useClerkLoader';
import { useOnlyOrganization } from '../../clerk/useOnlyOrganization';
import { PATHS, routeBase } from '../../site/paths';

interface Props {
  /** Sign-in link that returns to the current page. */
  signInHref: string;
  /** Known on server-rendered pages; unknown (undefined) on static ones. */
  signedIn?: boolean | undefined;
  /** The organization the server rendered the page for (null: none); undefined on static pages. */
  renderedOrganizationId?: string | null | undefined;
  /** False when the server is known to run without Clerk keys (static pages find out in the browser). */
  clerkEnabled: boolean;
}

function SignInLink({ href }: { href: string }) {
  return (
    <a
      href={href}
      className="rounded-lg border border-stone-300 px-3 py-1.5 font-medium hover:border-accent-600 hover:text-accent-700 dark:border-stone-600 dark:hover:text-accent-300"
      data-testid="sign-in-link"
    >
      Sign in
    </a>
  );
}

function SignedInMenu({
  signInHref,
  renderedOrganizationId,
}: {
  signInHref: string;
  renderedOrganizationId: string | null | undefined;
}) {
  const state = useClerkLoader(true);
  const { isLoaded, isSignedIn } = useAuth();
  // Clerk starts every session without an organization; a reader's only one is made active here.
  useOnlyOrganization({ renderedOrganizationId });
  // Clerk not configured for this server, or the session ended: offer to sign in.
  if (state === 'disabled' || (isLoaded && !isSignedIn)) return <SignInLink href={signInHref} />;
  // Until Clerk is ready (or if it cannot load), a plain link to the account page keeps a visible control.
  if (state === 'failed' || !isLoaded) return <AccountLink />;
  return (
    <span className="inline-flex min-h-8 min-w-8 items-center" data-testid="account-menu">
      <UserButton userProfileUrl={routeBase(PATHS.account)} userProfileMode="navigation" />
    </span>
  );
}

function AccountLink() {
  return (
    <a
      href={PATHS.account}
      className="rounded-lg border border-stone-300 px-3 py-1.5 font-medium dark:border-stone-600"
      data-testid="account-link"
    >
      Account
    </a>
  );
}

export default function AccountMenu({ signInHref, signedIn, renderedOrganizationId, clerkEnabled }: Props) {
  // Clerk's hooks only run in the browser: the server renders plain links, never Clerk's components.
  const [mounted, setMounted] = useState(false);
  const [session, setSession] = useState(signedIn === true);
  useEffect(() => {
    setMounted(true);
    if (clerkEnabled && signedIn === undefined) setSession(hasClerkSession());
  }, [clerkEnabled, signedIn]);
  if (!clerkEnabled || !session) return <SignInLink href={signInHref} />;
  if (!mounted) return <AccountLink />;
  return <SignedInMenu signInHref={signInHref} renderedOrganizationId={renderedOrganizationId} />;
}
