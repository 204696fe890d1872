import { UserProfile } from '@clerk/react';
import ClerkPanel, { COLUMN_APPEARANCE } from './ClerkPanel';
import { PATHS, routeBase } from '../../site/paths';

export default function AccountPanel() {
  return (
    <ClerkPanel what="account" layout="column">
      <UserProfile routing="path" path={routeBase(PATHS.account)} appearance={COLUMN_APPEARANCE} />
    </ClerkPanel>
  );
}
