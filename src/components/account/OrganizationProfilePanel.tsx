import { OrganizationProfile, OrganizationSwitcher } from '@clerk/react';
import { PATHS, routeBase } from '../../site/paths';
import ClerkPanel, { COLUMN_APPEARANCE } from './ClerkPanel';

interface Props {
  /** True when the server saw an active organization in the reader's session. */
  hasActiveOrganization: boolean;
}

/**
 * Clerk's <OrganizationProfile/> (general settings, members, invitations; what a reader sees depends on
 * their role) for the active organization. Clerk shows it only with one active, so a reader without one
 * gets the switcher first.
 */
export default function OrganizationProfilePanel({ hasActiveOrganization }: Props) {
  return (
    <ClerkPanel what="organization" layout="column">
      {hasActiveOrganization ? (
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
      )}
    </ClerkPanel>
  );
}
