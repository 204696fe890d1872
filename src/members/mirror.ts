/**
 * Writing Clerk's data into the mirror: users, organizations, memberships, Billing plans and
 * subscription items, shared by the webhooks (./webhooks.ts) and the sync (./sync.ts).
 *
 * Every function runs inside a transaction the caller opened with `mirrorTransaction`, which takes the
 * mirror's write lock first, so writers apply one at a time on both databases (a tier is computed from
 * rows another transaction could otherwise be changing). Order-safe: a row's `clerk_updated_at` is its
 * version, and data older than what the row holds is left alone ('stale'). Deleted users stay as
 * tombstones without personal data, and nothing brings them back.
 *
 * Inputs are Clerk's JSON (snake_case), as webhooks carry it and as the SDK's resources keep it in `raw`.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { MembersStore } from './store';
import type { Database } from './schema';
import { NEWSLETTERS } from '../site/newsletters';
import { subscribeNewMember } from './queries/newsletters';

export type Trx = Transaction<Database>;

export type Outcome = 'created' | 'updated' | 'unchanged' | 'stale' | 'erased' | 'ignored';

export interface Applied {
  outcome: Outcome;
  /** Members whose tier may have changed (recompute them in the same transaction). */
  affected: string[];
}

// An arbitrary constant: the key of PostgreSQL's transaction-scoped advisory lock for mirror writes.
const MIRROR_LOCK = 7_211_946_110;

/**
 * Runs `work` in one transaction holding the mirror's write lock: BEGIN IMMEDIATE on SQLite (./sqlite.ts),
 * an advisory lock on PostgreSQL. Either everything in it is written or nothing is.
 */
export async function mirrorTransaction<T>(store: MembersStore, work: (trx: Trx) => Promise<T>): Promise<T> {
  const db: Kysely<Database> = await store.database();
  return db.transaction().execute(async (trx) => {
    if (store.kind === 'postgres') await sql`select pg_advisory_xact_lock(${sql.lit(MIRROR_LOCK)})`.execute(trx);
    return work(trx);
  });
}

// --- Clerk's JSON, the parts the mirror keeps ------------------------------------------------------

export interface ClerkUser {
  id: string;
  first_name?: string | null;
  last_name?: string | null;
  primary_email_address_id?: string | null;
  email_addresses?: { id?: string; email_address?: string }[] | null;
  public_metadata?: unknown;
  created_at?: number | null;
  updated_at?: number | null;
}

export interface ClerkOrganization {
  id: string;
  name?: string | null;
  slug?: string | null;
  public_metadata?: unknown;
  updated_at?: number | null;
}

export interface ClerkMembership {
  id: string;
  role?: string | null;
  permissions?: unknown;
  organization: ClerkOrganization;
  public_user_data?: { user_id?: string } | null;
  updated_at?: number | null;
}

export interface SubscriptionItem {
  id: string;
  status: string;
  planId: string | null;
  planSlug: string;
  payer: { type: 'user' | 'org'; id: string };
}

export interface BillingPlan {
  id: string;
  slug: string;
  payerType: 'user' | 'org';
  features: string[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const metadataJson = (value: unknown) => JSON.stringify(isRecord(value) ? value : {});

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : [];

function primaryEmail(user: ClerkUser): string | null {
  const emails = Array.isArray(user.email_addresses) ? user.email_addresses : [];
  const primary = emails.find((e) => e.id && e.id === user.primary_email_address_id) ?? emails[0];
  return typeof primary?.email_address === 'string' && primary.email_address ? primary.email_address : null;
}

const emptyToNull = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : null);

/** True when every field of `row` already has that value in `existing`. */
const holds = (existing: Record<string, unknown>, row: Record<string, unknown>) =>
  Object.entries(row).every(([key, value]) => existing[key] === value);

/** A user Clerk deleted: nothing about them is written again. */
async function isErased(trx: Trx, userId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('members')
    .select('id')
    .where('id', '=', userId)
    .where('deleted_at', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}

// --- Users ------------------------------------------------------------------------------------------

/** A user as Clerk has it now (or as it was at `version`). */
export async function applyUser(trx: Trx, user: ClerkUser, version: number, now: number): Promise<Applied> {
  const existing = await trx.selectFrom('members').selectAll().where('id', '=', user.id).executeTakeFirst();
  if (existing?.deleted_at != null) return { outcome: 'ignored', affected: [] };
  if (existing && existing.clerk_updated_at > version) return { outcome: 'stale', affected: [] };
  const row = {
    email: primaryEmail(user),
    first_name: emptyToNull(user.first_name),
    last_name: emptyToNull(user.last_name),
    public_metadata: metadataJson(user.public_metadata),
    clerk_created_at: typeof user.created_at === 'number' ? user.created_at : (existing?.clerk_created_at ?? null),
  };
  if (!existing) {
    await trx
      .insertInto('members')
      .values({
        id: user.id,
        ...row,
        tier: 'members',
        clerk_updated_at: version,
        created_at: now,
        updated_at: now,
      })
      .execute();
    // A new member joins the newsletters marked subscribeOnSignup (whether the webhook or the sync saw
    // them first), in the same transaction.
    await subscribeNewMember(
      trx,
      user.id,
      NEWSLETTERS.filter((n) => n.subscribeOnSignup).map((n) => n.slug),
      now,
    );
    return { outcome: 'created', affected: [user.id] };
  }
  if (holds(existing, row)) {
    if (existing.clerk_updated_at !== version)
      await trx.updateTable('members').set({ clerk_updated_at: version }).where('id', '=', user.id).execute();
    return { outcome: 'unchanged', affected: [] };
  }
  await trx
    .updateTable('members')
    .set({ ...row, clerk_updated_at: version, updated_at: now })
    .where('id', '=', user.id)
    .execute();
  return { outcome: 'updated', affected: [user.id] };
}

/**
 * Clerk deleted the user: their personal data leaves the store. The row stays as an opaque id (later
 * tables, such as a send ledger, may point at it) and marks the user as gone for good, so no late event
 * can bring the data back; memberships and Billing items of the user go.
 */
export async function eraseUser(trx: Trx, userId: string, now: number): Promise<Applied> {
  const existing = await trx.selectFrom('members').select(['deleted_at']).where('id', '=', userId).executeTakeFirst();
  if (existing?.deleted_at != null) return { outcome: 'unchanged', affected: [] };
  const erased = {
    email: null,
    first_name: null,
    last_name: null,
    public_metadata: '{}',
    tier: 'members',
    tier_sources: '[]',
    editor: 0,
    deleted_at: now,
    updated_at: now,
  };
  if (existing) await trx.updateTable('members').set(erased).where('id', '=', userId).execute();
  // A deletion that arrives before the user: the tombstone keeps a late user.created from adding them.
  else
    await trx
      .insertInto('members')
      .values({ id: userId, ...erased, clerk_updated_at: 0, created_at: now })
      .execute();
  await trx.deleteFrom('organization_memberships').where('user_id', '=', userId).execute();
  // Their address leaves the send ledger too; the rows stay as opaque ids.
  await trx.updateTable('email_recipients').set({ email: null }).where('member_id', '=', userId).execute();
  await trx.deleteFrom('newsletter_subscriptions').where('member_id', '=', userId).execute();
  await trx
    .deleteFrom('billing_subscription_items')
    .where('payer_type', '=', 'user')
    .where('payer_id', '=', userId)
    .execute();
  return { outcome: 'erased', affected: [] };
}

/** Notes that a webhook about this member arrived (the editor's list shows it). */
export async function touchMember(trx: Trx, userId: string, now: number): Promise<void> {
  await trx
    .updateTable('members')
    .set({ last_event_at: now })
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .execute();
}

// --- Organizations -------------------------------------------------------------------------------

/** Members of an organization, deleted memberships included (their tier changes when it goes). */
async function organizationMembers(trx: Trx, organizationId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('organization_memberships')
    .select('user_id')
    .where('organization_id', '=', organizationId)
    .execute();
  return rows.map((r) => r.user_id);
}

export async function applyOrganization(
  trx: Trx,
  org: ClerkOrganization,
  version: number,
  now: number,
  { touch = false }: { touch?: boolean } = {},
): Promise<Applied> {
  const existing = await trx.selectFrom('organizations').selectAll().where('id', '=', org.id).executeTakeFirst();
  if (existing && (existing.clerk_updated_at > version || existing.deleted_at != null))
    return { outcome: existing.deleted_at != null ? 'ignored' : 'stale', affected: [] };
  const row = {
    name: emptyToNull(org.name),
    slug: emptyToNull(org.slug),
    public_metadata: metadataJson(org.public_metadata),
  };
  const touched = touch ? { last_event_at: now } : {};
  if (!existing) {
    await trx
      .insertInto('organizations')
      .values({ id: org.id, ...row, clerk_updated_at: version, created_at: now, updated_at: now, ...touched })
      .execute();
    return { outcome: 'created', affected: await organizationMembers(trx, org.id) };
  }
  const same = holds(existing, row);
  await trx
    .updateTable('organizations')
    .set({ ...row, clerk_updated_at: version, ...(same ? {} : { updated_at: now }), ...touched })
    .where('id', '=', org.id)
    .execute();
  // Only the metadata (and the slug the sources name) reaches a tier.
  return same
    ? { outcome: 'unchanged', affected: [] }
    : { outcome: 'updated', affected: await organizationMembers(trx, org.id) };
}

/** Clerk deleted the organization: it no longer grants anything; its memberships and Billing items go. */
export async function deleteOrganization(
  trx: Trx,
  organizationId: string,
  version: number,
  now: number,
): Promise<Applied> {
  const existing = await trx
    .selectFrom('organizations')
    .select(['deleted_at'])
    .where('id', '=', organizationId)
    .executeTakeFirst();
  if (existing?.deleted_at != null) return { outcome: 'unchanged', affected: [] };
  const affected = await organizationMembers(trx, organizationId);
  if (existing)
    await trx
      .updateTable('organizations')
      .set({ deleted_at: now, clerk_updated_at: version, updated_at: now, last_event_at: now })
      .where('id', '=', organizationId)
      .execute();
  else
    await trx
      .insertInto('organizations')
      .values({
        id: organizationId,
        public_metadata: '{}',
        clerk_updated_at: version,
        deleted_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();
  await trx
    .updateTable('organization_memberships')
    .set({ deleted_at: now, updated_at: now })
    .where('organization_id', '=', organizationId)
    .where('deleted_at', 'is', null)
    .execute();
  await trx
    .deleteFrom('billing_subscription_items')
    .where('payer_type', '=', 'org')
    .where('payer_id', '=', organizationId)
    .execute();
  return { outcome: 'erased', affected };
}

// --- Memberships -----------------------------------------------------------------------------------

function membershipUser(membership: ClerkMembership): string | null {
  return emptyToNull(membership.public_user_data?.user_id);
}

export async function applyMembership(
  trx: Trx,
  membership: ClerkMembership,
  version: number,
  now: number,
): Promise<Applied> {
  const userId = membershipUser(membership);
  if (!userId) throw new Error(`organization membership ${membership.id} names no user`);
  if (await isErased(trx, userId)) return { outcome: 'ignored', affected: [] };
  // The organization as this event saw it (order-safe on its own version).
  await applyOrganization(trx, membership.organization, membership.organization.updated_at ?? version, now);
  const existing = await trx
    .selectFrom('organization_memberships')
    .selectAll()
    .where('id', '=', membership.id)
    .executeTakeFirst();
  if (existing && existing.clerk_updated_at > version) return { outcome: 'stale', affected: [] };
  const row = {
    organization_id: membership.organization.id,
    user_id: userId,
    role: emptyToNull(membership.role),
    permissions: JSON.stringify(strings(membership.permissions)),
  };
  if (!existing) {
    await trx
      .insertInto('organization_memberships')
      .values({ id: membership.id, ...row, clerk_updated_at: version, created_at: now, updated_at: now })
      .execute();
    return { outcome: 'created', affected: [userId] };
  }
  const same = existing.deleted_at == null && holds(existing, row);
  await trx
    .updateTable('organization_memberships')
    .set({ ...row, clerk_updated_at: version, deleted_at: null, ...(same ? {} : { updated_at: now }) })
    .where('id', '=', membership.id)
    .execute();
  return same ? { outcome: 'unchanged', affected: [] } : { outcome: 'updated', affected: [userId, existing.user_id] };
}

/** A membership Clerk removed; kept as a tombstone at its version so a late older event cannot restore it. */
export async function deleteMembership(
  trx: Trx,
  membership: { id: string; userId: string | null; organizationId: string | null },
  version: number,
  now: number,
): Promise<Applied> {
  const existing = await trx
    .selectFrom('organization_memberships')
    .selectAll()
    .where('id', '=', membership.id)
    .executeTakeFirst();
  if (existing && existing.clerk_updated_at > version) return { outcome: 'stale', affected: [] };
  if (existing?.deleted_at != null) return { outcome: 'unchanged', affected: [] };
  if (existing) {
    await trx
      .updateTable('organization_memberships')
      .set({ deleted_at: now, clerk_updated_at: version, updated_at: now })
      .where('id', '=', membership.id)
      .execute();
    return { outcome: 'erased', affected: [existing.user_id] };
  }
  if (!membership.userId || !membership.organizationId) return { outcome: 'unchanged', affected: [] };
  await trx
    .insertInto('organization_memberships')
    .values({
      id: membership.id,
      organization_id: membership.organizationId,
      user_id: membership.userId,
      permissions: '[]',
      clerk_updated_at: version,
      deleted_at: now,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { outcome: 'erased', affected: [] };
}

// --- Billing --------------------------------------------------------------------------------------

async function payerMembers(trx: Trx, payer: SubscriptionItem['payer']): Promise<string[]> {
  return payer.type === 'user' ? [payer.id] : organizationMembers(trx, payer.id);
}

export async function applySubscriptionItem(
  trx: Trx,
  item: SubscriptionItem,
  version: number,
  now: number,
): Promise<Applied> {
  if (item.payer.type === 'user' && (await isErased(trx, item.payer.id))) return { outcome: 'ignored', affected: [] };
  const existing = await trx
    .selectFrom('billing_subscription_items')
    .selectAll()
    .where('id', '=', item.id)
    .executeTakeFirst();
  if (existing && existing.clerk_updated_at > version) return { outcome: 'stale', affected: [] };
  const row = {
    payer_type: item.payer.type,
    payer_id: item.payer.id,
    plan_id: item.planId,
    plan_slug: item.planSlug,
    status: item.status,
  };
  if (!existing) {
    await trx
      .insertInto('billing_subscription_items')
      .values({ id: item.id, ...row, clerk_updated_at: version, created_at: now, updated_at: now })
      .execute();
    return { outcome: 'created', affected: await payerMembers(trx, item.payer) };
  }
  const same = holds(existing, row);
  await trx
    .updateTable('billing_subscription_items')
    .set({ ...row, clerk_updated_at: version, ...(same ? {} : { updated_at: now }) })
    .where('id', '=', item.id)
    .execute();
  return same
    ? { outcome: 'unchanged', affected: [] }
    : { outcome: 'updated', affected: await payerMembers(trx, item.payer) };
}

/** Removes a payer's items that Clerk no longer lists (the sync saw the whole subscription). */
export async function removeOtherItems(
  trx: Trx,
  payer: SubscriptionItem['payer'],
  keep: readonly string[],
  before: number,
): Promise<Applied> {
  let query = trx
    .deleteFrom('billing_subscription_items')
    .where('payer_type', '=', payer.type)
    .where('payer_id', '=', payer.id)
    // Not items a webhook wrote while the sync was reading.
    .where('updated_at', '<', before);
  if (keep.length > 0) query = query.where('id', 'not in', keep);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows) > 0
    ? { outcome: 'erased', affected: await payerMembers(trx, payer) }
    : { outcome: 'unchanged', affected: [] };
}

/** The plan catalogue: which features each plan includes (session tokens list them; webhooks do not). */
export async function applyPlan(trx: Trx, plan: BillingPlan, now: number): Promise<Applied> {
  const existing = await trx.selectFrom('billing_plans').selectAll().where('id', '=', plan.id).executeTakeFirst();
  const row = { slug: plan.slug, payer_type: plan.payerType, features: JSON.stringify([...plan.features].sort()) };
  if (!existing) {
    await trx
      .insertInto('billing_plans')
      .values({ id: plan.id, ...row, updated_at: now })
      .execute();
    return { outcome: 'created', affected: await subscribersOfPlan(trx, plan) };
  }
  if (holds(existing, row)) return { outcome: 'unchanged', affected: [] };
  await trx
    .updateTable('billing_plans')
    .set({ ...row, updated_at: now })
    .where('id', '=', plan.id)
    .execute();
  return { outcome: 'updated', affected: await subscribersOfPlan(trx, plan) };
}

async function subscribersOfPlan(trx: Trx, plan: BillingPlan): Promise<string[]> {
  const items = await trx
    .selectFrom('billing_subscription_items')
    .select(['payer_type', 'payer_id'])
    .where((eb) => eb.or([eb('plan_id', '=', plan.id), eb('plan_slug', '=', plan.slug)]))
    .execute();
  const ids: string[] = [];
  for (const item of items) ids.push(...(await payerMembers(trx, { type: item.payer_type, id: item.payer_id })));
  return ids;
}
