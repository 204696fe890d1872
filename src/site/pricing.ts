/**
 * What the pricing page and the paywall may say about Premium when Clerk Billing is off: only what the operator
 * configured. The variables are read here and nowhere else (docs/deploy.md, "Settings"; .env.example):
 *
 * - `GATEPOST_PREMIUM_URL`: where readers subscribe (an https URL, e.g. a payment link, or a path on
 *   this site). Without it there is no Subscribe button.
 * - `GATEPOST_PREMIUM_PRICE`: the price as display text ("$5 / month"). Without it no price is shown.
 * - `GATEPOST_PREMIUM_NOTE`: one sentence on how Premium is granted; without a checkout URL a plain
 *   default says Premium is not sold here.
 *
 * With Clerk Billing on (`PUBLIC_GATEPOST_BILLING=true`) the plans and prices configured in Clerk are
 * shown instead, and none of this is used.
 *
 * The cards readers see (pricing page, paywall) come from Clerk Billing's plans when Billing is on
 * (`billingPlanCards`) and from this configuration when it is off (`configuredPlanCards`).
 *
 * Plain TypeScript, no Astro imports: unit-tested directly.
 */
import {
  ACCESS_LEVEL_INFO,
  ENTITLEMENTS,
  GATED_LEVELS,
  PLANS,
  SIGNED_IN_LEVEL,
  TOP_LEVEL,
  accessRank,
  type GatedAccessLevel,
} from '../gate/membership';

export interface PremiumOffer {
  /** Absolute https URL or same-site path; null: no Subscribe button. */
  checkoutUrl: string | null;
  /** Display text; null: no price shown. */
  price: string | null;
  /** How Premium is granted: the configured sentence, else the default when there is no checkout URL. */
  note: string | null;
  /** Configuration problems, one line each (logged once, on first use; never shown to readers). */
  problems: string[];
}

export const DEFAULT_PREMIUM_NOTE = 'Premium is not sold on this site: the publication grants it to readers’ accounts.';

const MAX_TEXT = 200;

/** An https URL, http on loopback (local testing), or a same-site path; anything else is refused. */
function checkoutUrlFrom(raw: string): string | null {
  if (raw.startsWith('/') && !raw.startsWith('//') && !raw.includes('\\')) return raw;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol === 'https:') return url.href;
  if (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) return url.href;
  return null;
}

function text(raw: string | undefined): string | null {
  const value = raw?.trim();
  if (!value) return null;
  return value.length > MAX_TEXT ? null : value;
}

export function premiumOffer(env: Record<string, string | undefined>): PremiumOffer {
  const problems: string[] = [];
  const rawUrl = env.GATEPOST_PREMIUM_URL?.trim();
  let checkoutUrl: string | null = null;
  if (rawUrl) {
    checkoutUrl = checkoutUrlFrom(rawUrl);
    if (!checkoutUrl) {
      problems.push('GATEPOST_PREMIUM_URL must be an https URL or a path on this site; the Subscribe button is off');
    }
  }
  const price = text(env.GATEPOST_PREMIUM_PRICE);
  if (env.GATEPOST_PREMIUM_PRICE?.trim() && !price) {
    problems.push(`GATEPOST_PREMIUM_PRICE is longer than ${MAX_TEXT} characters; no price is shown`);
  }
  const note = text(env.GATEPOST_PREMIUM_NOTE);
  if (env.GATEPOST_PREMIUM_NOTE?.trim() && !note) {
    problems.push(`GATEPOST_PREMIUM_NOTE is longer than ${MAX_TEXT} characters; the default sentence is shown`);
  }
  return { checkoutUrl, price, note: note ?? (checkoutUrl ? null : DEFAULT_PREMIUM_NOTE), problems };
}

let configured: PremiumOffer | undefined;

/** The offer for this process: worked out from `env` on the first call, its problems logged once. */
export function configuredPremiumOffer(env: () => Record<string, string | undefined>): PremiumOffer {
  if (!configured) {
    configured = premiumOffer(env());
    for (const problem of configured.problems) console.warn(`[gatepost] ${problem}`);
  }
  return configured;
}

// --- Plans as readers see them (the pricing page's cards, the paywall's offer) -------------------

/** What a Clerk Billing plan says about itself; the fields Gatepost shows (a structural subset of @clerk/backend's BillingPlan). */
export interface BillingPlanData {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  isDefault: boolean;
  publiclyVisible: boolean;
  forPayerType: string;
  /** Monthly fee; amount in the currency's smallest unit (cents). */
  fee: { amount: number; amountFormatted: string; currencySymbol: string } | null;
  features: readonly { name: string; slug: string }[];
}

/** How a reader subscribes to a plan: Clerk's checkout, the operator's payment link, or not here at all. */
export type Checkout =
  { kind: 'billing'; planId: string } | { kind: 'link'; url: string; external: boolean } | { kind: 'none' };

export interface PlanCard {
  /** Billing's plan slug, or the access level without Billing (the checkout step's `?checkout=` value). */
  key: string;
  name: string;
  /** One sentence about it, when there is one. */
  description: string | null;
  /** "$5 a month", "Free"; null when not known. */
  price: string | null;
  /** True for a plan that costs nothing: it is joined by creating an account, never "subscribed" to. */
  free: boolean;
  /** What it includes, one line each. */
  perks: string[];
  /** The level a subscriber reads at. */
  level: GatedAccessLevel;
  checkout: Checkout;
  /** One sentence on how it is granted when it is not sold here (the operator's note). */
  note: string | null;
}

/** "$5", "$5.50": the amount as Clerk formats it, without a zero fraction. */
function money(fee: NonNullable<BillingPlanData['fee']>): string {
  return `${fee.currencySymbol}${fee.amountFormatted.replace(/\.00$/, '')}`;
}

/** The level a Billing plan grants, by ENTITLEMENTS (its slug, or one of its features); null: none known. */
export function levelOfPlan(plan: Pick<BillingPlanData, 'slug' | 'features'>): GatedAccessLevel | null {
  let level: GatedAccessLevel | null = null;
  for (const candidate of GATED_LEVELS) {
    const { plans, features } = ENTITLEMENTS.billing[candidate];
    const byPlan = plans.some((name) => name === plan.slug || name === `u:${plan.slug}`);
    const byFeature = plan.features.some((f) => (features as readonly string[]).includes(f.slug));
    if (byPlan || byFeature) level = candidate;
  }
  return level;
}

/**
 * The cards for Clerk Billing's plans, cheapest first: the publicly visible user plans. A free plan
 * (no fee, or the default plan) is the free account's level and is joined by signing up.
 */
export function billingPlanCards(plans: readonly BillingPlanData[]): PlanCard[] {
  return plans
    .filter((plan) => plan.publiclyVisible && plan.forPayerType === 'user')
    .map((plan): PlanCard => {
      const free = plan.isDefault || !plan.fee || plan.fee.amount === 0;
      return {
        key: plan.slug,
        name: plan.name,
        description: plan.description || null,
        // "$0" rather than "Free" when the plan is itself called so.
        price: !free ? `${money(plan.fee!)} a month` : plan.fee && /^free$/i.test(plan.name) ? money(plan.fee) : 'Free',
        free,
        perks: plan.features.map((f) => f.name),
        level: levelOfPlan(plan) ?? SIGNED_IN_LEVEL,
        checkout: free ? { kind: 'none' } : { kind: 'billing', planId: plan.id },
        note: null,
      };
    })
    .sort((a, b) => Number(b.free) - Number(a.free) || accessRank(a.level) - accessRank(b.level));
}

/** The cards without Clerk Billing: the free account, and Premium as the operator configured it. */
export function configuredPlanCards(offer: PremiumOffer): PlanCard[] {
  const checkout: Checkout = offer.checkoutUrl
    ? { kind: 'link', url: offer.checkoutUrl, external: !offer.checkoutUrl.startsWith('/') }
    : { kind: 'none' };
  return [
    {
      key: SIGNED_IN_LEVEL,
      name: ACCESS_LEVEL_INFO[SIGNED_IN_LEVEL].label,
      description: ACCESS_LEVEL_INFO[SIGNED_IN_LEVEL].audience,
      price: 'Free',
      free: true,
      perks: PLANS[SIGNED_IN_LEVEL].perks,
      level: SIGNED_IN_LEVEL,
      checkout: { kind: 'none' },
      note: null,
    },
    {
      key: TOP_LEVEL,
      name: ACCESS_LEVEL_INFO[TOP_LEVEL].label,
      description: ACCESS_LEVEL_INFO[TOP_LEVEL].audience,
      price: offer.price,
      free: false,
      perks: PLANS[TOP_LEVEL].perks,
      level: TOP_LEVEL,
      checkout,
      note: offer.note,
    },
  ];
}

/** The plan a paywall for `level` sells: the cheapest paid card that reads at that level or higher. */
export function offerFor(cards: readonly PlanCard[], level: GatedAccessLevel): PlanCard | null {
  return cards.find((card) => !card.free && accessRank(card.level) >= accessRank(level)) ?? null;
}
