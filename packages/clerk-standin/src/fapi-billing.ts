/**
 * Clerk Billing in the stand-in's Frontend API: what <PricingTable/>, its checkout drawer and
 * <UserProfile/>'s billing page call (clerk-js 6.40: `/v1/billing/…` and `/v1/me/billing/…`).
 *
 * The demo instance has two user plans, as an operator would configure them in Clerk's dashboard: the
 * free default plan and `premium` (the plan Gatepost's ENTITLEMENTS reads). Every demo account has a
 * saved demo card (Visa ⋯ 4242), so a checkout completes with Clerk's real UI and no Stripe: confirming
 * it subscribes the account, and its next session token carries `pla: "u:premium"` (Clerk's `has({ plan })`).
 * Entering a new card needs Stripe's script and servers: the demo refuses it with a clear message.
 *
 * Envelopes matter (clerk-js reads them differently): plans and payment attempts are top-level bodies;
 * everything else sits under `response`.
 */
import { randomBytes } from 'node:crypto';
import type { Account } from './accounts.ts';
import type { Instance } from './instance.ts';

export interface BillingCall {
  instance: Instance;
  url: URL;
  params: Record<string, unknown>;
  match: RegExpExecArray;
  /** The signed-in reader's account (routes marked `signedIn` only run with one). */
  account: Account | undefined;
  /** FAPI's envelope: `{ response, client }`. */
  reply: (status: number, response: unknown) => void;
  /** A body as is (plans and payment attempts are not enveloped). */
  send: (status: number, body: unknown) => void;
  fail: (status: number, code: string, message: string, longMessage?: string, param?: string) => void;
  log: (line: string) => void;
}

export interface FapiRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: RegExp;
  /** Answer 401 without a signed-in session (Clerk's `/me` endpoints). */
  signedIn?: boolean;
  handle: (call: BillingCall & { account: Account }) => void;
}

/** The route for a request, or null. */
export function findRoute(routes: readonly FapiRoute[], method: string, path: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.path.exec(path);
    if (match) return { route, match };
  }
  return null;
}

/** Runs a matched route (the one entry point fapi.ts calls). */
export function runRoute(route: FapiRoute, call: BillingCall): void {
  if (route.signedIn && !call.account) {
    return call.fail(401, 'authentication_invalid', 'You are signed out. Sign in again.');
  }
  route.handle(call as BillingCall & { account: Account });
}

// --- the demo instance's catalogue ---------------------------------------------------------------

const money = (amount: number) => ({
  amount,
  amount_formatted: (amount / 100).toFixed(2),
  currency: 'usd',
  currency_symbol: '$',
});

interface DemoPlan {
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

const planById = (id: string | undefined) => DEMO_PLANS.find((p) => p.id === id);
const DEFAULT_PLAN = DEMO_PLANS.find((p) => p.isDefault)!;
const MONTH = 30 * 86_400_000;

function planResource(plan: DemoPlan) {
  return {
    object: 'commerce_plan',
    id: plan.id,
    name: plan.name,
    slug: plan.slug,
    description: plan.description,
    fee: money(plan.fee),
    // No annual price: the table hides its period switch and shows the monthly price.
    annual_fee: null,
    annual_monthly_fee: null,
    is_default: plan.isDefault,
    is_recurring: plan.fee > 0,
    has_base_fee: plan.fee > 0,
    for_payer_type: 'user',
    publicly_visible: true,
    avatar_url: null,
    free_trial_enabled: false,
    free_trial_days: null,
    features: plan.features.map((f) => ({
      object: 'feature',
      id: `feat_standin_${f.slug}`,
      name: f.name,
      description: null,
      slug: f.slug,
      avatar_url: null,
    })),
  };
}

/** The saved card every demo account has, so checkouts complete without Stripe. */
function demoCard(account: Account) {
  return {
    object: 'commerce_payment_method',
    id: `cpm_standin_${account.id.replace(/^user_/, '')}`,
    last4: '4242',
    payment_type: 'card',
    card_type: 'visa',
    is_default: true,
    is_removable: false,
    status: 'active',
    wallet_type: null,
    expiry_year: 2030,
    expiry_month: 12,
    created_at: account.createdAt,
    updated_at: account.createdAt,
  };
}

// --- per-account billing state (in memory, like everything in the stand-in) ----------------------

interface Subscribed {
  plan: DemoPlan;
  since: number;
}
const subscriptions = new WeakMap<Account, Subscribed>();
interface Checkout {
  id: string;
  plan: DemoPlan;
  planPeriod: 'month';
  account: Account;
  status: 'needs_confirmation' | 'completed';
  createdAt: number;
}
const checkouts = new WeakMap<Instance, Map<string, Checkout>>();
const MAX_CHECKOUTS = 1_000;

/** The account's paid plan, if any: the one its `plans` (and so its token's `pla`) name. */
function currentPlan(account: Account): Subscribed {
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
}

function subscriptionResource(account: Account) {
  const { plan, since } = currentPlan(account);
  const paid = plan.fee > 0;
  const periodEnd = paid ? since + MONTH : null;
  return {
    object: 'commerce_subscription',
    id: `csub_standin_${account.id.replace(/^user_/, '')}`,
    status: 'active',
    created_at: account.createdAt,
    active_at: account.createdAt,
    updated_at: since,
    past_due_at: null,
    eligible_for_free_trial: false,
    next_payment: paid ? { amount: money(plan.fee), date: periodEnd } : null,
    subscription_items: [
      {
        object: 'commerce_subscription_item',
        id: `csitem_standin_${plan.slug}_${account.id.replace(/^user_/, '')}`,
        plan: planResource(plan),
        plan_period: 'month',
        price_id: `cprice_standin_${plan.slug}`,
        status: 'active',
        created_at: since,
        period_start: since,
        period_end: periodEnd,
        canceled_at: null,
        past_due_at: null,
        is_free_trial: false,
        amount: money(plan.fee),
      },
    ],
  };
}

function checkoutResource(checkout: Checkout) {
  const { account, plan } = checkout;
  const fee = money(plan.fee);
  const zero = money(0);
  return {
    object: 'commerce_checkout',
    id: checkout.id,
    status: checkout.status,
    external_client_secret: '',
    external_gateway_id: '',
    plan: planResource(plan),
    plan_period: checkout.planPeriod,
    plan_period_start: checkout.createdAt,
    is_immediate_plan_change: true,
    needs_payment_method: plan.fee > 0,
    payment_method: checkout.status === 'completed' && plan.fee > 0 ? demoCard(account) : null,
    payer: {
      object: 'commerce_payer',
      id: `cpayer_standin_${account.id.replace(/^user_/, '')}`,
      user_id: account.id,
      email: account.email,
      first_name: account.firstName,
      last_name: account.lastName,
      image_url: '',
      organization_id: null,
      organization_name: null,
      created_at: account.createdAt,
      updated_at: account.updatedAt,
    },
    totals: {
      subtotal: fee,
      base_fee: fee,
      tax_total: zero,
      grand_total: fee,
      total_due_now: fee,
      credit: null,
      credits: null,
      account_credit: null,
      past_due: null,
      discounts: null,
      total_due_after_free_trial: null,
      total_due_per_period: fee,
      totals_due_per_period: { subtotal: fee, base_fee: fee, tax_total: zero, grand_total: fee },
    },
  };
}

const page = (data: unknown[]) => ({ data, total_count: data.length });
const STRIPE_NEEDED =
  'Entering a card needs Stripe, which the local demo cannot reach. Pay with the saved demo card (Visa ⋯ 4242).';

function checkoutsOf(instance: Instance): Map<string, Checkout> {
  let map = checkouts.get(instance);
  if (!map) checkouts.set(instance, (map = new Map()));
  return map;
}

export const billingRoutes: readonly FapiRoute[] = [
  // Signed in or out: the plans the table shows.
  {
    method: 'GET',
    path: /^\/v1\/billing\/plans$/,
    handle: ({ url, send }) => {
      const payer = url.searchParams.get('payer_type') ?? 'user';
      send(200, page(payer === 'user' ? DEMO_PLANS.map(planResource) : []));
    },
  },
  {
    method: 'GET',
    path: /^\/v1\/billing\/plans\/([^/]+)$/,
    handle: ({ match, send, fail }) => {
      const plan = planById(match[1]);
      if (!plan) return fail(404, 'resource_not_found', 'Plan not found.');
      send(200, planResource(plan));
    },
  },
  // The signed-in reader's billing.
  {
    method: 'GET',
    path: /^\/v1\/me\/billing\/subscription$/,
    signedIn: true,
    handle: ({ account, reply }) => reply(200, subscriptionResource(account)),
  },
  {
    method: 'GET',
    path: /^\/v1\/me\/billing\/payment_methods$/,
    signedIn: true,
    handle: ({ account, reply }) => reply(200, page([demoCard(account)])),
  },
  {
    method: 'POST',
    path: /^\/v1\/me\/billing\/payment_methods(\/initialize)?$/,
    signedIn: true,
    handle: ({ fail }) => fail(422, 'not_implemented', 'Not available in the local demo.', STRIPE_NEEDED),
  },
  {
    method: 'GET',
    path: /^\/v1\/me\/billing\/(statements|credits\/history)$/,
    signedIn: true,
    handle: ({ reply }) => reply(200, page([])),
  },
  {
    method: 'GET',
    path: /^\/v1\/me\/billing\/credits$/,
    signedIn: true,
    handle: ({ reply }) => reply(200, { balance: null }),
  },
  {
    method: 'GET',
    path: /^\/v1\/me\/billing\/payment_attempts$/,
    signedIn: true,
    handle: ({ send }) => send(200, page([])),
  },
  {
    method: 'POST',
    path: /^\/v1\/me\/billing\/checkouts$/,
    signedIn: true,
    handle: ({ instance, account, params, reply, fail }) => {
      const plan = planById(typeof params.plan_id === 'string' ? params.plan_id : undefined);
      if (!plan) return fail(422, 'form_param_value_invalid', 'This plan does not exist.', undefined, 'plan_id');
      const map = checkoutsOf(instance);
      if (map.size >= MAX_CHECKOUTS) map.delete(map.keys().next().value!);
      const checkout: Checkout = {
        id: `cchk_standin_${randomBytes(10).toString('hex')}`,
        plan,
        // The demo plans have no annual price; Clerk falls back to monthly the same way.
        planPeriod: 'month',
        account,
        status: 'needs_confirmation',
        createdAt: Date.now(),
      };
      map.set(checkout.id, checkout);
      reply(200, checkoutResource(checkout));
    },
  },
  {
    method: 'PATCH',
    path: /^\/v1\/me\/billing\/checkouts\/([^/]+)\/confirm$/,
    signedIn: true,
    handle: ({ instance, account, match, params, reply, fail, log }) => {
      const checkout = checkoutsOf(instance).get(match[1]!);
      if (!checkout || checkout.account !== account) return fail(404, 'resource_not_found', 'Checkout not found.');
      if (checkout.status === 'completed') return reply(200, checkoutResource(checkout));
      if (checkout.plan.fee > 0) {
        if (params.gateway !== undefined || params.payment_token !== undefined) {
          return fail(422, 'not_implemented', 'Not available in the local demo.', STRIPE_NEEDED);
        }
        if (params.payment_method_id !== demoCard(account).id) {
          return fail(422, 'form_param_value_invalid', 'Choose a payment method.', STRIPE_NEEDED, 'payment_method_id');
        }
      }
      subscribe(instance, account, checkout.plan);
      checkout.status = 'completed';
      log(`subscribed: ${account.email} → ${checkout.plan.slug}`);
      reply(200, checkoutResource(checkout));
    },
  },
  {
    // Cancel. The stand-in ends the plan at once (real Clerk keeps it to the end of the paid period).
    method: 'DELETE',
    path: /^\/v1\/me\/billing\/subscription_items\/([^/]+)$/,
    signedIn: true,
    handle: ({ instance, account, match, reply, log }) => {
      subscribe(instance, account, DEFAULT_PLAN);
      log(`subscription cancelled: ${account.email}`);
      reply(200, { object: 'commerce_subscription_item', id: match[1], deleted: true });
    },
  },
];
