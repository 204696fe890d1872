import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../src/gate/decision';
import { ANONYMOUS, type Viewer } from '../../src/gate/viewer';
import { paywallContent } from '../../src/site/paywall';
import {
  billingPlanCards,
  configuredPlanCards,
  DEFAULT_PREMIUM_NOTE,
  offerFor,
  premiumOffer,
  type BillingPlanData,
} from '../../src/site/pricing';
import { headlineRuns } from '../../src/site/headline';
import { relatedByTag } from '../../src/site/tags';

const fee = (cents: number) => ({ amount: cents, amountFormatted: (cents / 100).toFixed(2), currencySymbol: '$' });
const plan = (over: Partial<BillingPlanData>): BillingPlanData => ({
  id: 'cplan_x',
  slug: 'x',
  name: 'X',
  description: null,
  isDefault: false,
  publiclyVisible: true,
  forPayerType: 'user',
  fee: fee(500),
  features: [],
  ...over,
});
const PLANS = [
  plan({ id: 'cplan_free', slug: 'free_user', name: 'Free', isDefault: true, fee: fee(0) }),
  plan({
    id: 'cplan_premium',
    slug: 'premium',
    name: 'Premium',
    fee: fee(550),
    features: [{ slug: 'premium_articles', name: 'Every Premium article in full' }],
  }),
  plan({ id: 'cplan_team', slug: 'team', name: 'Team', forPayerType: 'org', fee: fee(2000) }),
  plan({ id: 'cplan_hidden', slug: 'secret', name: 'Secret', publiclyVisible: false }),
];

const member: Viewer = {
  kind: 'member',
  userId: 'user_1',
  tier: 'members',
  roles: [],
  organization: null,
  sources: [{ kind: 'signed-in' }],
  editor: false,
};
const denied = (viewer: Viewer, access: 'members' | 'premium') => {
  const decision = decideAccess(viewer, { access });
  if (decision.allowed) throw new Error('expected a paywall');
  return decision;
};

describe("Clerk Billing's plans as cards", () => {
  const cards = billingPlanCards(PLANS);

  it('shows the public user plans, the free one first, with their prices and features', () => {
    expect(cards.map((c) => c.key)).toEqual(['free_user', 'premium']);
    expect(cards[0]).toMatchObject({ free: true, price: '$0', checkout: { kind: 'none' }, level: 'members' });
    expect(cards[1]).toMatchObject({
      free: false,
      price: '$5.50 a month',
      perks: ['Every Premium article in full'],
      level: 'premium',
      checkout: { kind: 'billing', planId: 'cplan_premium' },
    });
  });

  it('offers the paid plan that reads at the level asked for, never the free one', () => {
    expect(offerFor(cards, 'premium')?.key).toBe('premium');
    expect(offerFor(cards, 'members')?.key).toBe('premium');
    expect(offerFor(billingPlanCards([PLANS[0]!]), 'premium')).toBeNull();
  });
});

describe('the paywall', () => {
  const billing = billingPlanCards(PLANS);
  const returnTo = '/members/deep-dive/';
  const premiumOfferCard = offerFor(billing, 'premium');

  it('sells Premium to a reader who is not signed in: subscribe through sign-up and the checkout step first', () => {
    const content = paywallContent({
      decision: denied(ANONYMOUS, 'premium'),
      returnTo,
      signIn: true,
      source: 'billing',
      offer: premiumOfferCard,
    });
    expect(content.heading).toContain('Premium');
    expect(content.plan?.price).toBe('$5.50 a month');
    expect(content.primary).toEqual({
      label: 'Subscribe to Premium',
      href: `/sign-up/?redirect_url=${encodeURIComponent(`/pricing/?checkout=premium&return=${encodeURIComponent(returnTo)}`)}`,
    });
    expect(content.secondary).toEqual({
      label: 'Sign in',
      href: `/sign-in/?redirect_url=${encodeURIComponent(returnTo)}`,
    });
  });

  it('sends a signed-in reader straight to the checkout step', () => {
    const content = paywallContent({
      decision: denied(member, 'premium'),
      returnTo,
      signIn: true,
      source: 'billing',
      offer: premiumOfferCard,
    });
    expect(content.heading).toBe('Upgrade to Premium to keep reading');
    expect(content.primary?.href).toBe(`/pricing/?checkout=premium&return=${encodeURIComponent(returnTo)}`);
  });

  it("with Billing's plans unknown, still sells through the pricing page's table", () => {
    const content = paywallContent({
      decision: denied(member, 'premium'),
      returnTo,
      signIn: true,
      source: 'billing',
      offer: null,
    });
    expect(content.primary?.href).toBe(`/pricing/?return=${encodeURIComponent(returnTo)}`);
    expect(content.plan).toBeNull();
  });

  it('offers a free account first on a members article', () => {
    const content = paywallContent({
      decision: denied(ANONYMOUS, 'members'),
      returnTo,
      signIn: true,
      source: 'billing',
      offer: null,
    });
    expect(content.primary?.label).toBe('Create a free account');
    expect(content.secondary?.label).toBe('Sign in');
  });

  it('without Billing or a checkout URL, sells nothing and says how Premium is granted', () => {
    const cards = configuredPlanCards(premiumOffer({}));
    const content = paywallContent({
      decision: denied(ANONYMOUS, 'premium'),
      returnTo,
      signIn: true,
      source: 'configured',
      offer: offerFor(cards, 'premium'),
    });
    expect(content.text).toContain(DEFAULT_PREMIUM_NOTE);
    expect(content.primary?.label).toBe('Sign in');
    expect(content.secondary).toBeNull();
  });

  it('with a configured checkout, shows its price and goes through the checkout step', () => {
    const cards = configuredPlanCards(
      premiumOffer({ GATEPOST_PREMIUM_URL: 'https://buy.example/p', GATEPOST_PREMIUM_PRICE: '$6 / month' }),
    );
    const content = paywallContent({
      decision: denied(member, 'premium'),
      returnTo,
      signIn: true,
      source: 'configured',
      offer: offerFor(cards, 'premium'),
    });
    expect(content.plan?.price).toBe('$6 / month');
    expect(content.primary?.href).toBe(`/pricing/?checkout=premium&return=${encodeURIComponent(returnTo)}`);
  });

  it.each(['members', 'premium'] as const)('promises nothing on a %s article when sign-in is off', (access) => {
    const content = paywallContent({
      decision: denied(ANONYMOUS, access),
      returnTo,
      signIn: false,
      source: 'configured',
      offer: null,
    });
    expect(content).toMatchObject({ primary: null, secondary: null, hint: null, plan: null });
    expect(`${content.heading} ${content.text}`).not.toMatch(/\b(sign in|create|subscribe)\b/i);
  });
});

describe('headlines', () => {
  it('keeps hyphenated words whole and gives the text back unchanged', () => {
    const title = 'Inside a third-party script audit, well-made';
    const runs = headlineRuns(title);
    expect(runs.filter((r) => r.whole).map((r) => r.text)).toEqual(['third-party', 'well-made']);
    expect(runs.map((r) => r.text).join('')).toBe(title);
    expect(headlineRuns('No hyphen here')).toEqual([{ text: 'No hyphen here', whole: false }]);
    expect(headlineRuns('A dash - between words').some((r) => r.whole)).toBe(false);
  });
});

describe('related articles', () => {
  const entry = (id: string, tags: string[], day: number) => ({
    id,
    data: { tags, pubDate: new Date(Date.UTC(2026, 0, day)) },
  });
  const all = [
    entry('a', ['css', 'fonts'], 1),
    entry('b', ['css'], 5),
    entry('c', ['css', 'fonts'], 2),
    entry('d', ['astro'], 9),
    entry('e', ['fonts'], 7),
  ];

  it('ranks by shared tags, then newest, never the article itself, at most the limit', () => {
    expect(relatedByTag(all[0]!, all).map((e) => e.id)).toEqual(['c', 'e', 'b']);
    expect(relatedByTag(all[0]!, all, 1).map((e) => e.id)).toEqual(['c']);
    // e and b share one tag each (a different one): the newer comes first.
    expect(relatedByTag(all[0]!, all, 2).map((e) => e.id)).toEqual(['c', 'e']);
    expect(relatedByTag(entry('x', [], 1), all)).toEqual([]);
    expect(relatedByTag(all[3]!, all)).toEqual([]);
  });

  it('gives what ranking every article would, on a large site with ties and repeated tags', () => {
    const tags = ['css', 'fonts', 'astro', 'seo', 'privacy'];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    // One to three tags each (repeats possible), so ties on one shared tag come from different tags.
    const site = Array.from({ length: 400 }, (_, i) =>
      entry(
        `a${i}`,
        Array.from({ length: 1 + Math.floor(random() * 3) }, () => tags[Math.floor(random() * 5)]!),
        1 + Math.floor(random() * 20),
      ),
    );
    // The plain definition: score every other article, sort by shared tags then newest, take the first.
    const ranked = (article: (typeof site)[number], limit: number) =>
      site
        .filter((other) => other.id !== article.id)
        .map((other) => ({ other, shared: new Set(other.data.tags.filter((t) => article.data.tags.includes(t))).size }))
        .filter(({ shared }) => shared > 0)
        .sort(
          (a, b) =>
            b.shared - a.shared ||
            b.other.data.pubDate.getTime() - a.other.data.pubDate.getTime() ||
            a.other.id.localeCompare(b.other.id),
        )
        .slice(0, limit)
        .map(({ other }) => other.id);
    for (const article of site.slice(0, 60)) {
      for (const limit of [1, 2, 3, 7, 40])
        expect(relatedByTag(article, site, limit).map((e) => e.id)).toEqual(ranked(article, limit));
    }
  });
});
