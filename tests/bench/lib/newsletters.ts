/**
 * Newsletter sending, end to end: BENCH_NEWSLETTER_RECIPIENTS members (100,000) subscribed in the members'
 * store, one article queued through the send ledger (bodies rendered per tier, audience frozen into
 * batches) and sent by the sending loop (claims, personal links, pooled SMTP, one transaction per batch)
 * to a local SMTP sink (the stand-in's mail catcher, not parsing, no-delay sockets), against a plain
 * nodemailer pool sending the same messages to the same sink in the same run: the limit. Emails per
 * second for both and the ratio; the peak RSS of the sending process alone. On SQLite, and on PostgreSQL
 * when GATEPOST_TEST_DATABASE_URL names a server.
 *
 * Three processes, so that each one's memory is its own: this one seeds the store and compares; the sink
 * (lib/newsletter-sink.ts); and the sender, forked once for the plain pool and once for the ledger
 * (lib/newsletter-send.ts), which reads its own peak RSS (VmHWM) when done.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';
import type { MembersStore } from '../../../src/members/store.ts';
import { SERVER_NODE_FLAGS } from '../../../tools/server-flags.ts';
import { readStatusKB, track } from './common.ts';
import type { SendJob, SendResult } from './newsletter-send.ts';

// The app's modules import each other without extensions (Vite style); tsx resolves them here.
register();
const { openStore } = await import('../../../src/members/store.ts');
const { NEWSLETTERS } = await import('../../../src/site/newsletters.ts');
const { createTestDatabase, STORE_KINDS } = await import('../../support/databases.ts');

const NEWSLETTER = NEWSLETTERS[0]!;

export interface NewsletterBenchRow {
  store: 'sqlite' | 'postgres';
  recipients: number;
  /** Queueing: render per tier, freeze the audience into batches (ms). */
  queueMs: number;
  ledgerPerSecond: number;
  plainPerSecond: number;
  ratio: number;
  /** Peak RSS of the process that queued and sent through the ledger (VmHWM). */
  senderPeakRssMiB: number;
  /** Its RSS with the modules loaded and the store open, before the send. */
  senderStartRssMiB: number;
  /** Its peak RSS once the send was queued, before the sending loop started. */
  senderQueuedPeakRssMiB: number;
  /** Peak RSS of the plain pool's process, for comparison. */
  plainPeakRssMiB: number;
  /** The machine's 1-minute load average at the end of the plain pool's run and of the ledger's. */
  loadPlain: number;
  loadLedger: number;
  /** Peak RSS of the SMTP sink's process (both runs). */
  sinkPeakRssMiB: number;
  sinkReceived: number;
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

/** The 1-minute load average: a shared machine's other work shows in the rates. */
const load = () => Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** Resolves with the child's first IPC message of `type`; rejects if it exits first. */
function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type?: string }) => {
      if (message.type !== type) return;
      child.off('exit', onExit);
      child.off('message', onMessage);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`${child.spawnfile} exited (${code}) before "${type}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

async function runSender(job: SendJob): Promise<SendResult> {
  // The server's own Node flags: in production the sending loop runs in the server's process.
  const child = track(
    fork(here('./newsletter-send.ts'), [JSON.stringify(job)], {
      stdio: 'inherit',
      execArgv: [...process.execArgv, ...SERVER_NODE_FLAGS],
    }),
  );
  return nextMessage<SendResult>(child, 'done');
}

export async function runNewsletterBench(
  recipients = Number(process.env.BENCH_NEWSLETTER_RECIPIENTS ?? 100_000),
  log: (line: string) => void = () => undefined,
): Promise<NewsletterBenchRow[]> {
  const rows: NewsletterBenchRow[] = [];
  for (const kind of STORE_KINDS) {
    const database = await createTestDatabase(kind);
    const sink = track(fork(here('./newsletter-sink.ts'), [], { stdio: 'inherit' }));
    try {
      const { url: sinkUrl } = await nextMessage<{ url: string }>(sink, 'ready');
      const sinkCount = async (type: 'count' | 'clear') => {
        const answer = nextMessage<{ count: number }>(sink, type);
        sink.send({ type });
        return (await answer).count;
      };
      const store = openStore(database.config);
      try {
        await store.migrate();
        log(`newsletters (${kind}): seeding ${recipients} subscribers`);
        await seed(store, recipients);
      } finally {
        await store.close();
      }

      const plain = await runSender({ mode: 'plain', sinkUrl, recipients });
      const loadPlain = load();
      const plainReceived = await sinkCount('clear');
      if (plainReceived !== recipients) throw new Error(`the plain pool delivered ${plainReceived} of ${recipients}`);
      log(`newsletters (${kind}): plain pool ${(recipients / plain.seconds).toFixed(0)} emails/s`);

      const ledger = await runSender({ mode: 'ledger', sinkUrl, recipients, store: database.config });
      const loadLedger = load();
      if (ledger.sent !== recipients) throw new Error(`the ledger recorded ${ledger.sent} of ${recipients} as sent`);
      const sinkReceived = await sinkCount('count');
      rows.push({
        store: kind,
        recipients,
        queueMs: Math.round(ledger.queueMs ?? 0),
        ledgerPerSecond: Math.round(recipients / ledger.seconds),
        plainPerSecond: Math.round(recipients / plain.seconds),
        ratio: Number((plain.seconds / ledger.seconds).toFixed(2)),
        senderPeakRssMiB: ledger.peakRssMiB,
        senderStartRssMiB: ledger.startRssMiB,
        senderQueuedPeakRssMiB: ledger.queuedPeakRssMiB ?? 0,
        plainPeakRssMiB: plain.peakRssMiB,
        loadPlain,
        loadLedger,
        sinkPeakRssMiB: Math.round(readStatusKB(sink.pid, 'VmHWM') / 1024),
        sinkReceived,
      });
      log(`newsletters (${kind}): ${JSON.stringify(rows.at(-1))}`);
    } finally {
      const exited = new Promise((resolve) => sink.once('exit', resolve));
      if (sink.connected) sink.disconnect();
      else sink.kill();
      await exited;
      await database.drop();
    }
  }
  return rows;
}

// `npx node tests/bench/lib/newsletters.ts`: this section alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runNewsletterBench(undefined, (line) => console.error(line)), null, 2));
}
