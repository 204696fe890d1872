/**
 * Clerk Billing in the stand-in's instance: the plans an operator would configure in Clerk's dashboard
 * (the free default plan and `premium`, the plan Gatepost's ENTITLEMENTS reads), and each account's
 * subscription and checkouts, in memory like everything in the stand-in. Subscribing changes the
 * account's plans and features, so its next session token carries the new `pla`/`fea` claims (Clerk's
 * `has({ plan })`). The Frontend API routes are in fapi/billing.ts, the JSON shapes in resources/billing.ts.
 */
import type { Account, Organization } from './accounts.ts';
import type { Instance } from './instance.ts';
import { subscriptionEvent } from './webhooks/events.ts';

export interface DemoPlan {
  id: string;
  slug: string;
  name: string;
  description: string;
  /** Monthly fee in cents. */
  fee: number;
  isDefault: boolean;
  features: { slug: string; name: string }[];
}

/** The plans of the demo instance (prices are the demo's, like everything it says about money). */
export const DEMO_PLANS: readonly DemoPlan[] = [
  {
    id: 'cplan_standin_free',
    slug: 'free_user',
    name: 'Free',
    description: 'A Gatepost account: members articles in full.',
    fee: 0,
    isDefault: true,
    features: [{ slug: 'members_articles', name: 'Every members article in full' }],
  },
  {
    id: 'cplan_standin_premium',
    slug: 'premium',
    name: 'Premium',
    description: 'Every article, in full.',
    fee: 500,
    isDefault: false,
    features: [{ slug: 'premium_articles', name: 'Every Premium article in full' }],
  },
];

/**
 * Organization plans: `team`, the plan the seeded organization is on (`o:team` in Gatepost's
 * ENTITLEMENTS). Organizations are put on it by the seeds, not through a checkout.
 */
export const ORGANIZATION_PLANS: readonly DemoPlan[] = [
  {
    id: 'cplan_standin_team',
    slug: 'team',
    name: 'Team',
    description: 'Every article, in full, for every member of the organization.',
    fee: 2000,
    isDefault: false,
    features: [],
  },
];

/** The organization's plans, as Billing's Backend API lists its subscription items. */
export const organizationPlans = (org: Organization) => ORGANIZATION_PLANS.filter((p) => org.plans.includes(p.slug));

export const planById = (id: string | undefined) => DEMO_PLANS.find((p) => p.id === id);
export const DEFAULT_PLAN = DEMO_PLANS.find((p) => p.isDefault)!;

export interface Subscribed {
  plan: DemoPlan;
  since: number;
}
const subscriptions = new WeakMap<Account, Subscribed>();
export interface Checkout {
  id: string;
  plan: DemoPlan;
  planPeriod: 'month';
  account: Account;
  status: 'needs_confirmation' | 'completed';
  createdAt: number;
}
const checkouts = new WeakMap<Instance, Map<string, Checkout>>();
export const MAX_CHECKOUTS = 1_000;

/** The account's paid plan, if any: the one its `plans` (and so its token's `pla`) name. */
export function currentPlan(account: Account): Subscribed {
  const known = subscriptions.get(account);
  const paid = DEMO_PLANS.find((p) => !p.isDefault && account.plans.includes(p.slug));
  if (paid) {
    if (known?.plan === paid) return known;
    const entry = { plan: paid, since: account.updatedAt };
    subscriptions.set(account, entry);
    return entry;
  }
  return { plan: DEFAULT_PLAN, since: account.createdAt };
}

/**
 * Subscribes the account to `plan` (the free plan ends any paid one). Its features go with it, and its
 * sessions drop their cached token so the next one Clerk's SDK fetches carries the new `pla`/`fea`.
 */
export function subscribe(instance: Instance, account: Account, plan: DemoPlan): void {
  const previous = currentPlan(account);
  const others = new Set(DEMO_PLANS.map((p) => p.slug));
  const otherFeatures = new Set(DEMO_PLANS.flatMap((p) => p.features.map((f) => f.slug)));
  account.plans = [...account.plans.filter((p) => !others.has(p)), ...(plan.isDefault ? [] : [plan.slug])];
  account.features = [
    ...account.features.filter((f) => !otherFeatures.has(f)),
    ...(plan.isDefault ? [] : plan.features.map((f) => f.slug)),
  ];
  account.updatedAt = Date.now();
  subscriptions.set(account, { plan, since: account.updatedAt });
  for (const session of instance.sessions.values()) {
    if (session.userId === account.id) session.lastToken = null;
  }
  instance.emit(
    subscriptionEvent({ userId: account.id, email: account.email }, [
      { plan, status: 'active', since: account.updatedAt },
      ...(previous.plan === plan ? [] : [{ plan: previous.plan, status: 'ended' as const, since: previous.since }]),
    ]),
  );
}

/** The instance's checkouts, by id (at most MAX_CHECKOUTS: the oldest go first). */
export function checkoutsOf(instance: Instance): Map<string, Checkout> {
  let map = checkouts.get(instance);
  if (!map) checkouts.set(instance, (map = new Map()));
  return map;
}
