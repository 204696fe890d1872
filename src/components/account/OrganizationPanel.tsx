/**
 * The account page's team section: Clerk's <OrganizationSwitcher/> for readers who belong to an
 * organization (nothing for everyone else). Switching reloads the account page, so what it says about
 * the reader's level is the server's answer for the new organization.
 */
import { OrganizationSwitcher, useUser } from '@clerk/react';
import { PATHS } from '../../site/paths';
import { ClerkIsland, useClerkState } from '../../clerk/ClerkIsland';

function Switcher() {
  const state = useClerkState();
  const { user } = useUser();
  if (state !== 'ready' || !user?.organizationMemberships.length) return null;
  return (
    <section className="mb-8 font-sans" aria-labelledby="team-heading" data-organization-panel>
      <h2 id="team-heading" className="mb-2 text-xl font-bold">
        Reading as
      </h2>
      <p className="mb-3 text-sm text-stone-600 dark:text-stone-400">
        Your organization may unlock more than your own account. Choose which one you read with.
      </p>
      <OrganizationSwitcher
        hidePersonal={false}
        afterSelectOrganizationUrl={PATHS.account}
        afterSelectPersonalUrl={PATHS.account}
        organizationProfileUrl={PATHS.accountOrganization}
        organizationProfileMode="navigation"
      />
    </section>
  );
}

export default function OrganizationPanel() {
  return (
    <ClerkIsland>
      <Switcher />
    </ClerkIsland>
  );
}
