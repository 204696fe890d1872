/**
 * A small Clerk Backend API for tests of the members sync, on a loopback port: the endpoints the sync
 * calls through Clerk's SDK, answering in Clerk's documented shapes (`GET /v1/users` a plain array with
 * `/v1/users/count`; organizations, memberships and plans paginated as `{data, total_count}`; Billing
 * subscriptions per user and organization), with the secret key as a bearer token. It can answer 429
 * with Retry-After, as Clerk does when rate-limited, to test the backoff.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BackendUser {
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
  publicMetadata?: Record<string, unknown>;
  createdAt?: number;
  updatedAt?: number;
}

export interface BackendOrganization {
  id: string;
  slug: string;
  publicMetadata?: Record<string, unknown>;
  updatedAt?: number;
}

export interface BackendMembership {
  id: string;
  organizationId: string;
  userId: string;
  role?: string;
  permissions?: string[];
  updatedAt?: number;
}

export interface BackendPlan {
  id: string;
  slug: string;
  payerType: 'user' | 'org';
  features: string[];
}

export interface BackendItem {
  id: string;
  planId: string;
  status: string;
  updatedAt?: number;
}

export interface BackendData {
  users: BackendUser[];
  organizations: BackendOrganization[];
  memberships: BackendMembership[];
  /** Undefined: Billing is not enabled (the plans endpoint answers 404). */
  plans?: BackendPlan[];
  /** Subscription items per payer (user or organization id). */
  subscriptions: Record<string, BackendItem[]>;
}

export interface RunningBackend {
  url: string;
  secretKey: string;
  data: BackendData;
  /** Requests served, by path without the query. */
  requests: string[];
  /** Answer the next `n` requests with 429 (Retry-After: `seconds`). */
  rateLimit: (n: number, seconds?: number) => void;
  stop: () => Promise<void>;
}

const T0 = Date.UTC(2026, 0, 1);

const userJson = (u: BackendUser) => ({
  object: 'user',
  id: u.id,
  username: null,
  first_name: u.firstName ?? null,
  last_name: u.lastName ?? null,
  image_url: '',
  has_image: false,
  primary_email_address_id: `idn_${u.id}`,
  primary_phone_number_id: null,
  primary_web3_wallet_id: null,
  password_enabled: true,
  two_factor_enabled: false,
  totp_enabled: false,
  backup_code_enabled: false,
  email_addresses: [
    {
      object: 'email_address',
      id: `idn_${u.id}`,
      email_address: u.email,
      reserved: false,
      verification: null,
      linked_to: [],
    },
  ],
  phone_numbers: [],
  web3_wallets: [],
  external_accounts: [],
  enterprise_accounts: [],
  public_metadata: u.publicMetadata ?? {},
  private_metadata: {},
  unsafe_metadata: {},
  external_id: null,
  last_sign_in_at: null,
  banned: false,
  locked: false,
  created_at: u.createdAt ?? T0,
  updated_at: u.updatedAt ?? T0,
});

const organizationJson = (o: BackendOrganization) => ({
  object: 'organization',
  id: o.id,
  name: o.slug,
  slug: o.slug,
  has_image: false,
  max_allowed_memberships: 0,
  admin_delete_enabled: true,
  public_metadata: o.publicMetadata ?? {},
  private_metadata: {},
  created_at: T0,
  updated_at: o.updatedAt ?? T0,
});

const planJson = (p: BackendPlan) => ({
  object: 'commerce_plan',
  id: p.id,
  name: p.slug,
  slug: p.slug,
  description: null,
  is_default: false,
  is_recurring: true,
  has_base_fee: true,
  publicly_visible: true,
  fee: null,
  annual_fee: null,
  annual_monthly_fee: null,
  for_payer_type: p.payerType,
  features: p.features.map((slug) => ({ object: 'feature', id: `feat_${slug}`, name: slug, slug })),
  free_trial_days: null,
  free_trial_enabled: false,
  avatar_url: null,
});

export async function startClerkBackend(data: BackendData): Promise<RunningBackend> {
  const secretKey = `sk_test_backend_${Math.random().toString(36).slice(2)}`;
  const requests: string[] = [];
  let limited = 0;
  let retryAfter = 0;

  const membershipJson = (m: BackendMembership) => {
    const user = data.users.find((u) => u.id === m.userId);
    const organization = data.organizations.find((o) => o.id === m.organizationId)!;
    return {
      object: 'organization_membership',
      id: m.id,
      role: m.role ?? 'org:member',
      permissions: m.permissions ?? [],
      public_metadata: {},
      organization: organizationJson(organization),
      public_user_data: {
        user_id: m.userId,
        identifier: user?.email ?? '',
        first_name: null,
        last_name: null,
        image_url: '',
        has_image: false,
      },
      created_at: T0,
      updated_at: m.updatedAt ?? T0,
    };
  };

  const subscriptionJson = (payerId: string, items: BackendItem[]) => ({
    object: 'commerce_subscription',
    id: `csub_${payerId}`,
    instance_id: 'ins_test',
    status: 'active',
    payer_id: `cpayer_${payerId}`,
    created_at: T0,
    updated_at: T0,
    active_at: T0,
    past_due_at: null,
    subscription_items: items.map((item) => {
      const plan = data.plans?.find((p) => p.id === item.planId);
      return {
        object: 'commerce_subscription_item',
        id: item.id,
        instance_id: 'ins_test',
        status: item.status,
        plan_period: 'month',
        payer_id: `cpayer_${payerId}`,
        period_start: T0,
        period_end: null,
        is_free_trial: false,
        ended_at: null,
        created_at: T0,
        updated_at: item.updatedAt ?? T0,
        canceled_at: null,
        past_due_at: null,
        plan: plan ? planJson(plan) : null,
        plan_id: item.planId,
      };
    }),
  });

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    // Exactly `application/json`: Clerk's SDK parses only that as JSON.
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const notFound = (res: ServerResponse) =>
    send(res, 404, {
      errors: [{ code: 'resource_not_found', message: 'not found', long_message: 'Resource not found' }],
      clerk_trace_id: 'trace',
    });
  const page = <T>(rows: T[], url: URL) => {
    const limit = Number(url.searchParams.get('limit') ?? 10);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    return rows.slice(offset, offset + limit);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url.pathname);
    if (req.headers.authorization !== `Bearer ${secretKey}`)
      return send(res, 401, { errors: [{ code: 'authentication_invalid', message: 'Invalid authentication' }] });
    if (limited > 0) {
      limited--;
      return send(
        res,
        429,
        { errors: [{ code: 'too_many_requests', message: 'Too many requests' }] },
        { 'retry-after': String(retryAfter) },
      );
    }
    const path = url.pathname;
    const byCreation = [...data.users].sort((a, b) => (a.createdAt ?? T0) - (b.createdAt ?? T0));
    if (path === '/v1/users') return send(res, 200, page(byCreation, url).map(userJson));
    if (path === '/v1/users/count') return send(res, 200, { object: 'total_count', total_count: data.users.length });
    if (path === '/v1/organizations')
      return send(res, 200, {
        data: page(data.organizations, url).map(organizationJson),
        total_count: data.organizations.length,
      });
    if (path === '/v1/organization_memberships')
      return send(res, 200, {
        data: page(data.memberships, url).map(membershipJson),
        total_count: data.memberships.length,
      });
    if (path === '/v1/billing/plans') {
      if (!data.plans) return notFound(res);
      const plans = data.plans.filter((p) => p.payerType === url.searchParams.get('payer_type'));
      return send(res, 200, { data: page(plans, url).map(planJson), total_count: plans.length });
    }
    let match = /^\/v1\/users\/([^/]+)$/.exec(path);
    if (match) {
      const user = data.users.find((u) => u.id === match![1]);
      return user ? send(res, 200, userJson(user)) : notFound(res);
    }
    match = /^\/v1\/users\/([^/]+)\/organization_memberships$/.exec(path);
    if (match) {
      const rows = data.memberships.filter((m) => m.userId === match![1]);
      return send(res, 200, { data: page(rows, url).map(membershipJson), total_count: rows.length });
    }
    match = /^\/v1\/organizations\/([^/]+)$/.exec(path);
    if (match) {
      const org = data.organizations.find((o) => o.id === match![1]);
      return org ? send(res, 200, organizationJson(org)) : notFound(res);
    }
    match = /^\/v1\/(users|organizations)\/([^/]+)\/billing\/subscription$/.exec(path);
    if (match) {
      const items = data.subscriptions[match[2]!];
      return items ? send(res, 200, subscriptionJson(match[2]!, items)) : notFound(res);
    }
    return notFound(res);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    secretKey,
    data,
    requests,
    rateLimit: (n, seconds = 0) => {
      limited = n;
      retryAfter = seconds;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
