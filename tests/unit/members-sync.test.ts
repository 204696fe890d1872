/**
 * The members sync (src/members/sync.ts) through Clerk's real SDK against a local Backend API
 * (tests/support/clerk-backend.ts), on SQLite and (with GATEPOST_TEST_DATABASE_URL) PostgreSQL: a first
 * sync fills the mirror, a second changes nothing, a sync repairs a mirror that missed events, 429s are
 * waited out, Billing may be off, and a newer webhook is never overwritten by an older list.
 */
import { createClerkClient } from '@clerk/backend';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mirrorTransaction, applyUser } from '../../src/members/mirror';
import { countByTier } from '../../src/members/queries/members';
import { openStore, type MembersStore } from '../../src/members/store';
import { claimJob, describeReport, finishJob, lastSync, syncMembers, SYNC_JOB } from '../../src/members/sync';
import { recomputeTiers } from '../../src/members/tier';
import { startClerkBackend, type BackendData, type RunningBackend } from '../support/clerk-backend';
import { createTestDatabase, STORE_KINDS, type TestDatabase } from '../support/databases';

const T0 = Date.UTC(2026, 0, 1);

/** An instance with 130 users (three pages of 50), organizations, memberships and Billing. */
function instance(): BackendData {
  const users = Array.from({ length: 130 }, (_, i) => ({
    id: `user_${String(i).padStart(3, '0')}`,
    email: `reader${i}@example.test`,
    firstName: `Reader${i}`,
    createdAt: T0 + i * 1000,
    publicMetadata: i === 0 ? { tier: 'premium', roles: ['editor'] } : {},
  }));
  return {
    users,
    organizations: [
      { id: 'org_acme', slug: 'acme' },
      { id: 'org_press', slug: 'press', publicMetadata: { tier: 'premium' } },
    ],
    memberships: [
      { id: 'orgmem_1', organizationId: 'org_acme', userId: 'user_001' },
      { id: 'orgmem_2', organizationId: 'org_press', userId: 'user_002' },
      { id: 'orgmem_3', organizationId: 'org_acme', userId: 'user_003', permissions: ['org:articles:edit'] },
    ],
    plans: [
      { id: 'cplan_premium', slug: 'premium', payerType: 'user', features: ['premium_articles'] },
      { id: 'cplan_free', slug: 'free_user', payerType: 'user', features: [] },
      { id: 'cplan_team', slug: 'team', payerType: 'org', features: ['articles'] },
    ],
    subscriptions: {
      user_004: [{ id: 'csi_4', planId: 'cplan_premium', status: 'active' }],
      user_005: [{ id: 'csi_5', planId: 'cplan_free', status: 'active' }],
      org_acme: [{ id: 'csi_acme', planId: 'cplan_team', status: 'active' }],
    },
  };
}

describe.each(STORE_KINDS)('members sync on %s', (kind) => {
  let database: TestDatabase;
  let store: MembersStore;
  let backend: RunningBackend;
  const sleeps: number[] = [];
  const sync = () =>
    syncMembers(store, createClerkClient({ secretKey: backend.secretKey, apiUrl: backend.url }), {
      pageSize: 50,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
  const tierOf = async (id: string) =>
    (await store.db.selectFrom('members').select('tier').where('id', '=', id).executeTakeFirst())?.tier;

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    store = openStore(database.config);
    await store.migrate();
    backend = await startClerkBackend(instance());
    sleeps.length = 0;
  });
  afterEach(async () => {
    await backend.stop();
    await store.close();
    await database.drop();
  });

  it('fills an empty mirror, page by page, with every tier computed', async () => {
    const report = await sync();
    expect(report.users).toEqual({ created: 130, updated: 0, erased: 0, unchanged: 0 });
    expect(report.organizations.created).toBe(2);
    expect(report.memberships.created).toBe(3);
    expect(report.plans.created).toBe(3);
    expect(report.subscriptionItems.created).toBe(3);
    expect(report.billing).toBe('synced');
    // user_000 metadata, user_002 organization metadata, user_004 plan, user_001 and _003 the o:team plan.
    expect(await countByTier(store)).toEqual({ public: 0, members: 125, premium: 5 });
    for (const id of ['user_000', 'user_001', 'user_002', 'user_003', 'user_004'])
      expect(await tierOf(id), id).toBe('premium');
    expect(await tierOf('user_005')).toBe('members');
    const editors = await store.db.selectFrom('members').select('id').where('editor', '=', 1).orderBy('id').execute();
    expect(editors.map((e) => e.id)).toEqual(['user_000', 'user_003']);
    // Three pages of users, each listed with Clerk's own count request beside it.
    expect(backend.requests.filter((p) => p === '/v1/users')).toHaveLength(3);
    expect(describeReport(report)).toMatch(/users: 130 new/);
  });

  it('changes nothing when run again', async () => {
    await sync();
    const report = await sync();
    expect(report.users).toEqual({ created: 0, updated: 0, erased: 0, unchanged: 130 });
    expect(report.tierChanges).toEqual([]);
  });

  it('repairs a mirror that missed webhooks, and says what it changed', async () => {
    await sync();
    const later = T0 + 86_400_000;
    const data = backend.data;
    // Changes in Clerk whose webhooks never arrived:
    data.users.find((u) => u.id === 'user_010')!.publicMetadata = { tier: 'premium' };
    data.users.find((u) => u.id === 'user_010')!.updatedAt = later;
    data.users.find((u) => u.id === 'user_011')!.email = 'renamed@example.test';
    data.users.find((u) => u.id === 'user_011')!.updatedAt = later;
    data.users = data.users.filter((u) => u.id !== 'user_000'); // deleted
    data.users.push({ id: 'user_new', email: 'new@example.test', createdAt: later });
    data.memberships = data.memberships.filter((m) => m.id !== 'orgmem_2'); // left the press
    data.subscriptions.user_004 = [{ id: 'csi_4', planId: 'cplan_premium', status: 'ended', updatedAt: later }];
    data.organizations[0]!.publicMetadata = { note: 'changed' };
    data.organizations[0]!.updatedAt = later;

    const report = await sync();
    expect(report.users).toMatchObject({ created: 1, updated: 2, erased: 1 });
    expect(report.memberships.erased).toBe(1);
    expect(report.organizations.updated).toBe(1);
    expect(report.subscriptionItems.updated).toBe(1);
    expect(new Map(report.tierChanges.map((c) => [c.id, `${c.from}→${c.to}`]))).toEqual(
      new Map([
        ['user_002', 'premium→members'],
        ['user_004', 'premium→members'],
        ['user_010', 'members→premium'],
      ]),
    );
    const deleted = await store.db.selectFrom('members').selectAll().where('id', '=', 'user_000').executeTakeFirst();
    expect(deleted).toMatchObject({ email: null, first_name: null });
    expect(deleted!.deleted_at).not.toBeNull();
    expect(
      (await store.db.selectFrom('members').select('email').where('id', '=', 'user_011').executeTakeFirst())!.email,
    ).toBe('renamed@example.test');
    expect(await tierOf('user_new')).toBe('members');
  });

  it('waits out rate limits (429 with Retry-After) and finishes', async () => {
    backend.rateLimit(3, 2);
    const report = await sync();
    expect(report.retries).toBe(3);
    expect(sleeps).toEqual([2000, 2000, 2000]);
    expect(report.users.created).toBe(130);
  });

  it('syncs people and organizations when Clerk Billing is not enabled', async () => {
    delete backend.data.plans;
    const report = await sync();
    expect(report.billing).toBe('not enabled');
    expect(report.users.created).toBe(130);
    expect(backend.requests.some((p) => p.endsWith('/billing/subscription'))).toBe(false);
  });

  it('never overwrites what a newer webhook wrote', async () => {
    const newer = T0 + 10 * 86_400_000;
    await mirrorTransaction(store, async (trx) => {
      const applied = await applyUser(
        trx,
        {
          id: 'user_007',
          email_addresses: [{ id: 'e', email_address: 'fresh@example.test' }],
          primary_email_address_id: 'e',
          public_metadata: { tier: 'premium' },
        },
        newer,
        Date.now(),
      );
      await recomputeTiers(trx, applied.affected);
    });
    await sync();
    const row = await store.db.selectFrom('members').selectAll().where('id', '=', 'user_007').executeTakeFirst();
    expect(row).toMatchObject({ email: 'fresh@example.test', tier: 'premium', clerk_updated_at: newer });
  });

  it('runs once at a time across processes, and records its last run', async () => {
    const now = Date.now();
    const claim = (holder: string, at = now) =>
      claimJob(store, { name: SYNC_JOB, holder, intervalMs: 60_000, leaseMs: 600_000, now: at });
    expect(await claim('a')).toBe(true);
    expect(await claim('b')).toBe(false);
    await finishJob(store, SYNC_JOB, 'a', { tierChanges: 2 }, now + 1000);
    // Not due again until the interval has passed since it finished.
    expect(await claim('b', now + 2000)).toBe(false);
    expect(await claim('b', now + 62_000)).toBe(true);
    expect(await lastSync(store)).toEqual({ finishedAt: now + 1000, outcome: { tierChanges: 2 } });
  });
});
