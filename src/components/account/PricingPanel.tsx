import { PricingTable } from '@clerk/astro/react';
import ClerkPanel from './ClerkPanel';

export default function PricingPanel() {
  return (
    <ClerkPanel what="pricing">
      <PricingTable />
    </ClerkPanel>
  );
}
