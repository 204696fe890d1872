/**
 * A member's tier from the mirror: the record's Clerk data (public metadata, Billing plans and their
 * features, each organization with its metadata, plans and the member's permissions) handed to the one
 * entitlement rule (src/gate/entitlements.ts), then stored on the member's row for lists and counts.
 * Called in the same transaction as every change to one of those inputs.
 */
import type { Kysely, Transaction } from 'kysely';
import { accountEntitlements, type Account, type AccountOrganization } from '../gate/entitlements';
import type { Database } from './schema';

/** Subscription item statuses that grant their plan. Anything else (ended, canceled, past due…) grants nothing. */
export const GRANTING_STATUSES: readonly string[] = ['active'];

type Db = Kysely<Database> | Transaction<Database>;

export const parseJson = <T>(text: string | null | undefined, fallback: T): T => {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

const stringList = (text: string | null | undefined): string[] =>
  parseJson<unknown[]>(text, []).filter((x): x is string => typeof x === 'string');

/** Ids chunked so that `in (…)` lists stay well under both databases' parameter limits. */
export function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Active plans and their features, per payer. */
async function billingOf(db: Db, payerIds: readonly string[]) {
  const byPayer = new Map<string, { plans: Set<string>; features: Set<string> }>();
  for (const ids of chunks([...new Set(payerIds)])) {
    if (ids.length === 0) continue;
    const rows = await db
      .selectFrom('billing_subscription_items as i')
      .leftJoin('billing_plans as p', (join) =>
        join.on((eb) =>
          eb.or([
            eb('p.id', '=', eb.ref('i.plan_id')),
            eb.and([eb('i.plan_id', 'is', null), eb('p.slug', '=', eb.ref('i.plan_slug'))]),
          ]),
        ),
      )
      .select(['i.payer_id', 'i.plan_slug', 'p.features'])
      .where('i.payer_id', 'in', ids)
      .where('i.status', 'in', GRANTING_STATUSES)
      .execute();
    for (const row of rows) {
      const entry = byPayer.get(row.payer_id) ?? { plans: new Set(), features: new Set() };
      entry.plans.add(row.plan_slug);
      for (const feature of stringList(row.features)) entry.features.add(feature);
      byPayer.set(row.payer_id, entry);
    }
  }
  return byPayer;
}

/** The mirror's facts about these members, as the entitlement rule reads them. */
export async function loadAccounts(db: Db, userIds: readonly string[]): Promise<Map<string, Account>> {
  const accounts = new Map<string, Account>();
  if (userIds.length === 0) return accounts;
  const members: { id: string; public_metadata: string }[] = [];
  const memberships: {
    user_id: string;
    organization_id: string;
    permissions: string;
    slug: string | null;
    public_metadata: string;
  }[] = [];
  for (const ids of chunks([...new Set(userIds)])) {
    members.push(
      ...(await db
        .selectFrom('members')
        .select(['id', 'public_metadata'])
        .where('id', 'in', ids)
        .where('deleted_at', 'is', null)
        .execute()),
    );
    memberships.push(
      ...(await db
        .selectFrom('organization_memberships as m')
        .innerJoin('organizations as o', 'o.id', 'm.organization_id')
        .select(['m.user_id', 'm.organization_id', 'm.permissions', 'o.slug', 'o.public_metadata'])
        .where('m.user_id', 'in', ids)
        .where('m.deleted_at', 'is', null)
        .where('o.deleted_at', 'is', null)
        .execute()),
    );
  }
  const billing = await billingOf(db, [...members.map((m) => m.id), ...memberships.map((m) => m.organization_id)]);
  const none = { plans: new Set<string>(), features: new Set<string>() };
  for (const member of members) {
    const own = billing.get(member.id) ?? none;
    const organizations: AccountOrganization[] = memberships
      .filter((m) => m.user_id === member.id)
      .map((m) => {
        const org = billing.get(m.organization_id) ?? none;
        return {
          id: m.organization_id,
          slug: m.slug,
          metadata: parseJson(m.public_metadata, {}),
          plans: [...org.plans],
          features: [...org.features],
          permissions: stringList(m.permissions),
        };
      });
    accounts.set(member.id, {
      publicMetadata: parseJson(member.public_metadata, {}),
      plans: [...own.plans],
      features: [...own.features],
      organizations,
    });
  }
  return accounts;
}

/**
 * Recomputes and stores the tier of these members (deleted ones are skipped). Returns the members whose
 * tier changed, with the old and new tier.
 */
export async function recomputeTiers(
  db: Db,
  userIds: Iterable<string>,
  now = Date.now(),
): Promise<{ id: string; from: string; to: string }[]> {
  const ids = [...new Set(userIds)];
  const changed: { id: string; from: string; to: string }[] = [];
  if (ids.length === 0) return changed;
  const accounts = await loadAccounts(db, ids);
  const current = new Map<string, { tier: string; tier_sources: string; editor: number }>();
  for (const chunk of chunks(ids)) {
    for (const row of await db
      .selectFrom('members')
      .select(['id', 'tier', 'tier_sources', 'editor'])
      .where('id', 'in', chunk)
      .execute())
      current.set(row.id, row);
  }
  for (const [id, account] of accounts) {
    const { tier, sources, editor } = accountEntitlements(account);
    const before = current.get(id);
    const next = { tier, tier_sources: JSON.stringify(sources), editor: editor ? 1 : 0 };
    if (
      before &&
      before.tier === next.tier &&
      before.tier_sources === next.tier_sources &&
      before.editor === next.editor
    )
      continue;
    await db
      .updateTable('members')
      .set({ ...next, updated_at: now })
      .where('id', '=', id)
      .execute();
    if (before && before.tier !== tier) changed.push({ id, from: before.tier, to: tier });
  }
  return changed;
}
