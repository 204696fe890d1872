/**
 * Clerk webhooks as Clerk's servers send them, for tests: Svix-signed envelopes (the stand-in's signer,
 * packages/clerk-standin/src/webhooks/svix.ts) and payloads in Clerk's documented shapes, with fields the
 * mirror must ignore (unsafe and private metadata) filled in.
 */
import { newSigningSecret } from '@gatepost/clerk-standin/webhooks';

// Svix's signing and Clerk's envelope: the stand-in's, which signs the demo's webhooks the same way.
export { clerkEvent, newSigningSecret, svixHeaders, type ClerkEventEnvelope } from '@gatepost/clerk-standin/webhooks';

/** One secret for every process of a test run (Playwright evaluates its config in each worker). */
export function sharedSigningSecret(): string {
  process.env.GATEPOST_TEST_WEBHOOK_SECRET ??= newSigningSecret();
  return process.env.GATEPOST_TEST_WEBHOOK_SECRET;
}

/** A Clerk user (UserJSON), with the fields the mirror reads and a few it does not. */
export function userJson(
  id: string,
  {
    email = `${id}@example.test`,
    firstName = 'Ada',
    lastName = 'Reader',
    publicMetadata = {} as Record<string, unknown>,
    createdAt = Date.now() - 86_400_000,
    updatedAt = Date.now(),
  } = {},
): Record<string, unknown> {
  const emailId = `idn_${id}`;
  return {
    object: 'user',
    id,
    first_name: firstName,
    last_name: lastName,
    username: null,
    image_url: 'https://img.example.test/x.png',
    has_image: false,
    primary_email_address_id: emailId,
    email_addresses: [
      { object: 'email_address', id: `idn_other_${id}`, email_address: `old-${email}`, linked_to: [] },
      { object: 'email_address', id: emailId, email_address: email, linked_to: [] },
    ],
    phone_numbers: [],
    web3_wallets: [],
    external_accounts: [],
    public_metadata: publicMetadata,
    private_metadata: { secret: 'never stored' },
    unsafe_metadata: { tier: 'premium' },
    created_at: createdAt,
    updated_at: updatedAt,
    last_sign_in_at: null,
  };
}

export function organizationJson(
  id: string,
  { slug = id.replace(/^org_/, ''), publicMetadata = {} as Record<string, unknown>, updatedAt = Date.now() } = {},
): Record<string, unknown> {
  return {
    object: 'organization',
    id,
    name: `Org ${slug}`,
    slug,
    public_metadata: publicMetadata,
    private_metadata: {},
    has_image: false,
    max_allowed_memberships: 0,
    admin_delete_enabled: true,
    created_at: updatedAt - 1000,
    updated_at: updatedAt,
  };
}

export function membershipJson(
  id: string,
  organization: Record<string, unknown>,
  userId: string,
  { role = 'org:member', permissions = [] as string[], updatedAt = Date.now() } = {},
): Record<string, unknown> {
  return {
    object: 'organization_membership',
    id,
    role,
    permissions,
    public_metadata: {},
    organization,
    public_user_data: {
      user_id: userId,
      identifier: `${userId}@example.test`,
      first_name: 'Ada',
      last_name: 'Reader',
      image_url: '',
      has_image: false,
    },
    created_at: updatedAt - 1000,
    updated_at: updatedAt,
  };
}

/** A Billing subscription item event payload (Clerk's webhook shape: the plan without features, the payer). */
export function subscriptionItemJson(
  id: string,
  {
    plan,
    status = 'active',
    payer,
  }: { plan: string; status?: string; payer: { userId?: string; organizationId?: string } },
): Record<string, unknown> {
  return {
    object: 'commerce_subscription_item',
    id,
    status,
    plan_period: 'month',
    period_start: Date.now() - 1000,
    period_end: null,
    plan_id: `cplan_${plan}`,
    plan: { id: `cplan_${plan}`, slug: plan, name: plan, is_default: false, is_recurring: true },
    payer: {
      object: 'commerce_payer',
      id: `cpayer_${payer.userId ?? payer.organizationId}`,
      ...(payer.userId ? { user_id: payer.userId } : {}),
      ...(payer.organizationId ? { organization_id: payer.organizationId } : {}),
      email: 'payer@example.test',
    },
  };
}
