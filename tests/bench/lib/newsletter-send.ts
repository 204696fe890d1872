/**
 * One side of the newsletter benchmark in a process of its own (lib/newsletters.ts forks it with a JSON
 * job as its argument), so its peak RSS is its own (VmHWM, read when it is done):
 *
 *   - `ledger`: what the Gatepost server does: queue the send (bodies rendered per tier, audience frozen
 *     into batches in the members' store), then run the sending loop (src/newsletters/sender.ts) until
 *     the send is finished;
 *   - `plain`: the limit, a plain nodemailer pool sending the same personalised messages, 100 in flight.
 *
 * Both run with the production server's Node flags (tools/server-flags.ts), as the sending loop runs in
 * the server's process. Reports `{ type: 'done', … }` over the IPC channel and exits.
 */
import { readFileSync } from 'node:fs';
import nodemailer from 'nodemailer';
import { register } from 'tsx/esm/api';
import type { StoreConfig } from '../../../src/members/config.ts';
import type { Viewer } from '../../../src/gate/viewer.ts';
import type { RenderedEmail } from '../../../src/newsletters/email.ts';

export type SendJob =
  | { mode: 'plain'; sinkUrl: string; recipients: number }
  | { mode: 'ledger'; sinkUrl: string; recipients: number; store: StoreConfig };

export interface SendResult {
  type: 'done';
  seconds: number;
  /** Queueing alone (ledger): render per tier, freeze the audience into batches. */
  queueMs?: number;
  /** Recipients the ledger recorded as sent (ledger). */
  sent?: number;
  /** RSS once the modules are loaded and the store is open, before any work. */
  startRssMiB: number;
  /** Peak RSS when the send is queued, before the sending loop starts (ledger). */
  queuedPeakRssMiB?: number;
  peakRssMiB: number;
}

// The app's modules import each other without extensions (Vite style); tsx resolves them here.
register();
const { decideAccess } = await import('../../../src/gate/decision.ts');
const { queueSend, listSends } = await import('../../../src/members/queries/newsletters.ts');
const { openStore } = await import('../../../src/members/store.ts');
const { composeEmail, personalise } = await import('../../../src/newsletters/email.ts');
const { startSender } = await import('../../../src/newsletters/sender.ts');
const { createUnsubscribeToken, unsubscribeKeyFromEnv } = await import('../../../src/newsletters/token.ts');
const { createMailer } = await import('../../../src/newsletters/transport.ts');
const { NEWSLETTERS } = await import('../../../src/site/newsletters.ts');

const NEWSLETTER = NEWSLETTERS[0]!;
const ORIGIN = 'https://gatepost.example';
const ARTICLE = 'container-queries-in-production';
const SUBJECT = 'Container queries in production';

const statusMiB = (field: 'VmRSS' | 'VmHWM') =>
  Math.round(
    Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024,
  );

const paragraph =
  'Container queries let a component respond to the space it is given rather than the viewport, which is what a design system wanted all along. ';
const articleHtml = Array.from(
  { length: 24 },
  (_, i) => `<p>${paragraph.repeat(3)}</p>${i % 6 === 0 ? '<h2>A heading</h2>' : ''}`,
).join('');

/** A premium article as each tier receives it, from the access decision. */
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
      article: { title: SUBJECT, description: 'd', url: `${ORIGIN}/members/cq/` },
      newsletter: NEWSLETTER,
      body,
      origin: ORIGIN,
      siteName: 'Gatepost',
    });
  }
  return out;
}

const keyConfig = unsubscribeKeyFromEnv({ GATEPOST_NEWSLETTER_KEY: 'bench-key-0123456789-abcdefghijklmnopqrstuvw' });
if (!keyConfig.enabled) throw new Error(keyConfig.reason);
const key = keyConfig.key;

async function plain(job: Extract<SendJob, { mode: 'plain' }>): Promise<SendResult> {
  const rendered = bodies();
  const startRssMiB = statusMiB('VmRSS');
  const transport = nodemailer.createTransport(`${job.sinkUrl}?pool=true&maxConnections=4`);
  const start = performance.now();
  for (let i = 0; i < job.recipients; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, job.recipients - i) }, (_, j) => {
        const id = `user_${String(i + j).padStart(7, '0')}`;
        const unsubscribeUrl = `${ORIGIN}/unsubscribe/${createUnsubscribeToken(key, id, NEWSLETTER.slug)}/`;
        const body = personalise(rendered[(i + j) % 3 === 0 ? 'premium' : 'members']!, {
          unsubscribeUrl,
          manageUrl: `${ORIGIN}/account/#newsletters`,
        });
        return transport.sendMail({
          from: NEWSLETTER.sender,
          to: `reader${i + j}@example.test`,
          subject: SUBJECT,
          html: body.html,
          text: body.text,
          list: { unsubscribe: { url: unsubscribeUrl, comment: 'Unsubscribe' } },
          headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        });
      }),
    );
  }
  const seconds = (performance.now() - start) / 1000;
  transport.close();
  return { type: 'done', seconds, startRssMiB, peakRssMiB: statusMiB('VmHWM') };
}

async function ledger(job: Extract<SendJob, { mode: 'ledger' }>): Promise<SendResult> {
  const store = openStore(job.store);
  const db = await store.database();
  const startRssMiB = statusMiB('VmRSS');
  const start = performance.now();
  const queued = await queueSend(store, {
    article: ARTICLE,
    newsletter: NEWSLETTER.slug,
    subject: SUBJECT,
    trigger: 'editor',
    requestedBy: null,
    bodies: JSON.stringify(bodies()),
    siteOrigin: ORIGIN,
    now: Date.now(),
  });
  const queueMs = performance.now() - start;
  const queuedPeakRssMiB = statusMiB('VmHWM');
  if (queued.status !== 'queued' || queued.total !== job.recipients)
    throw new Error(`queued ${JSON.stringify(queued)}`);
  const mailer = createMailer(job.sinkUrl);
  const sender = startSender({ store, mailer, key, log: () => undefined, idleMs: 20 });
  // One indexed row, not the desk's counts: the poll must not weigh on the loop it waits for.
  for (;;) {
    const row = await db
      .selectFrom('email_sends')
      .select('finished_at')
      .where('id', '=', queued.sendId)
      .executeTakeFirst();
    if (row?.finished_at) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (performance.now() - start) / 1000;
  await sender.stop();
  mailer.close();
  const [send] = await listSends(store, [ARTICLE]);
  await store.close();
  return {
    type: 'done',
    seconds,
    queueMs,
    sent: send?.sent ?? 0,
    startRssMiB,
    queuedPeakRssMiB,
    peakRssMiB: statusMiB('VmHWM'),
  };
}

const job = JSON.parse(process.argv[2]!) as SendJob;
const result = job.mode === 'plain' ? await plain(job) : await ledger(job);
process.send!(result, () => process.exit(0));
