/**
 * `npm run members:sync` and the server's schedule (GATEPOST_MEMBERS_SYNC_MINUTES): reads everything
 * the mirror copies from Clerk's Backend API through Clerk's SDK and repairs what webhooks missed.
 *
 * Pages through the Billing plans, organizations, organization memberships and users (offset pages,
 * oldest first), then each user's and organization's Billing subscription; applies each page in one
 * transaction with the same order-safe writes as the webhooks (./mirror.ts), so a webhook that lands
 * during a sync is never overwritten by older data. Something the mirror holds that the lists did not
 * show is asked for once more by id before it is removed (a list read while Clerk changes can skip a
 * row). Rate limits (429) and transient failures are retried with backoff, honouring Retry-After.
 */
import type { ClerkClient } from '@clerk/backend';
import { hostname } from 'node:os';
import {
  applyMembership,
  applyOrganization,
  applyPlan,
  applySubscriptionItem,
  applyUser,
  deleteMembership,
  deleteOrganization,
  eraseUser,
  mirrorTransaction,
  removeOtherItems,
  type Applied,
  type ClerkMembership,
  type ClerkOrganization,
  type ClerkUser,
  type Outcome,
  type SubscriptionItem,
  type Trx,
} from './mirror';
import type { MembersStore } from './store';
import { chunks, recomputeTiers } from './tier';

/** The SDK calls the sync makes (a `ClerkClient` has them; tests may pass one pointed at a local server). */
export type SyncClient = Pick<ClerkClient, 'users' | 'organizations' | 'billing'>;

export interface Counts {
  created: number;
  updated: number;
  erased: number;
  unchanged: number;
}

export interface SyncReport {
  users: Counts;
  organizations: Counts;
  memberships: Counts;
  plans: Counts;
  subscriptionItems: Counts;
  /** Members whose tier the sync changed. */
  tierChanges: { id: string; from: string; to: string }[];
  /** Whether Clerk Billing answered (plans and subscriptions are skipped when it is not enabled). */
  billing: 'synced' | 'not enabled';
  /** Backend API calls made, and how many of them were retried after a 429 or a transient failure. */
  requests: number;
  retries: number;
  startedAt: number;
  finishedAt: number;
}

export interface SyncOptions {
  /** Rows per Backend API page (Clerk allows up to 500). */
  pageSize?: number;
  /** Subscriptions fetched at once. */
  concurrency?: number;
  /** Attempts per call before giving up (429s and transient failures). */
  attempts?: number;
  /** First backoff delay in ms (doubled each attempt, at most 30 s) when no Retry-After is given. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  log?: (message: string) => void;
}

const zero = (): Counts => ({ created: 0, updated: 0, erased: 0, unchanged: 0 });

function count(counts: Counts, outcome: Outcome) {
  if (outcome === 'created') counts.created++;
  else if (outcome === 'updated') counts.updated++;
  else if (outcome === 'erased') counts.erased++;
  else counts.unchanged++;
}

interface ApiError {
  status?: number;
  retryAfter?: number;
}

const statusOf = (error: unknown) => (error as ApiError | null)?.status;

export async function syncMembers(
  store: MembersStore,
  clerk: SyncClient,
  options: SyncOptions = {},
): Promise<SyncReport> {
  const pageSize = options.pageSize ?? 500;
  const concurrency = options.concurrency ?? 4;
  const attempts = options.attempts ?? 8;
  const backoffMs = options.backoffMs ?? 500;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);

  const report: SyncReport = {
    users: zero(),
    organizations: zero(),
    memberships: zero(),
    plans: zero(),
    subscriptionItems: zero(),
    tierChanges: [],
    billing: 'synced',
    requests: 0,
    retries: 0,
    startedAt: now(),
    finishedAt: 0,
  };
  const started = report.startedAt;

  /** One SDK call, retried on 429 (after Retry-After) and on 5xx or network failures. */
  async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      report.requests++;
      try {
        return await fn();
      } catch (error) {
        const { status, retryAfter } = (error ?? {}) as ApiError;
        const transient = status === undefined || status === 429 || status >= 500;
        if (!transient || attempt >= attempts) throw error;
        report.retries++;
        const delay =
          status === 429 && typeof retryAfter === 'number' && retryAfter >= 0
            ? retryAfter * 1000
            : Math.min(backoffMs * 2 ** (attempt - 1), 30_000) * (0.75 + Math.random() / 2);
        log(`${what}: ${status ?? 'network error'}, retrying in ${Math.round(delay)} ms`);
        await sleep(delay);
      }
    }
  }

  /** Every row of an offset-paginated list. */
  async function* pages<T>(what: string, fetch: (offset: number) => Promise<{ data: T[] }>) {
    for (let offset = 0; ;) {
      const { data } = await call(`${what} (offset ${offset})`, () => fetch(offset));
      if (data.length > 0) yield data;
      if (data.length < pageSize) return;
      offset += data.length;
    }
  }

  /** One transaction: the writes, then the tiers they touch. */
  async function write(counts: Counts, work: (trx: Trx, at: number) => Promise<Applied[]>) {
    const changes = await mirrorTransaction(store, async (trx) => {
      const at = now();
      const applied = await work(trx, at);
      for (const a of applied) count(counts, a.outcome);
      return recomputeTiers(
        trx,
        applied.flatMap((a) => a.affected),
        at,
      );
    });
    report.tierChanges.push(...changes);
  }

  const raw = <T>(resource: unknown) => (resource as { raw: T | null }).raw;
  const versionOf = (resource: { updated_at?: number | null }) =>
    typeof resource.updated_at === 'number' ? resource.updated_at : started;

  // 1. Billing plans: which features each plan includes.
  const plans: { id: string; slug: string; payerType: 'user' | 'org'; features: string[] }[] = [];
  try {
    for (const payerType of ['user', 'org'] as const) {
      for await (const page of pages(`billing plans (${payerType})`, (offset) =>
        clerk.billing.getPlanList({ payerType, limit: pageSize, offset }),
      ))
        for (const plan of page)
          plans.push({
            id: plan.id,
            slug: plan.slug,
            payerType,
            features: (plan.features ?? []).map((f) => f.slug).filter(Boolean),
          });
    }
  } catch (error) {
    // Clerk answers 4xx while Billing is not enabled for the instance.
    const status = statusOf(error);
    if (status === undefined || status >= 500 || status === 401) throw error;
    report.billing = 'not enabled';
    log(`Clerk Billing did not answer (${status}): plans and subscriptions are not synced`);
  }
  if (plans.length > 0)
    await write(report.plans, async (trx, at) => {
      const applied: Applied[] = [];
      for (const plan of plans) applied.push(await applyPlan(trx, plan, at));
      return applied;
    });

  // 2. Organizations.
  const seenOrgs = new Set<string>();
  for await (const page of pages('organizations', (offset) =>
    clerk.organizations.getOrganizationList({ limit: pageSize, offset, orderBy: '+created_at' }),
  )) {
    const orgs = page.map(
      (o) =>
        raw<ClerkOrganization>(o) ?? {
          id: o.id,
          name: o.name,
          slug: o.slug,
          public_metadata: o.publicMetadata,
          updated_at: o.updatedAt,
        },
    );
    for (const org of orgs) seenOrgs.add(org.id);
    await write(report.organizations, async (trx, at) => {
      const applied: Applied[] = [];
      for (const org of orgs) applied.push(await applyOrganization(trx, org, versionOf(org), at));
      return applied;
    });
  }
  const mirroredOrgs = await (
    await store.database()
  )
    .selectFrom('organizations')
    .select('id')
    .where('deleted_at', 'is', null)
    .where('created_at', '<', started)
    .execute();
  for (const { id } of mirroredOrgs.filter((o) => !seenOrgs.has(o.id))) {
    const found = await call(`organization ${id}`, () =>
      clerk.organizations.getOrganization({ organizationId: id }),
    ).catch((error: unknown) => {
      if (statusOf(error) === 404) return null;
      throw error;
    });
    await write(report.organizations, async (trx, at) =>
      found
        ? [await applyOrganization(trx, raw<ClerkOrganization>(found)!, versionOf(raw<ClerkOrganization>(found)!), at)]
        : [await deleteOrganization(trx, id, started, at)],
    );
    if (found) seenOrgs.add(id);
  }

  // 3. Organization memberships, across the instance.
  const seenMemberships = new Set<string>();
  for await (const page of pages('organization memberships', (offset) =>
    clerk.organizations.getInstanceOrganizationMembershipList({ limit: pageSize, offset, orderBy: '+created_at' }),
  )) {
    const memberships = page.map((m) => raw<ClerkMembership>(m)!);
    for (const m of memberships) seenMemberships.add(m.id);
    await write(report.memberships, async (trx, at) => {
      const applied: Applied[] = [];
      for (const m of memberships) applied.push(await applyMembership(trx, m, versionOf(m), at));
      return applied;
    });
  }
  const unseenMemberships = (
    await (
      await store.database()
    )
      .selectFrom('organization_memberships')
      .select(['id', 'user_id'])
      .where('deleted_at', 'is', null)
      .where('created_at', '<', started)
      .execute()
  ).filter((m) => !seenMemberships.has(m.id));
  // Asked for again per user: a membership the list skipped is still there; one that is gone is not.
  for (const userId of new Set(unseenMemberships.map((m) => m.user_id))) {
    const current = await call(`memberships of ${userId}`, () =>
      clerk.users.getOrganizationMembershipList({ userId, limit: pageSize }),
    ).catch((error: unknown) => {
      if (statusOf(error) === 404) return { data: [] };
      throw error;
    });
    const listed = current.data.map((m) => raw<ClerkMembership>(m)!);
    await write(report.memberships, async (trx, at) => {
      const applied: Applied[] = [];
      for (const m of listed) applied.push(await applyMembership(trx, m, versionOf(m), at));
      for (const gone of unseenMemberships.filter((m) => m.user_id === userId && !listed.some((l) => l.id === m.id)))
        applied.push(await deleteMembership(trx, { id: gone.id, userId, organizationId: null }, started, at));
      return applied;
    });
  }

  // 4. Users.
  const seenUsers: string[] = [];
  for await (const page of pages('users', (offset) =>
    clerk.users.getUserList({ limit: pageSize, offset, orderBy: '+created_at' }),
  )) {
    const users = page.map((u) => raw<ClerkUser>(u)!);
    for (const user of users) seenUsers.push(user.id);
    await write(report.users, async (trx, at) => {
      const applied: Applied[] = [];
      for (const user of users) applied.push(await applyUser(trx, user, versionOf(user), at));
      for (const ids of chunks(users.map((u) => u.id)))
        await trx.updateTable('members').set({ synced_at: at }).where('id', 'in', ids).execute();
      return applied;
    });
  }
  const seen = new Set(seenUsers);
  const unseenUsers = (
    await (
      await store.database()
    )
      .selectFrom('members')
      .select('id')
      .where('deleted_at', 'is', null)
      .where('created_at', '<', started)
      .execute()
  ).filter((m) => !seen.has(m.id));
  for (const { id } of unseenUsers) {
    const found = await call(`user ${id}`, () => clerk.users.getUser(id)).catch((error: unknown) => {
      if (statusOf(error) === 404) return null;
      throw error;
    });
    await write(report.users, async (trx, at) => {
      if (!found) return [await eraseUser(trx, id, at)];
      const user = raw<ClerkUser>(found)!;
      return [await applyUser(trx, user, versionOf(user), at)];
    });
    if (found) seen.add(id);
  }

  // 5. Billing subscriptions of every user and organization.
  if (report.billing === 'synced') {
    const payers: SubscriptionItem['payer'][] = [
      ...[...seen].map((id) => ({ type: 'user' as const, id })),
      ...[...seenOrgs].map((id) => ({ type: 'org' as const, id })),
    ];
    let next = 0;
    const worker = async () => {
      while (next < payers.length) {
        const payer = payers[next++]!;
        const subscription = await call(`subscription of ${payer.id}`, () =>
          payer.type === 'user'
            ? clerk.billing.getUserBillingSubscription(payer.id)
            : clerk.billing.getOrganizationBillingSubscription(payer.id),
        ).catch((error: unknown) => {
          if (statusOf(error) === 404) return null;
          throw error;
        });
        const items: { item: SubscriptionItem; version: number }[] = (subscription?.subscriptionItems ?? []).flatMap(
          (item) =>
            item.plan?.slug
              ? [
                  {
                    item: {
                      id: item.id,
                      status: item.status,
                      planId: item.planId ?? item.plan.id ?? null,
                      planSlug: item.plan.slug,
                      payer,
                    },
                    version: typeof item.updatedAt === 'number' ? item.updatedAt : started,
                  },
                ]
              : [],
        );
        await write(report.subscriptionItems, async (trx, at) => {
          const applied: Applied[] = [];
          for (const { item, version } of items) applied.push(await applySubscriptionItem(trx, item, version, at));
          const removed = await removeOtherItems(
            trx,
            payer,
            items.map((i) => i.item.id),
            started,
          );
          if (removed.outcome === 'erased') applied.push(removed);
          return applied;
        });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  }

  // Processed webhook ids older than any retry Clerk makes (Svix retries for about three days).
  await (
    await store.database()
  )
    .deleteFrom('processed_events')
    .where('received_at', '<', started - 30 * 86_400_000)
    .execute();

  report.finishedAt = now();
  return report;
}

/** One line per kind of row, for the command line and the server's log. */
export function describeReport(report: SyncReport): string {
  const line = (name: string, c: Counts) =>
    `${name}: ${c.created} new, ${c.updated} changed, ${c.erased} removed, ${c.unchanged} unchanged`;
  return [
    line('users', report.users),
    line('organizations', report.organizations),
    line('memberships', report.memberships),
    report.billing === 'synced'
      ? `${line('billing plans', report.plans)}; ${line('subscription items', report.subscriptionItems)}`
      : 'billing: not enabled in Clerk, not synced',
    `tiers changed: ${report.tierChanges.length}${report.tierChanges
      .slice(0, 20)
      .map((c) => `\n  ${c.id}: ${c.from} → ${c.to}`)
      .join('')}${report.tierChanges.length > 20 ? `\n  … and ${report.tierChanges.length - 20} more` : ''}`,
    `${report.requests} Backend API requests (${report.retries} retried) in ${((report.finishedAt - report.startedAt) / 1000).toFixed(1)} s`,
  ].join('\n');
}

// --- The schedule ----------------------------------------------------------------------------------

export const SYNC_JOB = 'members-sync';

/**
 * Claims the sync for this process when it is due (never run, or last finished `intervalMs` ago) and no
 * other process holds it: one compare-and-set on the `jobs` row, so workers and replicas run it once.
 */
export async function claimJob(
  store: MembersStore,
  {
    name,
    holder,
    intervalMs,
    leaseMs,
    now,
  }: { name: string; holder: string; intervalMs: number; leaseMs: number; now: number },
): Promise<boolean> {
  const db = await store.database();
  await db
    .insertInto('jobs')
    .values({ name })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const result = await db
    .updateTable('jobs')
    .set({ lease_holder: holder, lease_until: now + leaseMs, last_started_at: now })
    .where('name', '=', name)
    .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
    .where((eb) => eb.or([eb('last_finished_at', 'is', null), eb('last_finished_at', '<=', now - intervalMs)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function finishJob(store: MembersStore, name: string, holder: string, outcome: unknown, now: number) {
  const db = await store.database();
  await db
    .updateTable('jobs')
    .set({ lease_holder: null, lease_until: null, last_finished_at: now, last_outcome: JSON.stringify(outcome) })
    .where('name', '=', name)
    .where('lease_holder', '=', holder)
    .execute();
}

/** When the last sync finished and what it reported (the editor's members page shows it). */
export async function lastSync(
  store: MembersStore,
): Promise<{ finishedAt: number; outcome: { error?: string; tierChanges?: number } | null } | null> {
  const db = await store.database();
  const row = await db
    .selectFrom('jobs')
    .select(['last_finished_at', 'last_outcome'])
    .where('name', '=', SYNC_JOB)
    .executeTakeFirst();
  if (!row?.last_finished_at) return null;
  let outcome: { error?: string; tierChanges?: number } | null = null;
  try {
    outcome = row.last_outcome ? (JSON.parse(row.last_outcome) as typeof outcome) : null;
  } catch {
    outcome = null;
  }
  return { finishedAt: row.last_finished_at, outcome };
}

export interface ScheduleOptions {
  minutes: number;
  log: (message: string, level?: 'info' | 'error') => void;
  /** How often to check whether a run is due (the run itself happens every `minutes`). */
  tickMs?: number;
  sync?: SyncOptions;
}

/** Runs the sync every `minutes` (checked each minute, claimed through the `jobs` row). Returns a stop function. */
export function scheduleSync(store: MembersStore, clerk: SyncClient, options: ScheduleOptions): () => void {
  const holder = `${hostname()}:${process.pid}`;
  const intervalMs = options.minutes * 60_000;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    const now = Date.now();
    try {
      if (
        !(await claimJob(store, {
          name: SYNC_JOB,
          holder,
          intervalMs,
          // A run that dies leaves its claim to expire.
          leaseMs: Math.max(intervalMs, 15 * 60_000),
          now,
        }))
      )
        return;
      try {
        const report = await syncMembers(store, clerk, {
          log: (m) => options.log(`members sync: ${m}`),
          ...options.sync,
        });
        options.log(`members sync: ${describeReport(report).replace(/\n\s*/g, '; ')}`);
        const { tierChanges, ...counts } = report;
        await finishJob(store, SYNC_JOB, holder, { ...counts, tierChanges: tierChanges.length }, Date.now());
      } catch (error) {
        options.log(`members sync failed: ${(error as Error).message}`, 'error');
        await finishJob(store, SYNC_JOB, holder, { error: (error as Error).message }, Date.now());
      }
    } catch (error) {
      // The store is down: the next tick tries again.
      options.log(`members sync not started: ${(error as Error).message}`, 'error');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), 1000);
  const timer = setInterval(() => void tick(), options.tickMs ?? 60_000);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
