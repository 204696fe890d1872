/** Clerk Billing's JSON shapes (`commerce_*`), as clerk-js 6.40's billing resources read them. */
import type { Account } from '../accounts.ts';
import type { Checkout, DemoPlan, Subscribed } from '../billing.ts';

const MONTH_MS = 30 * 86_400_000;

export const money = (amount: number) => ({
  amount,
  amount_formatted: (amount / 100).toFixed(2),
  currency: 'usd',
  currency_symbol: '$',
});

/** A payer's subscription item for a plan: one id per (plan, payer), as long as the payer keeps it. */
export const subscriptionItemId = (plan: DemoPlan, payerId: string) =>
  `csitem_standin_${plan.slug}_${payerId.replace(/^(user|org)_/, '')}`;

export function planResource(plan: DemoPlan) {
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
export function demoCard(account: Account) {
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

export function subscriptionResource(account: Account, { plan, since }: Subscribed) {
  const paid = plan.fee > 0;
  const periodEnd = paid ? since + MONTH_MS : null;
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
        id: subscriptionItemId(plan, account.id),
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

export function checkoutResource(checkout: Checkout) {
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
