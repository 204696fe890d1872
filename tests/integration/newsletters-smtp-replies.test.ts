/**
 * The sending loop against an SMTP server that says no, over a real SMTP conversation (nodemailer's pool
 * to the stand-in's mail catcher, smtp-server), on SQLite and (with GATEPOST_TEST_DATABASE_URL)
 * PostgreSQL: recipients refused with a temporary 4xx are retried and delivered exactly once, one refused
 * for good at RCPT TO (5xx) is recorded as bounced and suppressed, one whose message is refused after
 * DATA (5xx) as failed; nobody else gets the email twice, and the desk shows the counts.
 *
 * The loop runs in this process (src/newsletters/sender.ts, with a backoff of a fraction of a second
 * instead of 30 s); the built server is started afterwards on the same store to read the desk.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '@gatepost/clerk-standin/mail';
import { decideAccess } from '../../src/gate/decision';
import type { Viewer } from '../../src/gate/viewer';
import { listSends, listSuppressions, queueSend, subscribeNewMember } from '../../src/members/queries/newsletters';
import { openStore, type MembersStore } from '../../src/members/store';
import { composeEmail } from '../../src/newsletters/email';
import { startSender, type Sender } from '../../src/newsletters/sender';
import { unsubscribeKeyFromEnv } from '../../src/newsletters/token';
import { createMailer, messageIdFor, type Mailer } from '../../src/newsletters/transport';
import { NEWSLETTERS } from '../../src/site/newsletters';
import {
  generateTestKeys,
  mintToken,
  readerClaims,
  serverEnv,
  sessionCookie,
  TEST_SITE_ORIGIN,
} from '../support/clerk-session';
import { createTestDatabase, STORE_KINDS, type TestDatabase } from '../support/databases';
import { startServer, type RunningServer } from '../support/server';
import { until } from '../support/until';

const keys = generateTestKeys();
const NEWSLETTER = NEWSLETTERS[0]!;
// A real article, so the desk lists its send.
const ARTICLE = 'an-editorial-calendar-that-survives-contact';
const ORIGIN = 'https://gatepost.example';
const RECIPIENTS = 30;
const key = (() => {
  const config = unsubscribeKeyFromEnv({ GATEPOST_NEWSLETTER_KEY: 'smtp-replies-test-key-0123456789-abcdefgh' });
  if (!config.enabled) throw new Error(config.reason);
  return config.key;
})();

const address = (i: number) => `reader${i}@example.test`;
const memberId = (i: number) => `user_${String(i).padStart(3, '0')}`;
/** Refused with 451 twice, then accepted (its batch needs three attempts). */
const BUSY_TWICE = [3, 17];
/** Refused with 452 once. */
const BUSY_ONCE = [8];
/** 550 to RCPT TO: the address does not exist. */
const BOUNCES = 5;
/** 554 after DATA: the message itself is refused. */
const REFUSED_MESSAGE = 12;

const recipient = (tier: 'members' | 'premium'): Viewer => ({
  kind: 'member',
  userId: 'recipient',
  tier,
  roles: [],
  organization: null,
  sources: [],
  editor: false,
});

/** The email each tier receives for a members article (both tiers are allowed the whole text). */
function bodies() {
  const out: Record<string, ReturnType<typeof composeEmail>> = {};
  for (const tier of ['members', 'premium'] as const) {
    const decision = decideAccess(recipient(tier), { access: 'members' });
    if (!decision.allowed) throw new Error(`a ${tier} member is refused a members article`);
    out[tier] = composeEmail({
      article: { title: 'An editorial calendar', description: 'Planning.', url: `${ORIGIN}/members/${ARTICLE}/` },
      newsletter: NEWSLETTER,
      body: { decision, html: '<p>The whole article.</p>' },
      origin: ORIGIN,
      siteName: 'Gatepost',
    });
  }
  return JSON.stringify(out);
}

describe.each(STORE_KINDS)('SMTP refusals during a send, %s', (kind) => {
  let database: TestDatabase;
  let store: MembersStore;
  let mail: MailCatcher;
  let mailer: Mailer | undefined;
  let sender: Sender | undefined;
  let server: RunningServer | undefined;

  beforeEach(async () => {
    mail = await startMailCatcher({ keep: RECIPIENTS * 2 });
    database = await createTestDatabase(kind);
    store = openStore(database.config);
    await store.migrate();
    const db = await store.database();
    const now = Date.now();
    for (let i = 0; i < RECIPIENTS; i++) {
      await db
        .insertInto('members')
        .values({
          id: memberId(i),
          email: address(i),
          tier: i % 3 ? 'members' : 'premium',
          created_at: now,
          updated_at: now,
        })
        .execute();
      await subscribeNewMember(db, memberId(i), [NEWSLETTER.slug], now);
    }
  });
  afterEach(async () => {
    await sender?.stop();
    mailer?.close();
    await server?.stop();
    await store?.close();
    await database?.drop();
    await mail?.stop();
  });

  it('retries 4xx refusals until delivered once, records a 5xx as bounced or failed, sends nobody anything twice', async () => {
    for (const i of BUSY_TWICE) mail.refuse(address(i), 451, { times: 2 });
    for (const i of BUSY_ONCE) mail.refuse(address(i), 452, { times: 1 });
    mail.refuse(address(BOUNCES), 550);
    mail.refuse(address(REFUSED_MESSAGE), 554, { at: 'data' });
    const queued = await queueSend(store, {
      article: ARTICLE,
      newsletter: NEWSLETTER.slug,
      subject: 'An editorial calendar',
      trigger: 'editor',
      requestedBy: null,
      bodies: bodies(),
      siteOrigin: ORIGIN,
      now: Date.now(),
      batchSize: 10,
    });
    expect(queued).toMatchObject({ status: 'queued', total: RECIPIENTS, batches: 3 });
    if (queued.status !== 'queued') return;

    mailer = createMailer(mail.url);
    const log: string[] = [];
    sender = startSender({
      store,
      mailer,
      key,
      log: (line) => log.push(line),
      idleMs: 50,
      backoffMs: () => 300,
      maxAttempts: 4,
    });
    const send = await until('the send to finish', async () => {
      const [s] = await listSends(store, [ARTICLE]);
      return s?.finishedAt ? s : undefined;
    });
    await sender.stop();
    sender = undefined;
    await until('every accepted message parsed', async () => mail.messages().length === mail.count());

    // The server really said no: twice, once, and for good.
    const refusals = mail.refusals();
    for (const i of BUSY_TWICE) expect(refusals.get(address(i))).toBe(2);
    for (const i of BUSY_ONCE) expect(refusals.get(address(i))).toBe(1);
    expect(refusals.get(address(BOUNCES))).toBe(1);
    expect(refusals.get(address(REFUSED_MESSAGE))).toBe(1);

    // Everyone else received it exactly once, the retried ones included, with the send's own Message-ID.
    const received = new Map<string, string[]>();
    for (const message of mail.messages())
      for (const to of message.envelopeTo) received.set(to, [...(received.get(to) ?? []), message.messageId]);
    for (let i = 0; i < RECIPIENTS; i++) {
      const ids = received.get(address(i)) ?? [];
      if (i === BOUNCES || i === REFUSED_MESSAGE) expect(ids, address(i)).toEqual([]);
      else expect(ids, address(i)).toEqual([messageIdFor(queued.sendId, memberId(i), NEWSLETTER.sender.address)]);
    }
    expect(mail.count()).toBe(RECIPIENTS - 2);

    // The ledger: 28 sent, one bounced (suppressed), one failed; the batches with 4xx took extra attempts.
    expect(send).toMatchObject({ state: 'sent', total: RECIPIENTS, sent: RECIPIENTS - 2, bounced: 1, failed: 1 });
    const db = await store.database();
    const rows = await db
      .selectFrom('email_recipients as r')
      .innerJoin('email_batches as b', 'b.id', 'r.batch_id')
      .select(['r.email', 'r.status', 'r.error', 'r.message_id', 'b.attempts'])
      .where('r.email', 'in', [...BUSY_TWICE, ...BUSY_ONCE, BOUNCES, REFUSED_MESSAGE].map(address))
      .execute();
    const row = (i: number) => rows.find((r) => r.email === address(i))!;
    for (const i of BUSY_TWICE) expect(row(i)).toMatchObject({ status: 'sent', attempts: 3 });
    expect(row(BUSY_ONCE[0]!).status).toBe('sent');
    expect(row(BOUNCES)).toMatchObject({ status: 'bounced', message_id: null });
    expect(row(BOUNCES).error).toMatch(/550/);
    expect(row(REFUSED_MESSAGE)).toMatchObject({ status: 'failed', message_id: null });
    expect(row(REFUSED_MESSAGE).error).toMatch(/554/);
    // Only the address that does not exist is suppressed; a refused message says nothing about the address.
    expect((await listSuppressions(store)).map((s) => s.email)).toEqual([address(BOUNCES)]);
    expect(log.some((line) => /is pending \(.*451/.test(line))).toBe(true);

    // The desk shows the send with its counts.
    server = await startServer({ ...serverEnv(keys, TEST_SITE_ORIGIN), ...database.env });
    const editor = { cookie: sessionCookie(mintToken(keys, readerClaims().editor)) };
    const desk = await (await fetch(`${server.url}/editor/`, { headers: editor })).text();
    expect(desk).toMatch(/data-send-state="sent"[^>]*>\s*<strong>sent 28\/30<\/strong>/);
    expect(desk).toMatch(/28 sent\s*, 1 bounced\s*, 1 failed/);
    const members = await (await fetch(`${server.url}/editor/members/`, { headers: editor })).text();
    expect(members).toContain(`data-suppressed-email="${address(BOUNCES)}"`);
    expect(members).not.toContain(`data-suppressed-email="${address(REFUSED_MESSAGE)}"`);
  }, 120_000);
});
