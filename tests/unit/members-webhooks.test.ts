/**
 * Clerk's webhooks into the mirror (src/members/webhooks.ts), on SQLite and (with
 * GATEPOST_TEST_DATABASE_URL) PostgreSQL: requests signed the Svix way and checked by Clerk's own
 * verifier, then the mirror as the editor's list reads it. The same route over HTTP, against the built
 * server (crash mid-event, bursts over the wire), is tests/integration/members-webhooks.test.ts.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, mirrorTransaction } from '../../src/members/mirror';
import { countByTier, listMembers } from '../../src/members/queries/members';
import { openStore, type MembersStore } from '../../src/members/store';
import { receiveClerkWebhook } from '../../src/members/webhooks';
import { createTestDatabase, STORE_KINDS, type TestDatabase } from '../support/databases';
import {
  clerkEvent,
  membershipJson,
  newSigningSecret,
  organizationJson,
  subscriptionItemJson,
  svixHeaders,
  userJson,
  type ClerkEventEnvelope,
} from '../support/svix';

const URL_ = 'https://gatepost.example/api/webhooks/clerk';

describe.each(STORE_KINDS)('Clerk webhooks on %s', (kind) => {
  let database: TestDatabase;
  let store: MembersStore;
  const secret = newSigningSecret();

  beforeEach(async () => {
    database = await createTestDatabase(kind);
    store = openStore(database.config);
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  async function send(
    event: ClerkEventEnvelope | string,
    options: { id?: string; timestamp?: number; secret?: string; headers?: Record<string, string> } = {},
  ) {
    const body = typeof event === 'string' ? event : JSON.stringify(event);
    const headers = {
      ...svixHeaders(options.secret ?? secret, body, {
        ...(options.id ? { id: options.id } : {}),
        ...(options.timestamp ? { timestamp: options.timestamp } : {}),
      }),
      ...options.headers,
    };
    const response = await receiveClerkWebhook(new Request(URL_, { method: 'POST', headers, body }), {
      signingSecret: secret,
      store,
      log: () => undefined,
    });
    return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, string> };
  }

  const member = async (id: string) =>
    (await store.db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  const countRows = async (table: 'members' | 'processed_events' | 'organization_memberships') =>
    Number(
      (
        await store.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('applies a valid user.created: email, names and public metadata, nothing else', async () => {
    const created = await send(
      clerkEvent(
        'user.created',
        userJson('user_a', { email: 'ada@example.test', publicMetadata: { tier: 'premium' } }),
      ),
    );
    expect(created).toEqual({ status: 200, body: { status: 'applied' } });
    const row = await member('user_a');
    expect(row).toMatchObject({
      email: 'ada@example.test',
      first_name: 'Ada',
      last_name: 'Reader',
      tier: 'premium',
      deleted_at: null,
    });
    expect(JSON.parse(row!.tier_sources)).toEqual([{ kind: 'user-metadata' }]);
    expect(row!.last_event_at).toBeGreaterThan(Date.now() - 60_000);
    // Private and unsafe metadata are never stored.
    expect(JSON.stringify(row)).not.toMatch(/never stored/);
    expect(JSON.parse(row!.public_metadata)).toEqual({ tier: 'premium' });
  });

  it('answers 404 and stores nothing without a signing secret', async () => {
    const body = JSON.stringify(clerkEvent('user.created', userJson('user_a')));
    const response = await receiveClerkWebhook(
      new Request(URL_, { method: 'POST', headers: svixHeaders(secret, body), body }),
      { signingSecret: undefined, store },
    );
    expect(response.status).toBe(404);
    expect(await countRows('members')).toBe(0);
  });

  it('refuses forged, tampered, stale, oversized and unreadable requests with a 4xx, storing nothing', async () => {
    const event = clerkEvent('user.created', userJson('user_forged', { publicMetadata: { tier: 'premium' } }));
    const body = JSON.stringify(event);
    expect((await send(event, { secret: newSigningSecret() })).status).toBe(400);
    // Signed, then changed on the way.
    const tampered = await receiveClerkWebhook(
      new Request(URL_, { method: 'POST', headers: svixHeaders(secret, body), body: body.replace('Ada', 'Eve') }),
      { signingSecret: secret, store },
    );
    expect(tampered.status).toBe(400);
    for (const missing of ['svix-id', 'svix-timestamp', 'svix-signature']) {
      const headers = svixHeaders(secret, body);
      delete headers[missing];
      const response = await receiveClerkWebhook(new Request(URL_, { method: 'POST', headers, body }), {
        signingSecret: secret,
        store,
      });
      expect(response.status, missing).toBe(400);
    }
    // Outside Svix's five-minute tolerance, either way.
    expect((await send(event, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(400);
    expect((await send(event, { timestamp: Math.floor(Date.now() / 1000) + 600 })).status).toBe(400);
    // Signed correctly, but not JSON.
    expect((await send('{"type": "user.created", ')).status).toBe(400);
    // Signed JSON that is not an event we can read.
    expect((await send(clerkEvent('user.created', { object: 'user' }))).status).toBe(400);
    expect((await send(JSON.stringify({ ...event, type: '' }))).status).toBe(400);
    // Too large, whatever the signature says.
    const huge = clerkEvent('user.created', { ...userJson('user_huge'), padding: 'x'.repeat(300 * 1024) });
    expect((await send(huge)).status).toBe(413);
    expect(await countRows('members')).toBe(0);
    expect(await countRows('processed_events')).toBe(0);
  });

  it('applies a replayed event (the same svix-id) once', async () => {
    const event = clerkEvent('user.created', userJson('user_r', { publicMetadata: { tier: 'members' } }));
    expect((await send(event, { id: 'msg_same' })).body.status).toBe('applied');
    // Meanwhile the member became premium.
    await send(clerkEvent('user.updated', userJson('user_r', { publicMetadata: { tier: 'premium' } })));
    expect((await send(event, { id: 'msg_same' })).body).toEqual({ status: 'duplicate' });
    expect((await member('user_r'))!.tier).toBe('premium');
    expect(await countRows('processed_events')).toBe(2);
  });

  it('never lets an older event overwrite newer data', async () => {
    const t = Date.now();
    await send(clerkEvent('user.updated', userJson('user_o', { publicMetadata: { tier: 'premium' }, updatedAt: t })));
    const late = await send(
      clerkEvent('user.updated', userJson('user_o', { publicMetadata: {}, email: 'old@x.test', updatedAt: t - 5000 })),
    );
    expect(late.body.status).toBe('applied');
    expect(await member('user_o')).toMatchObject({ tier: 'premium', email: 'user_o@example.test' });

    // A membership removed, then its creation arriving late: it stays removed.
    const org = organizationJson('org_p', { publicMetadata: { tier: 'premium' }, updatedAt: t });
    await send(clerkEvent('organizationMembership.deleted', membershipJson('orgmem_1', org, 'user_o'), t));
    await send(
      clerkEvent(
        'organizationMembership.created',
        membershipJson('orgmem_1', org, 'user_o', { updatedAt: t - 1000 }),
        t - 1000,
      ),
    );
    const memberships = await store.db.selectFrom('organization_memberships').selectAll().execute();
    expect(memberships.map((m) => m.deleted_at !== null)).toEqual([true]);

    // An organization's older metadata does not replace its newer metadata.
    await send(
      clerkEvent(
        'organization.updated',
        organizationJson('org_q', { publicMetadata: { tier: 'premium' }, updatedAt: t }),
      ),
    );
    await send(clerkEvent('organization.updated', organizationJson('org_q', { publicMetadata: {}, updatedAt: t - 1 })));
    const orgRow = await store.db.selectFrom('organizations').selectAll().where('id', '=', 'org_q').executeTakeFirst();
    expect(JSON.parse(orgRow!.public_metadata)).toEqual({ tier: 'premium' });
  });

  it('follows organizations: metadata, membership and deletion change the member’s tier', async () => {
    const t = Date.now();
    await send(clerkEvent('user.created', userJson('user_m', { updatedAt: t - 10_000 })));
    const org = organizationJson('org_press', { publicMetadata: { tier: 'premium' }, updatedAt: t - 5000 });
    await send(
      clerkEvent('organizationMembership.created', membershipJson('orgmem_m', org, 'user_m', { updatedAt: t - 5000 })),
    );
    let row = await member('user_m');
    expect(row!.tier).toBe('premium');
    expect(JSON.parse(row!.tier_sources)).toEqual([
      { kind: 'organization-metadata', orgId: 'org_press', organization: { id: 'org_press', slug: 'press' } },
    ]);
    await send(
      clerkEvent('organization.updated', organizationJson('org_press', { publicMetadata: {}, updatedAt: t - 4000 })),
    );
    expect((await member('user_m'))!.tier).toBe('members');
    await send(
      clerkEvent(
        'organization.updated',
        organizationJson('org_press', { publicMetadata: { tier: 'premium' }, updatedAt: t - 3000 }),
      ),
    );
    expect((await member('user_m'))!.tier).toBe('premium');
    await send(clerkEvent('organization.deleted', { object: 'organization', id: 'org_press', deleted: true }, t));
    row = await member('user_m');
    expect(row!.tier).toBe('members');
  });

  it('follows Clerk Billing: a user’s plan and an organization’s plan, granted while active', async () => {
    await mirrorTransaction(store, async (trx) => {
      await applyPlan(
        trx,
        { id: 'cplan_premium', slug: 'premium', payerType: 'user', features: ['premium_articles'] },
        Date.now(),
      );
      await applyPlan(trx, { id: 'cplan_team', slug: 'team', payerType: 'org', features: [] }, Date.now());
    });
    const t = Date.now();
    await send(clerkEvent('user.created', userJson('user_b')));
    await send(
      clerkEvent(
        'subscriptionItem.active',
        subscriptionItemJson('csi_1', { plan: 'premium', payer: { userId: 'user_b' } }),
        t,
      ),
    );
    let row = await member('user_b');
    expect(row!.tier).toBe('premium');
    expect(JSON.parse(row!.tier_sources)).toEqual([
      { kind: 'billing-plan', plan: 'premium' },
      { kind: 'billing-feature', feature: 'premium_articles' },
    ]);
    // A late event from before the plan became active changes nothing; its end does.
    await send(
      clerkEvent(
        'subscriptionItem.upcoming',
        subscriptionItemJson('csi_1', { plan: 'premium', status: 'upcoming', payer: { userId: 'user_b' } }),
        t - 60_000,
      ),
    );
    expect((await member('user_b'))!.tier).toBe('premium');
    await send(
      clerkEvent(
        'subscriptionItem.ended',
        subscriptionItemJson('csi_1', { plan: 'premium', status: 'ended', payer: { userId: 'user_b' } }),
        t + 1,
      ),
    );
    expect((await member('user_b'))!.tier).toBe('members');

    // An organization's subscription, as the subscription.* event lists its items.
    const org = organizationJson('org_team');
    await send(clerkEvent('user.created', userJson('user_c')));
    await send(clerkEvent('organizationMembership.created', membershipJson('orgmem_c', org, 'user_c')));
    await send(
      clerkEvent('subscription.updated', {
        object: 'commerce_subscription',
        id: 'csub_1',
        status: 'active',
        payer_id: 'cpayer_org_team',
        payer: { user_id: undefined, organization_id: 'org_team', email: 'x@example.test' },
        items: [subscriptionItemJson('csi_org', { plan: 'team', payer: { organizationId: 'org_team' } })],
        created_at: t,
        updated_at: t,
      }),
    );
    row = await member('user_c');
    expect(row!.tier).toBe('premium');
    expect(JSON.parse(row!.tier_sources)).toEqual([
      { kind: 'billing-plan', plan: 'o:team', organization: { id: 'org_team', slug: 'team' } },
    ]);
  });

  it('user.deleted erases the member’s personal data and keeps only an opaque id', async () => {
    const t = Date.now();
    await send(
      clerkEvent(
        'user.created',
        userJson('user_d', { email: 'doomed@example.test', publicMetadata: { tier: 'premium' }, updatedAt: t }),
      ),
    );
    await send(
      clerkEvent('organizationMembership.created', membershipJson('orgmem_d', organizationJson('org_d'), 'user_d')),
    );
    await send(clerkEvent('user.deleted', { object: 'user', id: 'user_d', deleted: true }, t + 1));
    const row = await member('user_d');
    expect(row).toMatchObject({ id: 'user_d', email: null, first_name: null, last_name: null, public_metadata: '{}' });
    expect(row!.deleted_at).not.toBeNull();
    expect(await countRows('organization_memberships')).toBe(0);
    // Nothing brings the data back, however late or new the event.
    await send(clerkEvent('user.updated', userJson('user_d', { email: 'doomed@example.test', updatedAt: t + 10 })));
    await send(
      clerkEvent('organizationMembership.created', membershipJson('orgmem_d2', organizationJson('org_d'), 'user_d')),
    );
    expect((await member('user_d'))!.email).toBeNull();
    expect(await countRows('organization_memberships')).toBe(0);
    const everything = JSON.stringify(await store.db.selectFrom('members').selectAll().execute());
    expect(everything).not.toContain('doomed@example.test');
    expect((await listMembers(store)).total).toBe(0);
    expect(await countByTier(store)).toEqual({ public: 0, members: 0, premium: 0 });
  });

  it('takes a burst of 1,000 events at once, applying each exactly once', async () => {
    const events = Array.from({ length: 1000 }, (_, i) =>
      clerkEvent(
        'user.created',
        userJson(`user_burst_${i}`, { publicMetadata: i % 4 === 0 ? { tier: 'premium' } : {} }),
      ),
    );
    const ids = events.map((_, i) => `msg_burst_${i}`);
    // All at once, as Clerk may deliver them. On a busy machine a PostgreSQL pool of 5 cannot give every
    // handler a connection within its wait: those answer 503 and Clerk delivers them again (same svix-id),
    // as here. What matters: no event is refused for good (no 500, no 4xx), each is applied exactly once.
    let pending = events.map((event, i) => ({ event, id: ids[i]! }));
    for (let round = 0; round < 10 && pending.length; round++) {
      const results = await Promise.all(pending.map(({ event, id }) => send(event, { id })));
      const refused = results.filter((r) => r.status !== 200).map((r) => r.status);
      expect(refused).toEqual(refused.map(() => 503));
      // A first delivery is applied; a redelivery after a 503 is applied, or a duplicate if it had been.
      const answers = new Set(results.filter((r) => r.status === 200).map((r) => r.body.status));
      expect([...answers].every((a) => a === 'applied' || (round > 0 && a === 'duplicate'))).toBe(true);
      pending = pending.filter((_, i) => results[i]!.status !== 200);
    }
    expect(pending).toHaveLength(0);
    expect(await countRows('processed_events')).toBe(1000);
    // Clerk retrying all of them at once changes nothing.
    const again = [];
    for (const [i, event] of events.slice(0, 200).entries()) again.push(await send(event, { id: ids[i]! }));
    expect(again.every((r) => r.body.status === 'duplicate')).toBe(true);
    expect(await countByTier(store)).toEqual({ public: 0, members: 750, premium: 250 });
  }, 180_000);

  it('a handler that fails answers 500 and leaves nothing half-written', async () => {
    // The tier step cannot read the plan catalogue: the event fails after its first writes.
    await sql`drop table billing_plans`.execute(store.db);
    const result = await send(clerkEvent('user.created', userJson('user_f')));
    expect(result.status).toBe(500);
    expect(await countRows('members')).toBe(0);
    expect(await countRows('processed_events')).toBe(0);
  });

  it('acknowledges event types it does not keep, storing nothing', async () => {
    const result = await send(clerkEvent('session.created', { object: 'session', id: 'sess_1', user_id: 'user_x' }));
    expect(result).toEqual({ status: 200, body: { status: 'ignored' } });
    expect(await countRows('processed_events')).toBe(0);
  });
});

describe('Clerk webhooks without a store', () => {
  it('answer 503 (Clerk retries) when the store cannot be reached', async () => {
    const secret = newSigningSecret();
    const store = openStore({ kind: 'postgres', url: 'postgres://gp:gp@127.0.0.1:9/none', poolSize: 1 });
    try {
      const body = JSON.stringify(clerkEvent('user.created', userJson('user_x')));
      const response = await receiveClerkWebhook(
        new Request(URL_, { method: 'POST', headers: svixHeaders(secret, body), body }),
        { signingSecret: secret, store, log: () => undefined },
      );
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('30');
    } finally {
      await store.close();
    }
  });
});
