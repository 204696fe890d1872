/**
 * The sending loop: takes the sender's lease (one process sends at a time, across workers and
 * replicas), claims due batches from the ledger (src/members/queries/newsletters.ts), sends each
 * recipient the body rendered for their tier with their own unsubscribe link, and records the outcome.
 *
 * On taking the lease from a holder that died, batches it left `sending` become `uncertain` and wait
 * for an editor. `stop()` (SIGTERM) claims nothing more, finishes the batch in flight and gives the
 * lease up, so a restart resumes at once with the next pending batch.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  claimBatch,
  claimSenderLease,
  markOrphansUncertain,
  recordBatch,
  releaseSenderLease,
  type ClaimedBatch,
  type DeliveryResult,
} from '../members/queries/newsletters';
import type { MembersStore } from '../members/store';
import { findNewsletter } from '../site/newsletters';
import { personalise, type RenderedEmail } from './email';
import { NEWSLETTER_PATHS, unsubscribePath } from '../site/paths';
import { createUnsubscribeToken, type UnsubscribeKey } from './token';
import { classifySmtpError, messageIdFor, type Mailer } from './transport';

export interface SenderOptions {
  store: MembersStore;
  mailer: Pick<Mailer, 'sendMail'>;
  key: UnsubscribeKey;
  log: (message: string, level?: 'info' | 'error') => void;
  /** Identifies this process in the lease; defaults to host:pid:random. */
  holder?: string;
  leaseMs?: number;
  /** How often an idle sender looks for due batches. */
  idleMs?: number;
  /** Attempts of a batch with temporary failures before it is `failed`. */
  maxAttempts?: number;
  /** Wait before attempt `n + 1` after a temporary failure. */
  backoffMs?: (attempt: number) => number;
  now?: () => number;
}

export interface Sender {
  /** Looks for due batches now (after a send is queued). */
  wake: () => void;
  /** Claims nothing more, finishes the batch in flight, gives the lease up. */
  stop: () => Promise<void>;
}

const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_IDLE_MS = 2000;
const DEFAULT_MAX_ATTEMPTS = 6;
/** 30 s, 1, 2, 4, 8 min … capped at 30 min. */
const defaultBackoff = (attempt: number) => Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 30 * 60_000);

/** True when `holder` names a process on this host that no longer exists. */
export function holderIsGone(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Sends one claimed batch and returns each recipient's outcome (never throws for a recipient). */
export async function deliverBatch(
  batch: ClaimedBatch,
  options: Pick<SenderOptions, 'mailer' | 'key'>,
): Promise<DeliveryResult[]> {
  const newsletter = findNewsletter(batch.newsletter);
  if (!newsletter)
    return batch.recipients.map((r) => ({
      memberId: r.memberId,
      status: 'failed',
      error: `newsletter "${batch.newsletter}" is no longer declared in src/site/newsletters.ts`,
    }));
  const bodies = JSON.parse(batch.bodies) as Record<string, RenderedEmail>;
  const from = { name: newsletter.sender.name, address: newsletter.sender.address };
  return Promise.all(
    batch.recipients.map(async (recipient): Promise<DeliveryResult> => {
      // Only a body rendered for this recipient's own tier: never a fallback to another tier's.
      const body = Object.hasOwn(bodies, recipient.tier) ? bodies[recipient.tier] : undefined;
      if (!body)
        return { memberId: recipient.memberId, status: 'failed', error: `no body rendered for tier ${recipient.tier}` };
      const token = createUnsubscribeToken(options.key, recipient.memberId, newsletter.slug);
      const unsubscribeUrl = new URL(unsubscribePath(token), batch.siteOrigin).href;
      const manageUrl = new URL(NEWSLETTER_PATHS.manage, batch.siteOrigin).href;
      const { html, text } = personalise(body, { unsubscribeUrl, manageUrl });
      try {
        const info = await options.mailer.sendMail({
          from,
          to: recipient.email,
          subject: body.subject,
          html,
          text,
          messageId: messageIdFor(batch.sendId, recipient.memberId, newsletter.sender.address),
          list: {
            id: { url: `${newsletter.slug}.${new URL(batch.siteOrigin).hostname}`, comment: newsletter.name },
            // RFC 8058: one-click unsubscribe by POST to this URL.
            unsubscribe: { url: unsubscribeUrl, comment: 'Unsubscribe' },
          },
          headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        });
        return { memberId: recipient.memberId, status: 'sent', messageId: String(info.messageId) };
      } catch (error) {
        const message = (error as Error).message ?? String(error);
        const kind = classifySmtpError(error);
        if (kind === 'bounce')
          return { memberId: recipient.memberId, status: 'bounced', email: recipient.email, error: message };
        if (kind === 'failed') return { memberId: recipient.memberId, status: 'failed', error: message };
        return { memberId: recipient.memberId, status: 'retry', error: message };
      }
    }),
  );
}

/** Starts the loop in this process. */
export function startSender(options: SenderOptions): Sender {
  const now = options.now ?? Date.now;
  // Host and pid let a restart on the same host see that the last holder is dead; the random part keeps
  // two containers with the same host name and pid 1 from taking each other for themselves.
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const backoff = options.backoffMs ?? defaultBackoff;
  let stopping = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let reportedBusy = false;

  const cycle = async () => {
    const lease = await claimSenderLease(options.store, holder, leaseMs, now(), holderIsGone);
    if (lease === 'busy') {
      if (!reportedBusy) options.log('newsletters: another process holds the sender lease; this one waits');
      reportedBusy = true;
      return;
    }
    if (lease === 'taken') {
      reportedBusy = false;
      const orphans = await markOrphansUncertain(options.store, holder, now());
      if (orphans > 0)
        options.log(
          `newsletters: ${orphans} batch(es) were being sent when the last sender stopped; marked uncertain for an editor to decide`,
          'error',
        );
    }
    let lastRenew = now();
    while (!stopping) {
      if (now() - lastRenew > leaseMs / 3) {
        if ((await claimSenderLease(options.store, holder, leaseMs, now(), holderIsGone)) === 'busy') return;
        lastRenew = now();
      }
      const batch = await claimBatch(options.store, holder, now());
      if (!batch) return;
      const results = await deliverBatch(batch, options);
      const status = await recordBatch(options.store, batch, holder, results, {
        now: now(),
        retryAt: now() + backoff(batch.attempts),
        maxAttempts,
      });
      if (status !== 'sent') {
        const problem = results.find((r) => r.status !== 'sent');
        options.log(
          `newsletters: batch ${batch.id} of ${batch.article} is ${status}${problem && 'error' in problem ? ` (${problem.error})` : ''}`,
          'error',
        );
      }
    }
  };

  const run = () => {
    if (stopping) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = cycle()
      .catch((error: unknown) => options.log(`newsletters: sending paused: ${(error as Error).message}`, 'error'))
      .finally(() => {
        running = null;
        if (stopping) return;
        if (again) {
          again = false;
          setImmediate(run);
        } else {
          timer = setTimeout(run, idleMs);
          timer.unref();
        }
      });
  };
  timer = setTimeout(run, 0);
  timer.unref();

  return {
    wake: run,
    stop: async () => {
      stopping = true;
      clearTimeout(timer);
      await running;
      await releaseSenderLease(options.store, holder, now()).catch(() => undefined);
    },
  };
}
