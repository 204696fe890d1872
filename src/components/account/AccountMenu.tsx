/**
 * The header's account menu: Clerk's <UserButton/> for a signed-in reader (with a link to the editor
 * desk for editors), a "Sign in" link otherwise, and nothing at all when sign-in is off.
 *
 * The server-rendered HTML (static pages included) is the "Sign in" link, so it works without
 * JavaScript. In the browser, Clerk is loaded only when Clerk's cookie says this browser has a session,
 * which keeps Clerk's scripts off every page, static or server-rendered, for anonymous readers (see
 * src/clerk/ClerkIsland.tsx). A static page built without a publishable key cannot know whether the server
 * has keys: its link starts hidden and `client:session` (src/clerk/directive.ts) shows it once the
 * server says sign-in is on.
 */
import { UserButton, useAuth } from '@clerk/react';
import { useEffect, useState } from 'react';
import { ClerkIsland, useClerkState } from '../../clerk/ClerkIsland';
import { hasClerkSession } from '../../clerk/session-cookie';
import { useOnlyOrganization } from '../../clerk/useOnlyOrganization';
import { viewerFromAuth } from '../../gate/viewer';
import { PATHS, routeBase } from '../../site/paths';

interface Props {
  /** Sign-in link that returns to the current page. */
  signInHref: string;
  /** Known on server-rendered pages; unknown (undefined) on static ones. */
  signedIn?: boolean | undefined;
  /** The organization the server rendered the page for (null: none); undefined on static pages. */
  renderedOrganizationId?: string | null | undefined;
  /** Whether the server runs with Clerk; undefined on a static page built without a publishable key. */
  clerkEnabled: boolean | undefined;
  /** The server's public Clerk settings (PATHS.clerkConfig), asked when `clerkEnabled` is unknown. */
  clerkConfigUrl: string;
}

function SignInLink({ href, pending, configUrl }: { href: string; pending?: boolean; configUrl?: string }) {
  return (
    <a
      href={href}
      className="rounded-lg border border-stone-300 px-3 py-1.5 font-medium whitespace-nowrap hover:border-accent-600 hover:text-accent-700 dark:border-stone-600 dark:hover:text-accent-300"
      data-testid="sign-in-link"
      {...(pending ? { hidden: true, 'data-sign-in-pending': configUrl } : {})}
    >
      Sign in
    </a>
  );
}

/** A pencil, for the editor desk's entry in Clerk's menu. */
function DeskIcon() {
  return (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path
        d="M11.5 2.5l2 2L6 12l-3 1 1-3 7.5-7.5z"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinejoin="round"
      />
    </svg>
  );
}

function SignedInMenu({
  signInHref,
  renderedOrganizationId,
}: {
  signInHref: string;
  renderedOrganizationId: string | null | undefined;
}) {
  const state = useClerkState();
  const auth = useAuth();
  const { isLoaded, isSignedIn } = auth;
  // Clerk starts every session without an organization; a reader's only one is made active here.
  useOnlyOrganization({ renderedOrganizationId });
  // The server's own rule on the claims Clerk verified for this session: it only decides whether the menu
  // shows the desk's link; the desk itself answers 404 to everyone the server does not see as an editor.
  const editor =
    isSignedIn === true &&
    viewerFromAuth({
      userId: auth.userId,
      sessionId: auth.sessionId,
      sessionClaims: auth.sessionClaims,
      orgId: auth.orgId,
      orgRole: auth.orgRole,
      orgSlug: auth.orgSlug,
      has: (params) => auth.has(params as Parameters<typeof auth.has>[0]),
    }).editor;
  // The session ended: offer to sign in.
  if (isLoaded && !isSignedIn) return <SignInLink href={signInHref} />;
  // Until Clerk is ready (or if it cannot load), a plain link to the account page keeps a visible control.
  if (state === 'failed' || !isLoaded) return <AccountLink />;
  return (
    <span className="inline-flex min-h-8 min-w-8 items-center" data-testid="account-menu">
      <UserButton userProfileUrl={routeBase(PATHS.account)} userProfileMode="navigation">
        {editor && (
          <UserButton.MenuItems>
            <UserButton.Link label="Editor desk" labelIcon={<DeskIcon />} href={PATHS.editor} />
          </UserButton.MenuItems>
        )}
      </UserButton>
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

export default function AccountMenu({
  signInHref,
  signedIn,
  renderedOrganizationId,
  clerkEnabled,
  clerkConfigUrl,
}: Props) {
  // Clerk's hooks only run in the browser: the server renders plain links, never Clerk's components.
  const [mounted, setMounted] = useState(false);
  const [session, setSession] = useState(signedIn === true);
  useEffect(() => {
    setMounted(true);
    if (clerkEnabled !== false && signedIn === undefined) setSession(hasClerkSession());
  }, [clerkEnabled, signedIn]);
  if (clerkEnabled === false) return null;
  if (!session) return <SignInLink href={signInHref} pending={clerkEnabled === undefined} configUrl={clerkConfigUrl} />;
  if (!mounted) return <AccountLink />;
  return (
    // Sign-in off on this server: nothing to offer; until Clerk's settings are known, the account link.
    <ClerkIsland fallback={(state) => (state === 'disabled' ? null : <AccountLink />)}>
      <SignedInMenu signInHref={signInHref} renderedOrganizationId={renderedOrganizationId} />
    </ClerkIsland>
  );
}
