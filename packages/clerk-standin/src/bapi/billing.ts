/**
 * Clerk Billing in the stand-in's Backend API: the instance's plans (user plans and the organization
 * plan), and the subscription of a user or an organization, as a server lists plans to show prices and
 * as the members sync reads who pays for what.
 */
import { currentPlan, DEMO_PLANS, ORGANIZATION_PLANS, organizationPlans } from '../billing.ts';
import { sendJson } from '../http.ts';
import { planResource } from '../resources/billing.ts';
import { subscriptionItemJson } from '../webhooks/events.ts';
import { notFound, paginated, type ApiRoute } from './call.ts';

export const BILLING_ROUTES: ApiRoute[] = [
  {
    methods: ['GET'],
    path: '/v1/billing/plans',
    handle: ({ res, url }) => {
      const payerType = url.searchParams.get('payer_type') === 'org' ? 'org' : 'user';
      const plans = (payerType === 'org' ? ORGANIZATION_PLANS : DEMO_PLANS).map((plan) => ({
        ...planResource(plan),
        for_payer_type: payerType,
      }));
      const { limit, offset } = paginated(url);
      sendJson(res, 200, { data: plans.slice(offset, offset + limit), total_count: plans.length });
    },
  },
  {
    methods: ['GET'],
    path: '/v1/users/:id/billing/subscription',
    handle: ({ instance, res }, { id }) => {
      const account = instance.accounts.get(id!);
      if (!account) return notFound(res, 'User');
      const { plan, since } = currentPlan(account);
      sendJson(res, 200, {
        object: 'commerce_subscription',
        id: `csub_standin_${account.id.replace(/^user_/, '')}`,
        status: 'active',
        payer_id: `cpayer_${account.id}`,
        created_at: account.createdAt,
        updated_at: since,
        active_at: account.createdAt,
        past_due_at: null,
        subscription_items: [subscriptionItemJson(account.id, plan, { status: 'active', since, payerType: 'user' })],
      });
    },
  },
  {
    methods: ['GET'],
    path: '/v1/organizations/:id/billing/subscription',
    handle: ({ instance, res }, { id }) => {
      const org = instance.organizations.get(id!);
      if (!org) return notFound(res, 'Organization');
      const plans = organizationPlans(org);
      // An organization that never subscribed has no subscription (Clerk answers 404).
      if (plans.length === 0) return notFound(res, 'Subscription');
      sendJson(res, 200, {
        object: 'commerce_subscription',
        id: `csub_standin_${org.id.replace(/^org_/, '')}`,
        status: 'active',
        payer_id: `cpayer_${org.id}`,
        created_at: org.createdAt,
        updated_at: org.createdAt,
        active_at: org.createdAt,
        past_due_at: null,
        subscription_items: plans.map((plan) =>
          subscriptionItemJson(org.id, plan, { status: 'active', since: org.createdAt, payerType: 'org' }),
        ),
      });
    },
  },
];
