import { UserProfile } from '@clerk/astro/react';
import ClerkPanel from './ClerkPanel';

export default function AccountPanel() {
  return (
    <ClerkPanel what="account">
      <UserProfile routing="path" path="/account" />
    </ClerkPanel>
  );
}
