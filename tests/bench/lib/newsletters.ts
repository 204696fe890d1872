/**
 * Newsletter sending, end to end: BENCH_NEWSLETTER_RECIPIENTS members (100,000) subscribed in the members'
 * store, one article queued through the send ledger (bodies rendered per tier, audience frozen into
 * batches) and sent by the sending loop (claims, personal links, pooled SMTP, one transaction per batch)
 * to a local SMTP sink (the stand-in's mail catcher, not parsing, no-delay sockets), against a plain
 * nodemailer pool sending the same messages to the same sink in the same run: the limit. Emails per
 * second for both, the ratio, and the peak RSS of this process while the ledger sends. On SQLite, and on
 * PostgreSQL when GATEPOST_TEST_DATABASE_URL names a server.
 */
import nodemailer from 'nodemailer';
import { register } from 'tsx/esm/api';
import { startMailCatcher } from '@gatepost/clerk-standin/mail';
import type { Viewer } from '../../../src/gate/viewer.ts';
import type { MembersStore } from '../../../src/members/store.ts';
import type { RenderedEmail } from '../../../src/newsletters/email.ts';

// The app's modules import each other without extensions (Vite style); tsx resolves them here.
register();
const { decideAccess } = await import('../../../src/gate/decision.ts');
const { listSends, queueSend } = await import('../../../src/members/queries/newsletters.ts');
const { openStore } = await import('../../../src/members/store.ts');
const { composeEmail, personalise } = await import('../../../src/newsletters/email.ts');
const { startSender } = await import('../../../src/newsletters/sender.ts');
const { createUnsubscribeToken, unsubscribeKeyFromEnv } = await import('../../../src/newsletters/token.ts');
const { createMailer } = await import('../../../src/newsletters/transport.ts');
const { NEWSLETTERS } = await import('../../../src/site/newsletters.ts');
const { createTestDatabase, STORE_KINDS } = await import('../../support/databases.ts');

const NEWSLETTER = NEWSLETTERS[0]!;
const ORIGIN = 'https://gatepost.example';

export interface NewsletterBenchRow {
  store: 'sqlite' | 'postgres';
  recipients: number;
  /** Queueing: render per tier, freeze the audience into batches (ms). */
  queueMs: number;
  ledgerPerSecond: number;
  plainPerSecond: number;
  ratio: number;
  peakRssMiB: number;
  sinkReceived: number;
}

const paragraph =
  'Container queries let a component respond to the space it is given rather than the viewport, which is what a design system wanted all along. ';
const articleHtml = Array.from(
  { length: 24 },
  (_, i) => `<p>${paragraph.repeat(3)}</p>${i % 6 === 0 ? '<h2>A heading</h2>' : ''}`,
).join('');

function bodies(): Record<string, RenderedEmail> {
  const viewer = (tier: 'members' | 'premium'): Viewer => ({
    kind: 'member',
    userId: 'bench',
    tier,
    roles: [],
    organization: null,
    sources: [],
    editor: false,
  });
  const out: Record<string, RenderedEmail> = {};
  for (const tier of ['members', 'premium'] as const) {
    const decision = decideAccess(viewer(tier), { access: 'premium' });
    const body = decision.allowed
      ? { decision, html: articleHtml }
      : { decision, previewHtml: articleHtml.slice(0, 2000), upgradeUrl: `${ORIGIN}/pricing/` };
    out[tier] = composeEmail({
      article: { title: 'Container queries in production', description: 'd', url: `${ORIGIN}/members/cq/` },
      newsletter: NEWSLETTER,
      body,
      origin: ORIGIN,
      siteName: 'Gatepost',
    });
  }
  return out;
}

async function seed(store: MembersStore, n: number) {
  const db = await store.database();
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < n; i += 1000) {
      const rows = Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({
        id: `user_${String(i + j).padStart(7, '0')}`,
        email: `reader${i + j}@example.test`,
        tier: (i + j) % 3 === 0 ? 'premium' : 'members',
        created_at: now,
        updated_at: now,
      }));
      await trx.insertInto('members').values(rows).execute();
      await trx
        .insertInto('newsletter_subscriptions')
        .values(
          rows.map((r) => ({
            member_id: r.id,
            newsletter: NEWSLETTER.slug,
            subscribed: 1,
            source: 'signup',
            changed_at: now,
            created_at: now,
          })),
        )
        .execute();
    }
  });
}

function rssSampler() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss);
  };
}

export async function runNewsletterBench(
  recipients = Number(process.env.BENCH_NEWSLETTER_RECIPIENTS ?? 100_000),
  log: (line: string) => void = () => undefined,
): Promise<NewsletterBenchRow[]> {
  const keyConfig = unsubscribeKeyFromEnv({ GATEPOST_NEWSLETTER_KEY: 'bench-key-0123456789-abcdefghijklmnopqrstuvw' });
  if (!keyConfig.enabled) throw new Error(keyConfig.reason);
  const key = keyConfig.key;
  const rendered = bodies();
  const rows: NewsletterBenchRow[] = [];
  for (const kind of STORE_KINDS) {
    const database = await createTestDatabase(kind);
    const store = openStore(database.config);
    const sink = await startMailCatcher({ parse: false });
    try {
      await store.migrate();
      log(`newsletters (${kind}): seeding ${recipients} subscribers`);
      await seed(store, recipients);

      // The limit: a plain nodemailer pool sending the same personalised messages, 100 in flight.
      const plain = nodemailer.createTransport(`${sink.url}?pool=true&maxConnections=4`);
      const plainStart = performance.now();
      for (let i = 0; i < recipients; i += 100) {
        await Promise.all(
          Array.from({ length: Math.min(100, recipients - i) }, (_, j) => {
            const id = `user_${String(i + j).padStart(7, '0')}`;
            const unsubscribeUrl = `${ORIGIN}/unsubscribe/${createUnsubscribeToken(key, id, NEWSLETTER.slug)}/`;
            const body = personalise(rendered[(i + j) % 3 === 0 ? 'premium' : 'members']!, {
              unsubscribeUrl,
              manageUrl: `${ORIGIN}/account/#newsletters`,
            });
            return plain.sendMail({
              from: NEWSLETTER.sender,
              to: `reader${i + j}@example.test`,
              subject: 'Container queries in production',
              html: body.html,
              text: body.text,
              list: { unsubscribe: { url: unsubscribeUrl, comment: 'Unsubscribe' } },
              headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
            });
          }),
        );
      }
      const plainSeconds = (performance.now() - plainStart) / 1000;
      plain.close();
      log(`newsletters (${kind}): plain pool ${(recipients / plainSeconds).toFixed(0)} emails/s`);

      // The ledger: queue (render per tier, freeze the audience), then the sending loop until done.
      sink.clear();
      const peak = rssSampler();
      const start = performance.now();
      const queued = await queueSend(store, {
        article: 'container-queries-in-production',
        newsletter: NEWSLETTER.slug,
        subject: 'Container queries in production',
        trigger: 'editor',
        requestedBy: null,
        bodies: JSON.stringify(rendered),
        siteOrigin: ORIGIN,
        now: Date.now(),
      });
      const queueMs = performance.now() - start;
      if (queued.status !== 'queued' || queued.total !== recipients)
        throw new Error(`queued ${JSON.stringify(queued)}`);
      const mailer = createMailer(sink.url);
      const sender = startSender({ store, mailer, key, log: () => undefined, idleMs: 20 });
      for (;;) {
        const [send] = await listSends(store);
        if (send?.finishedAt) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const ledgerSeconds = (performance.now() - start) / 1000;
      const peakRss = peak();
      await sender.stop();
      mailer.close();
      const [send] = await listSends(store);
      if (send?.sent !== recipients) throw new Error(`ledger sent ${send?.sent} of ${recipients}`);
      rows.push({
        store: kind,
        recipients,
        queueMs: Math.round(queueMs),
        ledgerPerSecond: Math.round(recipients / ledgerSeconds),
        plainPerSecond: Math.round(recipients / plainSeconds),
        ratio: Number((plainSeconds / ledgerSeconds).toFixed(2)),
        peakRssMiB: Math.round(peakRss / 1024 / 1024),
        sinkReceived: sink.count(),
      });
      log(`newsletters (${kind}): ${JSON.stringify(rows.at(-1))}`);
    } finally {
      await sink.stop();
      await store.close();
      await database.drop();
    }
  }
  return rows;
}

// `npx node tests/bench/lib/newsletters.ts`: this section alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runNewsletterBench(undefined, (line) => console.error(line)), null, 2));
}
