import { PricingTable } from '@clerk/react';
import ClerkPanel from './ClerkPanel';

interface Props {
  /** Where Clerk's checkout sends a new subscriber ("Continue"): the article, with the refresh marker. */
  newSubscriptionRedirectUrl?: string | undefined;
}

export default function PricingPanel({ newSubscriptionRedirectUrl }: Props) {
  return (
    <ClerkPanel what="pricing">
      <PricingTable {...(newSubscriptionRedirectUrl ? { newSubscriptionRedirectUrl } : {})} />
    </ClerkPanel>
  );
}
