/**
 * What a paywall says and where its buttons lead, for every kind of reader (Paywall.astro renders it).
 *
 * - Members articles (a free account reads them): "Create a free account" first, "Sign in" second.
 * - Higher levels: the plan that unlocks the article, its price and what it includes, and "Subscribe" as
 *   the first button. A reader who is not signed in goes through sign-up first, then to the checkout
 *   step (src/site/upgrade.ts), then back to the article; "Sign in" is second, for subscribers.
 * - Sign-in off: no button at all, only a plain note (nothing may promise a sign-in that does not exist).
 *
 * Plain TypeScript: unit-tested directly.
 */
import type { Decision } from '../gate/decision';
import { ACCESS_LEVEL_INFO, SIGNED_IN_LEVEL } from '../gate/membership';
import { signInHref, signUpHref } from './paths';
import type { PlanCard } from './pricing';
import { checkoutHref, upgradeHref } from './upgrade';

export interface PaywallLink {
  label: string;
  href: string;
}

export interface PaywallContent {
  heading: string;
  text: string;
  /** The plan on offer, shown with its price and perks; null when there is none to show. */
  plan: PlanCard | null;
  primary: PaywallLink | null;
  secondary: PaywallLink | null;
  /** A short line under the buttons. */
  hint: string | null;
}

export interface PaywallInput {
  decision: Extract<Decision, { allowed: false }>;
  /** The article's path: where sign-in, sign-up and checkout come back to. */
  returnTo: string;
  /** Whether this page offers sign-in (src/clerk/sign-in-offered.ts). */
  signIn: boolean;
  /** Where the plans come from, and the plan that unlocks this article (src/site/pricing.ts `offerFor`). */
  source: 'billing' | 'configured';
  offer: PlanCard | null;
}

export function paywallContent({ decision, returnTo, signIn, source, offer }: PaywallInput): PaywallContent {
  const level = ACCESS_LEVEL_INFO[decision.required];
  const anonymous = decision.reason === 'sign-in';
  const free = decision.required === SIGNED_IN_LEVEL;

  if (!signIn) {
    return {
      heading: free ? 'This article is for members' : `This article is for ${level.label} subscribers`,
      text: 'Accounts are not open on this site at the moment, so only its beginning can be shown here.',
      plan: null,
      primary: null,
      secondary: null,
      hint: null,
    };
  }

  if (free) {
    // Only readers who are not signed in ever meet a members paywall.
    return {
      heading: 'Keep reading with a free account',
      text: `This article is for members. A free ${level.label.toLowerCase()} account unlocks it, and every other members article.`,
      plan: null,
      primary: { label: 'Create a free account', href: signUpHref(returnTo) },
      secondary: { label: 'Sign in', href: signInHref(returnTo) },
      hint: null,
    };
  }

  const plan = offer;
  // With Billing on, Clerk's checkout sells the plan (from the pricing table when its price is unknown).
  const sold = source === 'billing' || (offer !== null && offer.checkout.kind !== 'none');
  const checkout = offer && offer.checkout.kind !== 'none' ? checkoutHref(offer.key, returnTo) : upgradeHref(returnTo);
  const subscribe = `Subscribe to ${offer?.name ?? level.label}`;
  const heading = anonymous ? `Keep reading with ${level.label}` : `Upgrade to ${level.label} to keep reading`;
  const text = anonymous ? `This article is for ${level.label} subscribers.` : decision.message;

  if (!sold) {
    // Not sold on this site: subscribers sign in; the operator's note says how it is granted.
    return {
      heading,
      text: plan?.note ? `${text} ${plan.note}` : text,
      plan,
      primary: anonymous ? { label: 'Sign in', href: signInHref(returnTo) } : null,
      secondary: null,
      hint: null,
    };
  }
  if (anonymous) {
    return {
      heading,
      text,
      plan,
      primary: { label: subscribe, href: signUpHref(checkout) },
      secondary: { label: 'Sign in', href: signInHref(returnTo) },
      hint: 'Already a subscriber? Sign in to read it. New here? Subscribing starts with a free account.',
    };
  }
  return {
    heading,
    text,
    plan,
    primary: { label: subscribe, href: checkout },
    secondary: { label: 'See all plans', href: upgradeHref(returnTo) },
    hint: null,
  };
}
