/**
 * The send ledger on SQLite and (with GATEPOST_TEST_DATABASE_URL) PostgreSQL: the audience frozen at
 * queue time, one send per (article, newsletter) even when two queue at once, batches through
 * pending → sending → sent | failed, orphaned batches becoming uncertain and re-sent only on request,
 * unsubscribes and suppressions honoured at claim time, and the sender's lease.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  claimBatch,
  claimSenderLease,
  countSubscribers,
  listSends,
  listSuppressions,
  markOrphansUncertain,
  queueSend,
  recordBatch,
  retryBatches,
  sendState,
  setSubscription,
  subscribeNewMember,
  type DeliveryResult,
} from '../../src/members/queries/newsletters';
import { openStore, type MembersStore } from '../../src/members/store';
import { holderIsGone } from '../../src/newsletters/sender';
import { hostname } from 'node:os';
import { createTestDatabase, STORE_KINDS, type TestDatabase } from '../support/databases';

const NL = 'gatepost-weekly';
const T0 = 1_700_000_000_000;

async function addMembers(store: MembersStore, n: number, tier = 'members', from = 0) {
  const db = await store.database();
  for (let i = from; i < from + n; i++) {
    const id = `user_${String(i).padStart(5, '0')}`;
    await db
      .insertInto('members')
      .values({ id, email: `m${i}@example.test`, tier: i % 2 ? 'premium' : tier, created_at: T0, updated_at: T0 })
      .execute();
    await subscribeNewMember(db, id, [NL], T0);
  }
}

const queue = (store: MembersStore, article = 'a-post', batchSize = 10) =>
  queueSend(store, {
    article,
    newsletter: NL,
    subject: 'A post',
    trigger: 'editor',
    requestedBy: 'user_editor',
    bodies: '{}',
    siteOrigin: 'https://gatepost.example',
    now: T0,
    batchSize,
  });

const allSent = (batch: { recipients: { memberId: string }[] }): DeliveryResult[] =>
  batch.recipients.map((r) => ({ memberId: r.memberId, status: 'sent', messageId: `<${r.memberId}@x>` }));

describe.each(STORE_KINDS)('the send ledger on %s', (kind) => {
  let database: TestDatabase;
  let store: MembersStore;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
    store = openStore(database.config);
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  it('freezes the audience at queue time: later sign-ups are not added, unsubscribes before their batch are skipped', async () => {
    await addMembers(store, 25);
    const queued = await queue(store);
    expect(queued).toMatchObject({ status: 'queued', total: 25, batches: 3 });
    await addMembers(store, 5, 'members', 100);
    await setSubscription(store, {
      memberId: 'user_00024',
      newsletter: NL,
      subscribed: false,
      source: 'account',
      now: T0,
    });
    const seen = new Set<string>();
    let skipped = 0;
    for (;;) {
      const batch = await claimBatch(store, 'me', T0);
      if (!batch) break;
      skipped += batch.skipped;
      for (const r of batch.recipients) seen.add(r.memberId);
      expect(await recordBatch(store, batch, 'me', allSent(batch), { now: T0, retryAt: T0, maxAttempts: 3 })).toBe(
        'sent',
      );
    }
    expect(seen.size).toBe(24);
    expect(seen.has('user_00024')).toBe(false);
    expect(seen.has('user_00100')).toBe(false);
    expect(skipped).toBe(1);
    const [summary] = await listSends(store);
    expect(summary).toMatchObject({ state: 'sent', total: 25, sent: 24, skipped: 1 });
    expect(summary!.finishedAt).toBe(T0);
  });

  it('never queues the same article twice for a newsletter, even when two requests race', async () => {
    await addMembers(store, 30);
    // Two pools on PostgreSQL; SQLite's driver is synchronous, so a second store in this process would
    // block the first (several processes share the file: the crash test covers that).
    const other = kind === 'postgres' ? openStore(database.config) : store;
    try {
      const results = await Promise.all([queue(store), queue(other), queue(store)]);
      expect(results.filter((r) => r.status === 'queued')).toHaveLength(1);
      expect(new Set(results.map((r) => r.sendId)).size).toBe(1);
      const db = await store.database();
      const rows = await db
        .selectFrom('email_recipients')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(rows.n)).toBe(30);
      // The database itself refuses a second row, whatever a caller checked before.
      await expect(
        db
          .insertInto('email_sends')
          .values({
            id: 'second',
            article: 'a-post',
            newsletter: NL,
            subject: 'again',
            trigger: 'auto',
            requested_by: null,
            bodies: '{}',
            site_origin: 'https://gatepost.example',
            total: 0,
            created_at: T0,
            finished_at: null,
          })
          .execute(),
      ).rejects.toThrow(/unique|duplicate/i);
    } finally {
      if (other !== store) await other.close();
    }
  });

  it('marks a batch left "sending" by a dead process uncertain, and re-sends only on request, only to recipients without a delivery', async () => {
    await addMembers(store, 10);
    await queue(store);
    const batch = (await claimBatch(store, 'dead:1', T0))!;
    // The process died mid-batch: nothing recorded.
    expect(await claimBatch(store, 'me', T0)).toBeNull();
    expect(await markOrphansUncertain(store, 'me', T0 + 1)).toBe(1);
    expect(await claimBatch(store, 'me', T0 + 2)).toBeNull();
    let [summary] = await listSends(store);
    expect(summary).toMatchObject({ state: 'uncertain', uncertain: 10, sent: 0 });
    expect(await retryBatches(store, batch.sendId, T0 + 3)).toBe(1);
    const again = (await claimBatch(store, 'me', T0 + 4))!;
    expect(again.recipients).toHaveLength(10);
    await recordBatch(store, again, 'me', allSent(again), { now: T0 + 5, retryAt: T0, maxAttempts: 3 });
    [summary] = await listSends(store);
    expect(summary).toMatchObject({ state: 'sent', sent: 10, uncertain: 0 });
  });

  it('retries temporary failures with a backoff, suppresses permanent bounces, and fails after the last attempt', async () => {
    await addMembers(store, 3);
    await queue(store);
    let batch = (await claimBatch(store, 'me', T0))!;
    const [a, b, c] = batch.recipients.map((r) => r.memberId) as [string, string, string];
    const results: DeliveryResult[] = [
      { memberId: a, status: 'sent', messageId: '<a@x>' },
      { memberId: b, status: 'bounced', email: 'M1@example.test', error: '550 no such user' },
      { memberId: c, status: 'retry', error: '421 try later' },
    ];
    expect(await recordBatch(store, batch, 'me', results, { now: T0, retryAt: T0 + 60_000, maxAttempts: 2 })).toBe(
      'pending',
    );
    expect(await claimBatch(store, 'me', T0 + 1000)).toBeNull();
    batch = (await claimBatch(store, 'me', T0 + 60_000))!;
    expect(batch.recipients.map((r) => r.memberId)).toEqual([c]);
    expect(
      await recordBatch(store, batch, 'me', [{ memberId: c, status: 'retry', error: '421 again' }], {
        now: T0 + 60_000,
        retryAt: T0 + 120_000,
        maxAttempts: 2,
      }),
    ).toBe('failed');
    expect((await listSuppressions(store)).map((s) => s.email)).toEqual(['m1@example.test']);
    const [summary] = await listSends(store);
    expect(summary).toMatchObject({ state: 'failed', sent: 1, bounced: 1, failed: 1 });
    // A suppressed address is not in the next send's audience.
    expect((await countSubscribers(store)).get(NL)).toBe(2);
    expect(await queue(store, 'next-post')).toMatchObject({ status: 'queued', total: 2 });
  });

  it('lets one process hold the sender lease at a time, and a dead holder be replaced at once', async () => {
    expect(await claimSenderLease(store, 'a', 30_000, T0, () => false)).toBe('taken');
    expect(await claimSenderLease(store, 'b', 30_000, T0 + 1, () => false)).toBe('busy');
    expect(await claimSenderLease(store, 'a', 30_000, T0 + 2, () => false)).toBe('renewed');
    expect(await claimSenderLease(store, 'b', 30_000, T0 + 3, (h) => h === 'a')).toBe('taken');
    expect(await claimSenderLease(store, 'c', 30_000, T0 + 30_004, () => false)).toBe('taken');
  });
});

describe('a sender lease holder', () => {
  it('is gone only when it names a process on this host that does not exist', () => {
    expect(holderIsGone(`${hostname()}:${process.pid}:abcd1234`)).toBe(false);
    // Above Linux's largest pid (2^22): no such process.
    expect(holderIsGone(`${hostname()}:${2 ** 22 + 17}:abcd1234`)).toBe(true);
    expect(holderIsGone(`another-host:${2 ** 22 + 17}:abcd1234`)).toBe(false);
  });
});

describe('the state a send shows', () => {
  const none = { pending: 0, sending: 0, sent: 0, failed: 0, uncertain: 0 };
  it('is uncertain while any batch is, then sending, queued, failed or sent', () => {
    expect(sendState({ ...none, pending: 3 }, 0)).toBe('queued');
    expect(sendState({ ...none, pending: 2, sent: 1 }, 10)).toBe('sending');
    expect(sendState({ ...none, sending: 1, uncertain: 1 }, 10)).toBe('uncertain');
    expect(sendState({ ...none, sent: 2, failed: 1 }, 10)).toBe('failed');
    expect(sendState({ ...none, sent: 3 }, 30)).toBe('sent');
  });
});
