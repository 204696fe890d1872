/**
 * The send ledger when the server dies: a 2,000-recipient send to a real SMTP server in process, the
 * server killed with SIGKILL in the middle, then restarted on the same store. No address receives the
 * article twice, and every address either received it once or is in a batch marked `uncertain` for
 * the editor (never re-sent on its own). With SIGTERM instead, the batch in flight is finished and the
 * restarted server sends the rest: everyone exactly once, nothing uncertain. SQLite and PostgreSQL.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '@gatepost/clerk-standin/mail';
import { listSends, subscribeNewMember } from '../../src/members/queries/newsletters';
import { openStore, type MembersStore } from '../../src/members/store';
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
const NL = 'gatepost-weekly';
const ARTICLE = 'container-queries-in-production';
const RECIPIENTS = 2000;

async function seed(store: MembersStore) {
  const db = await store.database();
  const now = Date.now();
  const rows = Array.from({ length: RECIPIENTS }, (_, i) => ({
    id: `user_${String(i).padStart(5, '0')}`,
    email: `reader${i}@example.test`,
    tier: i % 3 === 0 ? 'premium' : 'members',
    editor: 0,
    created_at: now,
    updated_at: now,
  }));
  rows[0]!.id = 'user_editor';
  rows[0]!.editor = 1;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 400)
      await trx
        .insertInto('members')
        .values(rows.slice(i, i + 400))
        .execute();
    for (const row of rows) await subscribeNewMember(trx, row.id, [NL], now);
  });
}

describe.each(STORE_KINDS)('a send interrupted mid-way, %s', (kind) => {
  let database: TestDatabase;
  let store: MembersStore;
  let mail: MailCatcher;
  let server: RunningServer | undefined;
  const env = () => ({
    ...serverEnv(keys, TEST_SITE_ORIGIN),
    ...database.env,
    GATEPOST_SMTP_URL: mail.url,
    GATEPOST_NEWSLETTER_KEY: 'crash-test-key-0123456789-abcdefghijklmnopqr',
  });

  beforeEach(async () => {
    mail = await startMailCatcher({ keep: RECIPIENTS * 2 });
    database = await createTestDatabase(kind);
    store = openStore(database.config);
    await store.migrate();
    await seed(store);
    server = await startServer(env());
  }, 120_000);
  afterEach(async () => {
    await server?.stop();
    await store?.close();
    await database?.drop();
    await mail?.stop();
  });

  async function startSend() {
    const response = await fetch(`${server!.url}/editor/articles/${ARTICLE}/send`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: sessionCookie(mintToken(keys, readerClaims().editor)),
        'content-type': 'application/x-www-form-urlencoded',
        origin: server!.url,
      },
      body: `newsletter=${NL}`,
    });
    expect(response.status).toBe(303);
  }

  /** Every send batch is settled: none pending or sending. */
  const settled = async () => {
    const [send] = await listSends(store, [ARTICLE]);
    return send && send.batches.pending === 0 && send.batches.sending === 0 ? send : undefined;
  };

  const receivedBy = () => {
    const counts = new Map<string, number>();
    for (const message of mail.messages())
      for (const to of message.envelopeTo) counts.set(to, (counts.get(to) ?? 0) + 1);
    return counts;
  };

  it('SIGKILL: nothing is sent twice, and whoever did not get it is in an uncertain batch', async () => {
    // The catcher withholds its answer to one message of the 7th batch, so the kill lands mid-batch
    // (killed between two batches, nothing would be uncertain and this test would prove less).
    mail.hold('reader600@example.test');
    await startSend();
    await until('a batch waiting mid-send', async () => mail.held() > 0);
    server!.process.kill('SIGKILL');
    await new Promise((resolve) => server!.process.once('exit', resolve));
    mail.release();
    const before = mail.count();
    expect(before).toBeLessThan(RECIPIENTS);

    server = await startServer(env());
    const send = await until('the send to settle', settled, 120_000);
    // Messages accepted by the SMTP server may still be parsed: let the counts meet.
    await until('every accepted message parsed', async () => mail.messages().length === mail.count());
    const counts = receivedBy();
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);

    const db = await store.database();
    const uncertain = await db
      .selectFrom('email_recipients as r')
      .innerJoin('email_batches as b', 'b.id', 'r.batch_id')
      .select(['r.email'])
      .where('b.status', '=', 'uncertain')
      .execute();
    const inUncertain = new Set(uncertain.map((r) => r.email!));
    expect(send.state).toBe('uncertain');
    expect(inUncertain.size).toBeGreaterThan(0);
    expect(inUncertain.size).toBeLessThanOrEqual(100);
    for (let i = 0; i < RECIPIENTS; i++) {
      const address = `reader${i}@example.test`;
      expect(counts.get(address) === 1 || inUncertain.has(address), address).toBe(true);
    }
    // The restarted server sent the rest (more than what was out before the kill).
    expect(mail.count()).toBeGreaterThan(before);
    expect(send.sent + send.uncertain).toBeGreaterThanOrEqual(RECIPIENTS - 100);
    // The desk lists it as uncertain, with the button that re-sends only on request.
    const desk = await (
      await fetch(`${server.url}/editor/`, {
        headers: { cookie: sessionCookie(mintToken(keys, readerClaims().editor)) },
      })
    ).text();
    expect(desk).toContain('data-send-state="uncertain"');
    expect(desk).toContain('data-retry');
    // Only the editor's explicit decision sends the uncertain batch again.
    await new Promise((r) => setTimeout(r, 3000));
    expect((await listSends(store, [ARTICLE]))[0]!.state).toBe('uncertain');
    const retry = await fetch(`${server.url}/editor/articles/${ARTICLE}/retry`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: sessionCookie(mintToken(keys, readerClaims().editor)),
        'content-type': 'application/x-www-form-urlencoded',
        origin: server.url,
      },
      body: `newsletter=${NL}`,
    });
    expect(retry.status).toBe(303);
    const after = await until('the retried send', async () => {
      const [s] = await listSends(store, [ARTICLE]);
      return s?.state === 'sent' ? s : undefined;
    });
    expect(after.sent).toBe(RECIPIENTS);
    // The re-send went only to the uncertain batch's recipients: everyone else still has exactly one.
    await until('every re-sent message parsed', async () => mail.messages().length === mail.count());
    const final = receivedBy();
    for (let i = 0; i < RECIPIENTS; i++) {
      const address = `reader${i}@example.test`;
      const n = final.get(address) ?? 0;
      if (inUncertain.has(address)) expect([1, 2], address).toContain(n);
      else expect(n, address).toBe(1);
    }
  }, 180_000);

  it('SIGTERM: the batch in flight is finished, the rest goes out after the restart, everyone exactly once', async () => {
    await startSend();
    await until('a quarter of the messages', async () => mail.count() >= RECIPIENTS / 4);
    await server!.stop();
    expect(mail.count()).toBeLessThan(RECIPIENTS);
    server = await startServer(env());
    const send = await until('the send to settle', settled, 120_000);
    await until('every message parsed', async () => mail.messages().length === mail.count());
    expect(send).toMatchObject({ state: 'sent', sent: RECIPIENTS, uncertain: 0 });
    const counts = receivedBy();
    expect(counts.size).toBe(RECIPIENTS);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  }, 180_000);
});
