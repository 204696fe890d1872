/**
 * Newsletters in the members' store: subscriptions, suppressed addresses and the send ledger.
 *
 * The ledger (modelled on Ghost's batch sending, docs/newsletters.md):
 * - `queueSend` writes, in one transaction, the send (UNIQUE per article and newsletter: a second send of
 *   the same article is refused by the database), its bodies rendered once per tier, and its recipients,
 *   frozen into batches: the members subscribed at that moment, minus suppressed addresses.
 * - `claimBatch` moves one due batch `pending → sending` (a compare-and-set; `FOR UPDATE SKIP LOCKED` on
 *   PostgreSQL); `recordBatch` writes what the SMTP server answered for each recipient and moves the
 *   batch to `sent`, back to `pending` with a backoff (temporary failures), or `failed`.
 * - A batch found `sending` by a process that takes the sender's lease (the last holder died) becomes
 *   `uncertain` (`markOrphansUncertain`): some of its messages may have gone out, so it is never re-sent
 *   on its own; an editor re-sends it explicitly (`retryBatches`), and only its recipients without a
 *   recorded delivery get it.
 * Every state change is one transaction, and each is safe to repeat.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database, BatchStatus, RecipientStatus } from '../schema';
import type { MembersStore } from '../store';

type Db = Kysely<Database>;

// --- Newsletters and subscriptions ----------------------------------------------------------------

/** Records when each newsletter was first seen (kept forever); returns every newsletter's time. */
export async function enableNewsletters(
  store: MembersStore,
  slugs: readonly string[],
  now: number,
): Promise<Map<string, number>> {
  const db = await store.database();
  for (const slug of slugs)
    await db
      .insertInto('newsletters')
      .values({ slug, enabled_at: now })
      .onConflict((oc) => oc.column('slug').doNothing())
      .execute();
  const rows = await db.selectFrom('newsletters').selectAll().execute();
  return new Map(rows.map((r) => [r.slug, r.enabled_at]));
}

/** The newsletters a member is subscribed to (slugs), from their recorded choices. */
export async function subscriptionsOf(store: MembersStore, memberId: string): Promise<Map<string, boolean>> {
  const db = await store.database();
  const rows = await db
    .selectFrom('newsletter_subscriptions')
    .select(['newsletter', 'subscribed'])
    .where('member_id', '=', memberId)
    .execute();
  return new Map(rows.map((r) => [r.newsletter, r.subscribed === 1]));
}

export type SubscriptionSource = 'signup' | 'account' | 'unsubscribe-link';

/** Subscribes or unsubscribes a member (one statement, repeatable). */
export async function setSubscription(
  store: MembersStore,
  change: { memberId: string; newsletter: string; subscribed: boolean; source: SubscriptionSource; now: number },
): Promise<void> {
  const db = await store.database();
  const value = change.subscribed ? 1 : 0;
  await db
    .insertInto('newsletter_subscriptions')
    .values({
      member_id: change.memberId,
      newsletter: change.newsletter,
      subscribed: value,
      source: change.source,
      changed_at: change.now,
      created_at: change.now,
    })
    .onConflict((oc) =>
      oc.columns(['member_id', 'newsletter']).doUpdateSet({
        subscribed: value,
        source: change.source,
        changed_at: change.now,
      }),
    )
    .execute();
}

/**
 * Subscribes a new member to `newsletters` unless they already made a choice about one (a later
 * unsubscribe is never undone). Runs inside the caller's transaction (the webhook's or the sync's).
 */
export async function subscribeNewMember(
  db: Db,
  memberId: string,
  newsletters: readonly string[],
  now: number,
): Promise<void> {
  for (const newsletter of newsletters)
    await db
      .insertInto('newsletter_subscriptions')
      .values({ member_id: memberId, newsletter, subscribed: 1, source: 'signup', changed_at: now, created_at: now })
      .onConflict((oc) => oc.columns(['member_id', 'newsletter']).doNothing())
      .execute();
}

/** Subscribers per newsletter (members with an address, not deleted, not suppressed). */
export async function countSubscribers(store: MembersStore): Promise<Map<string, number>> {
  const db = await store.database();
  const rows = await db
    .selectFrom('newsletter_subscriptions as s')
    .innerJoin('members as m', 'm.id', 's.member_id')
    .leftJoin('email_suppressions as x', (join) => join.on(sql`x.email`, '=', sql`lower(m.email)`))
    .select(['s.newsletter', (eb) => eb.fn.countAll<number>().as('count')])
    .where('s.subscribed', '=', 1)
    .where('m.deleted_at', 'is', null)
    .where('m.email', 'is not', null)
    .where('x.email', 'is', null)
    .groupBy('s.newsletter')
    .execute();
  return new Map(rows.map((r) => [r.newsletter, Number(r.count)]));
}

// --- Suppressions ----------------------------------------------------------------------------------

export interface Suppression {
  email: string;
  reason: string;
  detail: string | null;
  createdAt: number;
}

/** Suppressed addresses, newest first (the editor's members page lists them). */
export async function listSuppressions(store: MembersStore, limit = 200): Promise<Suppression[]> {
  const db = await store.database();
  const rows = await db
    .selectFrom('email_suppressions')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ email: r.email, reason: r.reason, detail: r.detail, createdAt: r.created_at }));
}

// --- The send ledger -------------------------------------------------------------------------------

/** Recipients per batch: the unit that can become `uncertain` after a crash. */
export const DEFAULT_BATCH_SIZE = 100;
/** Rows per INSERT statement (well under both databases' parameter limits). */
const INSERT_CHUNK = 500;

export interface QueueRequest {
  article: string;
  newsletter: string;
  subject: string;
  trigger: 'editor' | 'auto';
  requestedBy: string | null;
  /** JSON of the bodies rendered per tier (src/newsletters). */
  bodies: string;
  /** Where the unsubscribe links point. */
  siteOrigin: string;
  now: number;
  batchSize?: number;
}

export type QueueResult =
  { status: 'queued'; sendId: string; total: number; batches: number } | { status: 'exists'; sendId: string };

const isUniqueViolation = (error: unknown) => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '23505' || (typeof message === 'string' && /UNIQUE constraint failed/i.test(message));
};

/**
 * Creates the send for (article, newsletter) with its audience frozen into batches, in one transaction;
 * `exists` when that article was already sent (or is being sent) to that newsletter.
 */
export async function queueSend(store: MembersStore, request: QueueRequest): Promise<QueueResult> {
  const db = await store.database();
  const batchSize = request.batchSize ?? DEFAULT_BATCH_SIZE;
  const existing = async () => {
    const row = await db
      .selectFrom('email_sends')
      .select('id')
      .where('article', '=', request.article)
      .where('newsletter', '=', request.newsletter)
      .executeTakeFirst();
    return row ? ({ status: 'exists', sendId: row.id } as const) : null;
  };
  const before = await existing();
  if (before) return before;
  const sendId = randomUUID();
  try {
    return await db.transaction().execute(async (trx) => {
      // The send row first: a concurrent queue of the same article waits on (or fails at) this row.
      await trx
        .insertInto('email_sends')
        .values({
          id: sendId,
          article: request.article,
          newsletter: request.newsletter,
          subject: request.subject,
          trigger: request.trigger,
          requested_by: request.requestedBy,
          bodies: request.bodies,
          site_origin: request.siteOrigin,
          total: 0,
          created_at: request.now,
          finished_at: null,
        })
        .execute();
      const audience = await trx
        .selectFrom('newsletter_subscriptions as s')
        .innerJoin('members as m', 'm.id', 's.member_id')
        .leftJoin('email_suppressions as x', (join) => join.on(sql`x.email`, '=', sql`lower(m.email)`))
        .select(['m.id', 'm.email', 'm.tier'])
        .where('s.newsletter', '=', request.newsletter)
        .where('s.subscribed', '=', 1)
        .where('m.deleted_at', 'is', null)
        .where('m.email', 'is not', null)
        .where('x.email', 'is', null)
        .orderBy('m.id')
        .execute();
      const batches: { id: string; seq: number }[] = [];
      for (let i = 0; i < audience.length; i += batchSize) batches.push({ id: randomUUID(), seq: batches.length });
      for (let i = 0; i < batches.length; i += INSERT_CHUNK)
        await trx
          .insertInto('email_batches')
          .values(
            batches.slice(i, i + INSERT_CHUNK).map((b) => ({
              id: b.id,
              send_id: sendId,
              seq: b.seq,
              status: 'pending' as const,
              next_attempt_at: request.now,
              claimed_by: null,
              error: null,
              created_at: request.now,
              updated_at: request.now,
            })),
          )
          .execute();
      for (let i = 0; i < audience.length; i += INSERT_CHUNK)
        await trx
          .insertInto('email_recipients')
          .values(
            audience.slice(i, i + INSERT_CHUNK).map((m, j) => ({
              send_id: sendId,
              member_id: m.id,
              batch_id: batches[Math.floor((i + j) / batchSize)]!.id,
              email: m.email,
              tier: m.tier,
              status: 'pending' as const,
              message_id: null,
              error: null,
              updated_at: request.now,
            })),
          )
          .execute();
      await trx
        .updateTable('email_sends')
        .set({ total: audience.length, ...(audience.length === 0 ? { finished_at: request.now } : {}) })
        .where('id', '=', sendId)
        .execute();
      return { status: 'queued' as const, sendId, total: audience.length, batches: batches.length };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      const after = await existing();
      if (after) return after;
    }
    throw error;
  }
}

export interface ClaimedRecipient {
  memberId: string;
  email: string;
  tier: string;
}

export interface ClaimedBatch {
  id: string;
  sendId: string;
  article: string;
  newsletter: string;
  subject: string;
  bodies: string;
  siteOrigin: string;
  attempts: number;
  /** Recipients still to send to, minus those who unsubscribed or were suppressed since the queueing. */
  recipients: ClaimedRecipient[];
  /** Recipients dropped at claim time (unsubscribed, suppressed or deleted since queued). */
  skipped: number;
}

/**
 * Claims the next due batch for `holder` (`pending → sending`) and returns what to send, or null. In
 * the same transaction, recipients who unsubscribed, were suppressed or deleted since the queueing
 * are marked `skipped`.
 */
export async function claimBatch(store: MembersStore, holder: string, now: number): Promise<ClaimedBatch | null> {
  const db = await store.database();
  return db.transaction().execute(async (trx) => {
    let next = trx
      .selectFrom('email_batches')
      .select(['id'])
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('created_at')
      .orderBy('seq')
      .limit(1);
    if (store.kind === 'postgres') next = next.forUpdate().skipLocked();
    const candidate = await next.executeTakeFirst();
    if (!candidate) return null;
    const claimed = await trx
      .updateTable('email_batches')
      .set((eb) => ({ status: 'sending', claimed_by: holder, attempts: eb('attempts', '+', 1), updated_at: now }))
      .where('id', '=', candidate.id)
      .where('status', '=', 'pending')
      .returning(['id', 'send_id', 'attempts'])
      .executeTakeFirst();
    if (!claimed) return null;
    const send = await trx
      .selectFrom('email_sends')
      .select(['article', 'newsletter', 'subject', 'bodies', 'site_origin'])
      .where('id', '=', claimed.send_id)
      .executeTakeFirstOrThrow();
    const rows = await trx
      .selectFrom('email_recipients as r')
      .leftJoin('newsletter_subscriptions as s', (join) =>
        join.onRef('s.member_id', '=', 'r.member_id').on('s.newsletter', '=', send.newsletter),
      )
      .leftJoin('members as m', 'm.id', 'r.member_id')
      .leftJoin('email_suppressions as x', (join) => join.on(sql`x.email`, '=', sql`lower(r.email)`))
      .select(['r.member_id', 'r.email', 'r.tier', 's.subscribed', 'm.deleted_at', 'x.email as suppressed'])
      .where('r.batch_id', '=', claimed.id)
      .where('r.status', '=', 'pending')
      .orderBy('r.member_id')
      .execute();
    const recipients: ClaimedRecipient[] = [];
    const skipped: string[] = [];
    for (const row of rows) {
      if (row.subscribed !== 1 || row.deleted_at != null || row.suppressed != null || !row.email)
        skipped.push(row.member_id);
      else recipients.push({ memberId: row.member_id, email: row.email, tier: row.tier });
    }
    for (let i = 0; i < skipped.length; i += INSERT_CHUNK)
      await trx
        .updateTable('email_recipients')
        .set({ status: 'skipped', updated_at: now })
        .where('send_id', '=', claimed.send_id)
        .where('member_id', 'in', skipped.slice(i, i + INSERT_CHUNK))
        .execute();
    return {
      id: claimed.id,
      sendId: claimed.send_id,
      article: send.article,
      newsletter: send.newsletter,
      subject: send.subject,
      bodies: send.bodies,
      siteOrigin: send.site_origin,
      attempts: claimed.attempts,
      recipients,
      skipped: skipped.length,
    };
  });
}

export type DeliveryResult =
  | { memberId: string; status: 'sent'; messageId: string }
  /** The receiving server refused the address for good (SMTP 5xx to RCPT TO): suppressed. */
  | { memberId: string; status: 'bounced'; email: string; error: string }
  /** Worth trying again later (4xx, connection lost). */
  | { memberId: string; status: 'retry'; error: string }
  /** Refused for another reason that retrying will not change. */
  | { memberId: string; status: 'failed'; error: string };

export interface RecordOptions {
  now: number;
  /** When a batch with recipients left to retry is due again. */
  retryAt: number;
  /** No retry after this many attempts: the batch is `failed`, listed for the editor. */
  maxAttempts: number;
}

/**
 * Writes the outcome of one claimed batch in one transaction: each recipient's status (and Message-ID),
 * suppressions for permanent bounces, and the batch's next state. Repeating it changes nothing more.
 */
export async function recordBatch(
  store: MembersStore,
  batch: Pick<ClaimedBatch, 'id' | 'sendId' | 'attempts'>,
  holder: string,
  results: readonly DeliveryResult[],
  options: RecordOptions,
): Promise<BatchStatus> {
  const db = await store.database();
  const { now } = options;
  return db.transaction().execute(async (trx) => {
    for (const result of results) {
      if (result.status === 'retry') {
        await trx
          .updateTable('email_recipients')
          .set({ error: result.error, updated_at: now })
          .where('send_id', '=', batch.sendId)
          .where('member_id', '=', result.memberId)
          .where('status', '=', 'pending')
          .execute();
        continue;
      }
      await trx
        .updateTable('email_recipients')
        .set({
          status: result.status as RecipientStatus,
          message_id: result.status === 'sent' ? result.messageId : null,
          error: result.status === 'sent' ? null : result.error,
          updated_at: now,
        })
        .where('send_id', '=', batch.sendId)
        .where('member_id', '=', result.memberId)
        .execute();
      if (result.status === 'bounced')
        await trx
          .insertInto('email_suppressions')
          .values({
            email: result.email.toLowerCase(),
            reason: 'bounce',
            detail: result.error.slice(0, 500),
            created_at: now,
          })
          .onConflict((oc) => oc.column('email').doNothing())
          .execute();
    }
    const left = await trx
      .selectFrom('email_recipients')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('batch_id', '=', batch.id)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    const pending = Number(left.n);
    const retryError = results.find((r) => r.status === 'retry');
    const status: BatchStatus = pending === 0 ? 'sent' : batch.attempts >= options.maxAttempts ? 'failed' : 'pending';
    await trx
      .updateTable('email_batches')
      .set({
        status,
        claimed_by: null,
        next_attempt_at: status === 'pending' ? options.retryAt : now,
        error: pending === 0 ? null : (retryError?.error ?? 'recipients left unsent').slice(0, 500),
        updated_at: now,
      })
      .where('id', '=', batch.id)
      // A batch another process declared uncertain (this one was presumed dead) keeps that state
      // unless every recipient is now accounted for.
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'sending'), eb('claimed_by', '=', holder)]),
          ...(pending === 0 ? [eb('status', '=', 'uncertain')] : []),
        ]),
      )
      .execute();
    await finishIfDone(trx, batch.sendId, now);
    return status;
  });
}

async function finishIfDone(trx: Db, sendId: string, now: number): Promise<void> {
  const open = await trx
    .selectFrom('email_batches')
    .select('id')
    .where('send_id', '=', sendId)
    .where('status', 'in', ['pending', 'sending', 'uncertain'])
    .limit(1)
    .executeTakeFirst();
  if (!open)
    await trx
      .updateTable('email_sends')
      .set({ finished_at: now })
      .where('id', '=', sendId)
      .where('finished_at', 'is', null)
      .execute();
}

/**
 * Batches left `sending` by a process that is gone become `uncertain`: never re-sent automatically.
 * Called by a process that has just taken the sender's lease from a dead or expired holder.
 */
export async function markOrphansUncertain(store: MembersStore, holder: string, now: number): Promise<number> {
  const db = await store.database();
  const result = await db
    .updateTable('email_batches')
    .set({
      status: 'uncertain',
      error: 'the sending process stopped mid-batch; some messages may have gone out',
      updated_at: now,
    })
    .where('status', '=', 'sending')
    .where((eb) => eb.or([eb('claimed_by', 'is', null), eb('claimed_by', '!=', holder)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * The editor's explicit decision: `uncertain` and `failed` batches of a send are due again. Only their
 * recipients without a recorded delivery get the email (one whose message went out just before a crash
 * may get it twice: that is why this is never automatic). Returns the batches made due.
 */
export async function retryBatches(store: MembersStore, sendId: string, now: number): Promise<number> {
  const db = await store.database();
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('email_batches')
      .set({ status: 'pending', next_attempt_at: now, attempts: 0, claimed_by: null, updated_at: now })
      .where('send_id', '=', sendId)
      .where('status', 'in', ['uncertain', 'failed'])
      .executeTakeFirst();
    const n = Number(result.numUpdatedRows);
    if (n > 0) await trx.updateTable('email_sends').set({ finished_at: null }).where('id', '=', sendId).execute();
    return n;
  });
}

// --- What the desk shows ---------------------------------------------------------------------------

export type SendState = 'queued' | 'sending' | 'sent' | 'failed' | 'uncertain';

export interface SendSummary {
  id: string;
  article: string;
  newsletter: string;
  trigger: 'editor' | 'auto';
  createdAt: number;
  finishedAt: number | null;
  state: SendState;
  /** Recipients frozen at queue time. */
  total: number;
  sent: number;
  skipped: number;
  bounced: number;
  failed: number;
  /** Recipients in batches that are `uncertain`, without a recorded delivery. */
  uncertain: number;
  batches: Record<BatchStatus, number>;
}

/** The state of a send, from its batches: uncertain or failed batches win, then work in progress. */
export function sendState(batches: Record<BatchStatus, number>, sentRecipients: number): SendState {
  if (batches.uncertain > 0) return 'uncertain';
  if (batches.sending > 0) return 'sending';
  if (batches.pending > 0) return sentRecipients > 0 || batches.sent > 0 || batches.failed > 0 ? 'sending' : 'queued';
  if (batches.failed > 0) return 'failed';
  return 'sent';
}

/** Every send (newest first), with its counts, for the desk; `articles` narrows it. */
export async function listSends(store: MembersStore, articles?: readonly string[]): Promise<SendSummary[]> {
  const db = await store.database();
  let query = db
    .selectFrom('email_sends')
    .select(['id', 'article', 'newsletter', 'trigger', 'created_at', 'finished_at', 'total']);
  if (articles) {
    if (articles.length === 0) return [];
    query = query.where('article', 'in', articles);
  }
  const sends = await query.orderBy('created_at', 'desc').limit(500).execute();
  if (sends.length === 0) return [];
  const ids = sends.map((s) => s.id);
  const batchRows = await db
    .selectFrom('email_batches')
    .select(['send_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('send_id', 'in', ids)
    .groupBy(['send_id', 'status'])
    .execute();
  const recipientRows = await db
    .selectFrom('email_recipients as r')
    .innerJoin('email_batches as b', 'b.id', 'r.batch_id')
    .select(['r.send_id', 'r.status', 'b.status as batch_status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('r.send_id', 'in', ids)
    .groupBy(['r.send_id', 'r.status', 'b.status'])
    .execute();
  return sends.map((send) => {
    const batches: Record<BatchStatus, number> = { pending: 0, sending: 0, sent: 0, failed: 0, uncertain: 0 };
    for (const row of batchRows) if (row.send_id === send.id) batches[row.status] += Number(row.n);
    const counts = { sent: 0, skipped: 0, bounced: 0, failed: 0, uncertain: 0 };
    for (const row of recipientRows) {
      if (row.send_id !== send.id) continue;
      const n = Number(row.n);
      if (row.status === 'sent') counts.sent += n;
      else if (row.status === 'skipped') counts.skipped += n;
      else if (row.status === 'bounced') counts.bounced += n;
      else if (row.status === 'failed') counts.failed += n;
      else if (row.status === 'pending' && row.batch_status === 'uncertain') counts.uncertain += n;
      else if (row.status === 'pending' && row.batch_status === 'failed') counts.failed += n;
    }
    return {
      id: send.id,
      article: send.article,
      newsletter: send.newsletter,
      trigger: send.trigger,
      createdAt: send.created_at,
      finishedAt: send.finished_at,
      state: sendState(batches, counts.sent),
      total: send.total,
      ...counts,
      batches,
    };
  });
}

/** The send of `article` to `newsletter`, if there is one. */
export async function findSend(store: MembersStore, article: string, newsletter: string): Promise<string | null> {
  const db = await store.database();
  const row = await db
    .selectFrom('email_sends')
    .select('id')
    .where('article', '=', article)
    .where('newsletter', '=', newsletter)
    .executeTakeFirst();
  return row?.id ?? null;
}

// --- The sender's lease ----------------------------------------------------------------------------

export const SENDER_JOB = 'newsletter-sender';

/**
 * Takes or renews the sender's lease (the `jobs` row): one process sends at a time, across workers and
 * replicas. `holderGone` says whether the current holder is known to be dead (a process on this host
 * that no longer exists), so a restart need not wait for the lease to expire.
 * Returns `taken` (this process just became the sender), `renewed`, or `busy`.
 */
export async function claimSenderLease(
  store: MembersStore,
  holder: string,
  leaseMs: number,
  now: number,
  holderGone: (other: string) => boolean,
): Promise<'taken' | 'renewed' | 'busy'> {
  const db = await store.database();
  await db
    .insertInto('jobs')
    .values({ name: SENDER_JOB })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const renewed = await db
    .updateTable('jobs')
    .set({ lease_until: now + leaseMs })
    .where('name', '=', SENDER_JOB)
    .where('lease_holder', '=', holder)
    .executeTakeFirst();
  if (Number(renewed.numUpdatedRows) === 1) return 'renewed';
  const row = await db
    .selectFrom('jobs')
    .select(['lease_holder', 'lease_until'])
    .where('name', '=', SENDER_JOB)
    .executeTakeFirstOrThrow();
  const free = row.lease_holder === null || (row.lease_until ?? 0) < now || holderGone(row.lease_holder);
  if (!free) return 'busy';
  // Compare-and-set on the holder seen, so two processes cannot both take it.
  let take = db
    .updateTable('jobs')
    .set({ lease_holder: holder, lease_until: now + leaseMs, last_started_at: now })
    .where('name', '=', SENDER_JOB);
  take =
    row.lease_holder === null
      ? take.where('lease_holder', 'is', null)
      : take.where('lease_holder', '=', row.lease_holder);
  const taken = await take.executeTakeFirst();
  return Number(taken.numUpdatedRows) === 1 ? 'taken' : 'busy';
}

/** Gives the lease up (a clean stop), so another process can send at once. */
export async function releaseSenderLease(store: MembersStore, holder: string, now: number): Promise<void> {
  const db = await store.database();
  await db
    .updateTable('jobs')
    .set({ lease_holder: null, lease_until: null, last_finished_at: now })
    .where('name', '=', SENDER_JOB)
    .where('lease_holder', '=', holder)
    .execute();
}

/** A member's address from the mirror (the editor's own, for a test email), or null. */
export async function findMemberEmail(store: MembersStore, memberId: string): Promise<string | null> {
  const db = await store.database();
  const row = await db
    .selectFrom('members')
    .select('email')
    .where('id', '=', memberId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row?.email ?? null;
}
