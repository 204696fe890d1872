/**
 * The one entitlement rule, end to end through Clerk's SDK on both sides, over accounts the stand-in
 * produces (property, fast-check): metadata tiers and roles, Clerk Billing plans, organizations with a
 * plan or with metadata, member and admin roles. The record side is what the members sync makes of the
 * stand-in's Backend API (`createClerkClient`, the real SDK); the session side is each token the stand-in
 * mints for that account (no organization active, then each of its organizations), verified by Clerk's
 * `authenticateRequest` and read by the gate (`viewerFromAuth`). The record's tier must be the best the
 * reader can get from a session.
 */
import { createClerkClient } from '@clerk/backend';
import { DEMO_PLANS, startStandin, subscribe, type Standin } from '@gatepost/clerk-standin';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WEBHOOK_PATH } from '../../tools/demo.ts';
import { accessRank, type AccessLevel } from '../../src/gate/membership';
import { viewerFromAuth } from '../../src/gate/viewer';
import { openStore, type MembersStore } from '../../src/members/store';
import { syncMembers } from '../../src/members/sync';
import { PATHS } from '../../src/site/paths';
import { sessionCookie } from '../support/clerk-session';
import { createTestDatabase, type TestDatabase } from '../support/databases';

const ORIGIN = 'http://127.0.0.1:4321';

it('the demo posts the stand-in’s webhooks to the site’s webhook route', () => {
  expect(DEMO_WEBHOOK_PATH).toBe(PATHS.clerkWebhook);
});

describe('a member record and its sessions agree (stand-in accounts, Clerk’s SDK both ways)', () => {
  let standin: Standin;
  let database: TestDatabase;
  let store: MembersStore;

  beforeAll(async () => {
    standin = await startStandin({ publicHost: '127.0.0.1' });
    const { instance } = standin;
    // Organizations beside the seeded Acme (team plan): one whose metadata grants each tier, one plain.
    for (const [slug, metadata] of [
      ['premium-meta', { tier: 'premium' }],
      ['members-meta', { tier: 'members' }],
      ['plain', {}],
    ] as const) {
      const id = `org_prop_${slug.replace('-', '_')}`;
      instance.organizations.set(id, {
        id,
        name: slug,
        slug,
        publicMetadata: { ...metadata },
        plans: [],
        invitations: [],
        membersCount: 0,
        createdAt: Date.now(),
      });
    }
    database = await createTestDatabase('sqlite');
    store = openStore(database.config);
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    await database?.drop();
    await standin?.stop();
  });

  const metadataArb = fc.record(
    {
      tier: fc.constantFrom<unknown>('members', 'premium', 'public', 'gold', 7, null),
      roles: fc.constantFrom<unknown>(['editor'], [], 'editor'),
    },
    { requiredKeys: [] },
  );
  const accountArb = fc.record({
    metadata: metadataArb,
    plan: fc.constantFrom('free_user', 'premium'),
    organizations: fc.uniqueArray(
      fc.record({
        id: fc.constantFrom('org_standin_acme', 'org_prop_premium_meta', 'org_prop_members_meta', 'org_prop_plain'),
        role: fc.constantFrom('org:member', 'org:admin'),
      }),
      { selector: (o) => o.id, maxLength: 3 },
    ),
  });

  let n = 0;
  it('for every generated account', async () => {
    const { instance, apiUrl } = standin;
    const clerk = createClerkClient({ secretKey: instance.keys.secretKey, apiUrl });
    const verifier = createClerkClient({
      publishableKey: instance.keys.publishableKey,
      secretKey: instance.keys.secretKey,
    });
    const db = await store.database();

    async function sessionTier(sessionToken: string): Promise<AccessLevel> {
      const state = await verifier.authenticateRequest(
        new Request(`${ORIGIN}/members/x/`, { headers: { cookie: sessionCookie(sessionToken) } }),
        { jwtKey: instance.keys.jwtKey, authorizedParties: [ORIGIN] },
      );
      const viewer = viewerFromAuth(state.toAuth() as Parameters<typeof viewerFromAuth>[0]);
      if (viewer.kind !== 'member') throw new Error(`token not accepted: ${state.reason ?? ''}`);
      return viewer.tier;
    }

    await fc.assert(
      fc.asyncProperty(fc.array(accountArb, { minLength: 1, maxLength: 3 }), async (generated) => {
        const accounts = generated.map((g) => {
          const account = instance.createAccount({ email: `prop-${n++}@gatepost.test`, publicMetadata: g.metadata });
          if (g.plan !== 'free_user')
            subscribe(
              instance,
              account,
              DEMO_PLANS.find((p) => p.slug === g.plan)!,
            );
          for (const { id, role } of g.organizations) {
            const organization = instance.organizations.get(id)!;
            account.memberships.push({ id: `orgmem_prop_${n++}`, organization, role, createdAt: Date.now() });
          }
          return account;
        });
        await syncMembers(store, clerk, { pageSize: 50 });

        for (const account of accounts) {
          const session = instance.startSession(instance.createClient(), account);
          const tiers: AccessLevel[] = [];
          for (const orgId of [null, ...account.memberships.map((m) => m.organization.id)])
            tiers.push(await sessionTier(instance.mintToken(session, ORIGIN, orgId)));
          const best = tiers.reduce((a, b) => (accessRank(b) > accessRank(a) ? b : a));
          const row = await db.selectFrom('members').select('tier').where('id', '=', account.id).executeTakeFirst();
          expect(
            row?.tier,
            `${account.email}: ${JSON.stringify(account.publicMetadata)}, plans ${account.plans}, orgs ${account.memberships.map((m) => m.organization.slug)}`,
          ).toBe(best);
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 40) },
    );
  }, 120_000);
});
