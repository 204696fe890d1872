/**
 * Clerk Billing in the stand-in's Frontend API: what <PricingTable/>, its checkout drawer and
 * <UserProfile/>'s billing page call (clerk-js 6.40: `/v1/billing/…` and `/v1/me/billing/…`).
 *
 * Every demo account has a saved demo card (Visa ⋯ 4242), so a checkout completes with Clerk's real UI
 * and no Stripe: confirming it subscribes the account (billing.ts), and its next session token carries
 * `pla: "u:premium"`. Entering a new card needs Stripe's script and servers: the demo refuses it with a
 * clear message.
 *
 * Envelopes matter (clerk-js reads them differently): plans and payment attempts are top-level bodies
 * (`send`); everything else sits under `response` (`reply`).
 */
import { randomBytes } from 'node:crypto';
import { checkoutsOf, DEFAULT_PLAN, DEMO_PLANS, MAX_CHECKOUTS, currentPlan, planById, subscribe } from '../billing.ts';
import type { Checkout } from '../billing.ts';
import { stringParam } from '../http.ts';
import { checkoutResource, demoCard, planResource, subscriptionResource } from '../resources/index.ts';
import type { FapiRoute } from './call.ts';
import { asUser } from './call.ts';

/** A whole list in Clerk's paginated envelope. */
const all = (data: unknown[]) => ({ data, total_count: data.length });
const STRIPE_NEEDED =
  'Entering a card needs Stripe, which the local demo cannot reach. Pay with the saved demo card (Visa ⋯ 4242).';
const stripeNeeded = asUser((call) =>
  call.fail(422, 'not_implemented', 'Not available in the local demo.', STRIPE_NEEDED),
);

export const BILLING_ROUTES: FapiRoute[] = [
  // Signed in or out: the plans the table shows.
  {
    methods: ['GET'],
    path: '/v1/billing/plans',
    handle: (call) => {
      const payer = call.url.searchParams.get('payer_type') ?? 'user';
      call.send(200, all(payer === 'user' ? DEMO_PLANS.map(planResource) : []));
    },
  },
  {
    methods: ['GET'],
    path: '/v1/billing/plans/:id',
    handle: (call, params) => {
      const plan = planById(params.id);
      if (!plan) return call.fail(404, 'resource_not_found', 'Plan not found.');
      call.send(200, planResource(plan));
    },
  },
  // The signed-in reader's billing.
  {
    methods: ['GET'],
    path: '/v1/me/billing/subscription',
    handle: asUser((call, account) => call.reply(200, subscriptionResource(account, currentPlan(account)))),
  },
  {
    methods: ['GET'],
    path: '/v1/me/billing/payment_methods',
    handle: asUser((call, account) => call.reply(200, all([demoCard(account)]))),
  },
  { methods: ['POST'], path: '/v1/me/billing/payment_methods', handle: stripeNeeded },
  { methods: ['POST'], path: '/v1/me/billing/payment_methods/initialize', handle: stripeNeeded },
  ...['/v1/me/billing/statements', '/v1/me/billing/credits/history'].map((path): FapiRoute => ({
    methods: ['GET'],
    path,
    handle: asUser((call) => call.reply(200, all([]))),
  })),
  {
    methods: ['GET'],
    path: '/v1/me/billing/credits',
    handle: asUser((call) => call.reply(200, { balance: null })),
  },
  {
    methods: ['GET'],
    path: '/v1/me/billing/payment_attempts',
    handle: asUser((call) => call.send(200, all([]))),
  },
  {
    methods: ['POST'],
    path: '/v1/me/billing/checkouts',
    handle: asUser((call, account) => {
      const plan = planById(stringParam(call.params, 'plan_id'));
      if (!plan) return call.fail(422, 'form_param_value_invalid', 'This plan does not exist.', undefined, 'plan_id');
      const map = checkoutsOf(call.instance);
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
      call.reply(200, checkoutResource(checkout));
    }),
  },
  {
    methods: ['PATCH'],
    path: '/v1/me/billing/checkouts/:id/confirm',
    handle: asUser((call, account, _session, { id }) => {
      const { params } = call;
      const checkout = checkoutsOf(call.instance).get(id!);
      if (!checkout || checkout.account !== account) {
        return call.fail(404, 'resource_not_found', 'Checkout not found.');
      }
      if (checkout.status === 'completed') return call.reply(200, checkoutResource(checkout));
      if (checkout.plan.fee > 0) {
        if (params.gateway !== undefined || params.payment_token !== undefined) {
          return call.fail(422, 'not_implemented', 'Not available in the local demo.', STRIPE_NEEDED);
        }
        if (params.payment_method_id !== demoCard(account).id) {
          return call.fail(
            422,
            'form_param_value_invalid',
            'Choose a payment method.',
            STRIPE_NEEDED,
            'payment_method_id',
          );
        }
      }
      subscribe(call.instance, account, checkout.plan);
      checkout.status = 'completed';
      call.ctx.log(`subscribed: ${account.email} → ${checkout.plan.slug}`);
      call.reply(200, checkoutResource(checkout));
    }),
  },
  {
    // Cancel. The stand-in ends the plan at once (real Clerk keeps it to the end of the paid period).
    methods: ['DELETE'],
    path: '/v1/me/billing/subscription_items/:id',
    handle: asUser((call, account, _session, { id }) => {
      subscribe(call.instance, account, DEFAULT_PLAN);
      call.ctx.log(`subscription cancelled: ${account.email}`);
      call.reply(200, { object: 'commerce_subscription_item', id, deleted: true });
    }),
  },
];
