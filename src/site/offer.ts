/**
 * The plans this server offers, for the pages that show them (pricing page, paywall, checkout step):
 * Clerk Billing's plans when Billing is on (src/clerk/billing-plans.ts), the operator's configuration
 * when it is off (./pricing.ts). Server-only.
 */
import { PUBLIC_GATEPOST_BILLING } from 'astro:env/client';
import { getSecret } from 'astro:env/server';
import { billingCards } from '../clerk/billing-plans';
import { configuredPlanCards, configuredPremiumOffer, type PlanCard } from './pricing';

export interface Offer {
  /** Where the plans come from. */
  source: 'billing' | 'configured';
  /** The cards, cheapest first; empty when Billing's plans could not be read (yet). */
  cards: PlanCard[];
}

export function currentOffer(): Offer {
  if (PUBLIC_GATEPOST_BILLING) return { source: 'billing', cards: billingCards() ?? [] };
  const offer = configuredPremiumOffer(() => ({
    GATEPOST_PREMIUM_URL: getSecret('GATEPOST_PREMIUM_URL'),
    GATEPOST_PREMIUM_PRICE: getSecret('GATEPOST_PREMIUM_PRICE'),
    GATEPOST_PREMIUM_NOTE: getSecret('GATEPOST_PREMIUM_NOTE'),
  }));
  return { source: 'configured', cards: configuredPlanCards(offer) };
}
