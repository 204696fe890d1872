/**
 * Delivers the instance's events to the site as Clerk does through Svix: a POST of the event envelope
 * with Svix's signature headers, one message id per event (kept across retries, so the site can tell a
 * retry from a new event), retried with growing delays while the site answers anything but 2xx or cannot
 * be reached. One event at a time, in the order they happened (Clerk does not promise an order; the
 * site's mirror is order-safe either way, and in order is what a demo reader expects to see).
 */
import { clerkEvent, newMessageId, svixHeaders } from './svix.ts';
import type { StandinEvent } from './events.ts';

export interface WebhookStats {
  /** Events delivered (answered 2xx). */
  delivered: number;
  /** Events given up on after the last retry, or dropped because the queue was full. */
  failed: number;
  /** Attempts that were retried. */
  retries: number;
  /** Events waiting. */
  pending: number;
}

export interface WebhookSenderOptions {
  /** `whsec_…`: the site's CLERK_WEBHOOK_SIGNING_SECRET. */
  secret: string;
  instanceId?: string;
  /** Delays before each retry; Svix's schedule is much longer (seconds to hours), a demo's is short. */
  retryDelaysMs?: readonly number[];
  log?: (line: string) => void;
}

/** Events waiting for delivery at most; beyond it the oldest are dropped (the members sync heals that). */
export const MAX_PENDING = 10_000;
const DEFAULT_RETRIES = [250, 1_000, 4_000, 15_000, 60_000];

export class WebhookSender {
  readonly secret: string;
  readonly stats: WebhookStats = { delivered: 0, failed: 0, retries: 0, pending: 0 };
  private target: string | null = null;
  private readonly queue: { id: string; body: string; type: string }[] = [];
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly options: WebhookSenderOptions;

  constructor(options: WebhookSenderOptions) {
    this.options = options;
    this.secret = options.secret;
  }

  /** Where events go (the site's `/api/webhooks/clerk`); events wait until it is set. */
  setTarget(url: string): void {
    this.target = url;
    this.kick();
  }

  send(event: StandinEvent): void {
    if (this.stopped) return;
    if (this.queue.length >= MAX_PENDING) {
      const dropped = this.queue.shift()!;
      this.stats.failed += 1;
      this.options.log?.(`webhook ${dropped.type} dropped: more than ${MAX_PENDING} events waiting`);
    }
    const envelope = clerkEvent(event.type, event.data, event.timestamp, this.options.instanceId);
    this.queue.push({ id: newMessageId(), body: JSON.stringify(envelope), type: event.type });
    this.stats.pending = this.queue.length;
    this.kick();
  }

  /** Resolves once every event sent so far was delivered or given up on. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    this.stats.pending = 0;
  }

  private kick(): void {
    if (this.running || !this.target || this.queue.length === 0) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      this.kick();
    });
  }

  private async drain(): Promise<void> {
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRIES;
    while (this.queue.length > 0 && this.target && !this.stopped) {
      const message = this.queue[0]!;
      let outcome = 'not sent';
      for (let attempt = 0; attempt <= delays.length && !this.stopped; attempt++) {
        if (attempt > 0) {
          this.stats.retries += 1;
          await new Promise((resolve) => setTimeout(resolve, delays[attempt - 1]));
        }
        try {
          const response = await fetch(this.target, {
            method: 'POST',
            // Signed at each attempt, as Svix does: the timestamp must be within the receiver's tolerance.
            headers: svixHeaders(this.secret, message.body, { id: message.id }),
            body: message.body,
            signal: AbortSignal.timeout(15_000),
          });
          await response.arrayBuffer();
          outcome = String(response.status);
          if (response.ok) break;
          // Svix does not retry a 4xx other than 408/429: the receiver refused this event for good.
          if (response.status < 500 && response.status !== 408 && response.status !== 429) break;
        } catch (error) {
          outcome = (error as Error).message;
        }
      }
      this.queue.shift();
      this.stats.pending = this.queue.length;
      if (/^2\d\d$/.test(outcome)) this.stats.delivered += 1;
      else {
        this.stats.failed += 1;
        this.options.log?.(`webhook ${message.type} (${message.id}) not delivered: ${outcome}`);
      }
    }
  }
}
