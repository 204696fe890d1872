/** Clerk Billing in the stand-in's Backend API: the instance's plans, as a server lists them to show prices. */
import { DEMO_PLANS } from '../billing.ts';
import { sendJson } from '../http.ts';
import { planResource } from '../resources/billing.ts';
import type { ApiRoute } from './call.ts';

export const BILLING_ROUTES: ApiRoute[] = [
  {
    methods: ['GET'],
    path: '/v1/billing/plans',
    handle: ({ res, url }) => {
      // Every demo plan is a user plan: an organization payer has none.
      const plans = url.searchParams.get('payer_type') === 'org' ? [] : DEMO_PLANS.map(planResource);
      sendJson(res, 200, { data: plans, total_count: plans.length });
    },
  },
];
