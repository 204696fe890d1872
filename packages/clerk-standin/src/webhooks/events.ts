/**
 * The webhook events the stand-in's instance emits when something changes, with payloads in the shapes
 * Clerk sends (`UserJSON`, `OrganizationJSON`, `OrganizationMembershipJSON`, Billing's subscription):
 * the Backend API's JSON of the changed resource. instance.ts and billing.ts call these; the sender
 * (./sender.ts) signs and delivers them.
 */
import type { Account, Organization } from '../accounts.ts';
import { membershipResource, organizationResource, userResource, type MembershipData } from '../resources/index.ts';
import { planResource, subscriptionItemId } from '../resources/billing.ts';
import type { DemoPlan } from '../billing.ts';

export interface StandinEvent {
  type: string;
  data: Record<string, unknown>;
  /** Milliseconds, the envelope's `timestamp`. */
  timestamp: number;
}

/** A user as the Backend API (and a `user.*` webhook) has it: the FAPI shape plus server-only fields. */
export function backendUser(account: Account) {
  return {
    ...userResource(account),
    private_metadata: {},
    last_active_at: account.updatedAt,
    create_organizations_limit: null,
  };
}

export function backendOrganization(org: Organization) {
  return { ...organizationResource(org), private_metadata: {} };
}

export const userEvent = (type: 'user.created' | 'user.updated', account: Account): StandinEvent => ({
  type,
  data: backendUser(account),
  timestamp: Date.now(),
});

/** Clerk's `user.deleted` payload: only the id and `deleted: true`. */
export const userDeletedEvent = (userId: string): StandinEvent => ({
  type: 'user.deleted',
  data: { object: 'user', id: userId, deleted: true },
  timestamp: Date.now(),
});

export const organizationEvent = (type: 'organization.created' | 'organization.updated', org: Organization) => ({
  type,
  data: backendOrganization(org),
  timestamp: Date.now(),
});

export const membershipEvent = (
  type: 'organizationMembership.created' | 'organizationMembership.updated' | 'organizationMembership.deleted',
  membership: MembershipData,
  account: Account,
): StandinEvent => ({ type, data: membershipResource(membership, account), timestamp: Date.now() });

/** A subscription item as Billing's webhooks and Backend API give it. */
export function subscriptionItemJson(
  payerId: string,
  plan: DemoPlan,
  { status, since, payerType }: { status: string; since: number; payerType: 'user' | 'org' },
) {
  return {
    object: 'commerce_subscription_item',
    id: subscriptionItemId(plan, payerId),
    status,
    plan_period: 'month',
    payer_id: `cpayer_${payerId}`,
    period_start: since,
    period_end: null,
    is_free_trial: false,
    ended_at: status === 'ended' ? Date.now() : null,
    canceled_at: null,
    past_due_at: null,
    created_at: since,
    updated_at: Date.now(),
    plan_id: plan.id,
    plan: { ...planResource(plan), for_payer_type: payerType },
  };
}

/**
 * `subscription.updated` after a payer changed plan: the new item active, the items it replaced ended,
 * and the payer (`user_id` or `organization_id`), as Clerk Billing sends it.
 */
export function subscriptionEvent(
  payer: { userId: string; email: string } | { organizationId: string },
  items: { plan: DemoPlan; status: 'active' | 'ended'; since: number }[],
): StandinEvent {
  const payerId = 'userId' in payer ? payer.userId : payer.organizationId;
  const payerType = 'userId' in payer ? 'user' : 'org';
  return {
    type: 'subscription.updated',
    data: {
      object: 'commerce_subscription',
      id: `csub_standin_${payerId.replace(/^(user|org)_/, '')}`,
      status: 'active',
      payer: {
        object: 'commerce_payer',
        id: `cpayer_${payerId}`,
        ...('userId' in payer ? { user_id: payer.userId, email: payer.email } : { organization_id: payerId }),
      },
      items: items.map((item) =>
        subscriptionItemJson(payerId, item.plan, { status: item.status, since: item.since, payerType }),
      ),
      updated_at: Date.now(),
    },
    timestamp: Date.now(),
  };
}
