import { UserProfile } from '@clerk/astro/react';
import ClerkPanel from './ClerkPanel';
import { PATHS, routeBase } from '../../site/paths';

export default function AccountPanel() {
  return (
    <ClerkPanel what="account">
      <UserProfile routing="path" path={routeBase(PATHS.account)} />
    </ClerkPanel>
  );
}
