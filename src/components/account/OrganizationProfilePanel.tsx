import { OrganizationProfile, OrganizationSwitcher, useOrganization } from '@clerk/react';
import { PATHS, routeBase } from '../../site/paths';
import ClerkPanel, { COLUMN_APPEARANCE } from './ClerkPanel';

/**
 * Clerk's <OrganizationProfile/> (general settings, members, invitations; what a reader sees depends on
 * their role) for the active organization. Clerk shows it only with one active, so a reader without one
 * gets the switcher first.
 */
export default function OrganizationProfilePanel() {
  return (
    <ClerkPanel what="organization" layout="column">
      <ProfileOrChoice />
    </ClerkPanel>
  );
}

/**
 * Decided by Clerk's state in this browser, not by the token the server saw: Clerk's profile renders
 * nothing without an organization active there (another tab may have switched to the personal account
 * since the page was rendered).
 */
function ProfileOrChoice() {
  const { isLoaded, organization } = useOrganization();
  if (!isLoaded) return null;
  return organization ? (
    <OrganizationProfile
      routing="path"
      path={routeBase(PATHS.accountOrganization)}
      afterLeaveOrganizationUrl={PATHS.account}
      appearance={COLUMN_APPEARANCE}
    />
  ) : (
    <div className="font-sans" data-organization-choose>
      <p className="mb-3">Choose the organization to manage:</p>
      <OrganizationSwitcher
        hidePersonal
        afterSelectOrganizationUrl={PATHS.accountOrganization}
        organizationProfileMode="navigation"
        organizationProfileUrl={PATHS.accountOrganization}
      />
    </div>
  );
}
