/**
 * Clerk's webhooks into the mirror: `POST /api/webhooks/clerk` (src/pages/api/webhooks/clerk.ts is the
 * thin Astro endpoint around `receiveClerkWebhook`).
 *
 * - Verified with Clerk's own `verifyWebhook` (Svix signatures over id, timestamp and body, timestamps
 *   within Svix's tolerance). Anything that does not verify, or is too large, or is not an event we can
 *   read: a 4xx, and nothing is stored.
 * - One transaction per event, holding the mirror's write lock (./mirror.ts): the event's `svix-id` is
 *   recorded in `processed_events` together with its changes, so a retry after a crash applies it once,
 *   and a second delivery of an applied event changes nothing.
 * - Order-safe: data older than what the mirror holds is left alone (./mirror.ts).
 * - A failure answers 5xx so that Clerk retries; a store that is down answers 503.
 */
import { verifyWebhook } from '@clerk/astro/webhooks';
import {
  applyMembership,
  applyOrganization,
  applySubscriptionItem,
  applyUser,
  deleteMembership,
  deleteOrganization,
  eraseUser,
  mirrorTransaction,
  touchMember,
  type Applied,
  type ClerkMembership,
  type ClerkOrganization,
  type ClerkUser,
  type SubscriptionItem,
  type Trx,
} from './mirror';
import { WEBHOOK_BODY_LIMIT_BYTES } from './limits';
import { isStoreUnavailable, type MembersStore } from './store';
import { recomputeTiers } from './tier';

export type EventStatus = 'applied' | 'duplicate' | 'ignored';

export interface ClerkEvent {
  type: string;
  data: unknown;
  /** When Clerk created the event, in milliseconds. */
  timestamp: number;
}

/** A signed event whose content is not what its type promises: 400, nothing stored. */
export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function record(data: unknown, type: string): Record<string, unknown> & { id: string } {
  if (!isRecord(data) || typeof data.id !== 'string' || !data.id) throw new PayloadError(`${type}: data has no id`);
  return data as Record<string, unknown> & { id: string };
}

/** The version of a resource: Clerk's `updated_at` when the payload has it, else the event's time. */
const versionOf = (data: Record<string, unknown>, event: ClerkEvent) =>
  typeof data.updated_at === 'number' && Number.isFinite(data.updated_at) ? data.updated_at : event.timestamp;

function payerOf(data: Record<string, unknown>, type: string): SubscriptionItem['payer'] {
  const payer = isRecord(data.payer) ? data.payer : {};
  if (typeof payer.organization_id === 'string' && payer.organization_id)
    return { type: 'org', id: payer.organization_id };
  if (typeof payer.user_id === 'string' && payer.user_id) return { type: 'user', id: payer.user_id };
  throw new PayloadError(`${type}: no payer user or organization`);
}

function itemOf(data: unknown, payer: SubscriptionItem['payer'], type: string): SubscriptionItem {
  const item = record(data, type);
  const plan = isRecord(item.plan) ? item.plan : {};
  const planSlug = typeof plan.slug === 'string' && plan.slug ? plan.slug : null;
  if (!planSlug) throw new PayloadError(`${type}: subscription item ${item.id} has no plan`);
  const planId = typeof item.plan_id === 'string' ? item.plan_id : typeof plan.id === 'string' ? plan.id : null;
  if (typeof item.status !== 'string') throw new PayloadError(`${type}: subscription item ${item.id} has no status`);
  return { id: item.id, status: item.status, planId, planSlug, payer };
}

/** What one event changes, inside the event's transaction. Returns the members it is about. */
async function applyEvent(trx: Trx, event: ClerkEvent, now: number): Promise<{ applied: Applied[]; about: string[] }> {
  const { type } = event;
  const data = record(event.data, type);
  const one = (applied: Applied, about: string[] = []) => ({ applied: [applied], about });

  switch (type) {
    case 'user.created':
    case 'user.updated':
      return one(await applyUser(trx, data as unknown as ClerkUser, versionOf(data, event), now), [data.id]);
    case 'user.deleted':
      return one(await eraseUser(trx, data.id, now));
    case 'organization.created':
    case 'organization.updated':
      return one(
        await applyOrganization(trx, data as unknown as ClerkOrganization, versionOf(data, event), now, {
          touch: true,
        }),
      );
    case 'organization.deleted':
      return one(await deleteOrganization(trx, data.id, event.timestamp, now));
    case 'organizationMembership.created':
    case 'organizationMembership.updated': {
      if (!isRecord(data.organization) || typeof data.organization.id !== 'string')
        throw new PayloadError(`${type}: no organization`);
      const membership = data as unknown as ClerkMembership;
      const userId = membership.public_user_data?.user_id;
      if (typeof userId !== 'string' || !userId) throw new PayloadError(`${type}: no user`);
      return one(await applyMembership(trx, membership, versionOf(data, event), now), [userId]);
    }
    case 'organizationMembership.deleted': {
      const membership = data as unknown as Partial<ClerkMembership>;
      const userId =
        typeof membership.public_user_data?.user_id === 'string' ? membership.public_user_data.user_id : null;
      const organizationId = typeof membership.organization?.id === 'string' ? membership.organization.id : null;
      // Deleted at the event's time, later than any update the payload's own `updated_at` describes.
      return one(await deleteMembership(trx, { id: data.id, userId, organizationId }, event.timestamp, now), [
        ...(userId ? [userId] : []),
      ]);
    }
    default:
      break;
  }

  if (type.startsWith('subscription.')) {
    const payer = payerOf(data, type);
    const items = Array.isArray(data.items)
      ? data.items
      : Array.isArray(data.subscription_items)
        ? data.subscription_items
        : [];
    const applied: Applied[] = [];
    for (const item of items)
      applied.push(await applySubscriptionItem(trx, itemOf(item, payer, type), event.timestamp, now));
    return { applied, about: payer.type === 'user' ? [payer.id] : [] };
  }
  if (type.startsWith('subscriptionItem.')) {
    const payer = payerOf(data, type);
    return one(
      await applySubscriptionItem(trx, itemOf(data, payer, type), event.timestamp, now),
      payer.type === 'user' ? [payer.id] : [],
    );
  }
  return { applied: [], about: [] };
}

/** Event types the mirror reads; every other type is acknowledged and not stored. */
export function isHandled(type: string): boolean {
  return (
    /^user\.(created|updated|deleted)$/.test(type) ||
    /^organization\.(created|updated|deleted)$/.test(type) ||
    /^organizationMembership\.(created|updated|deleted)$/.test(type) ||
    type.startsWith('subscription.') ||
    type.startsWith('subscriptionItem.')
  );
}

/**
 * Applies one verified event, once: in one transaction, the `svix-id` is recorded with everything the
 * event changes and the tiers it affects are recomputed. A delivery whose id was applied before is
 * 'duplicate' and changes nothing.
 */
export async function processEvent(
  store: MembersStore,
  svixId: string,
  event: ClerkEvent,
  now: () => number = Date.now,
): Promise<EventStatus> {
  if (!isHandled(event.type)) return 'ignored';
  return mirrorTransaction(store, async (trx) => {
    const seen = await trx
      .selectFrom('processed_events')
      .select('svix_id')
      .where('svix_id', '=', svixId)
      .executeTakeFirst();
    if (seen) return 'duplicate';
    const at = now();
    await trx.insertInto('processed_events').values({ svix_id: svixId, type: event.type, received_at: at }).execute();
    const { applied, about } = await applyEvent(trx, event, at);
    await recomputeTiers(
      trx,
      applied.flatMap((a) => a.affected),
      at,
    );
    for (const userId of about) await touchMember(trx, userId, at);
    return 'applied';
  });
}

export interface ReceiveOptions {
  /** CLERK_WEBHOOK_SIGNING_SECRET; without it the route does not exist (404). */
  signingSecret: string | undefined;
  store: MembersStore | undefined;
  log?: (message: string) => void;
  now?: () => number;
}

// Private, no-store, as every rendered response (the cache policy in src/middleware.ts).
const json = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers });

/** Reads at most `limit` bytes of the body; null when it is longer. */
async function readBody(request: Request, limit: number): Promise<string | null> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    parts.push(value);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** The whole route: verification, limits, then `processEvent`; every answer is JSON `{status}` or `{error}`. */
export async function receiveClerkWebhook(request: Request, options: ReceiveOptions): Promise<Response> {
  const log = options.log ?? ((message: string) => console.error(`[gatepost] ${message}`));
  if (!options.signingSecret) return new Response(null, { status: 404 });
  if (request.method !== 'POST') return json(405, { error: 'method not allowed' }, { Allow: 'POST' });

  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > WEBHOOK_BODY_LIMIT_BYTES) return json(413, { error: 'body too large' });
  let body: string | null;
  try {
    body = await readBody(request, WEBHOOK_BODY_LIMIT_BYTES);
  } catch {
    return json(400, { error: 'unreadable body' });
  }
  if (body === null) return json(413, { error: 'body too large' });

  let event: ClerkEvent;
  try {
    // Clerk's verifier reads the body itself: hand it a copy of the request with the bytes read above.
    const verified = await verifyWebhook(new Request(request.url, { method: 'POST', headers: request.headers, body }), {
      signingSecret: options.signingSecret,
    });
    event = { type: String(verified.type), data: verified.data, timestamp: Number(verified.timestamp) };
  } catch (error) {
    // Missing headers, a bad signature, a timestamp outside the tolerance, or a body that is not JSON.
    return json(400, { error: (error as Error).message.replace(/^🔒 Clerk: /, '') });
  }
  if (!event.type || !Number.isFinite(event.timestamp)) return json(400, { error: 'not a Clerk event' });
  const svixId = request.headers.get('svix-id')!.trim();

  if (!options.store) return json(503, { error: "the members' store is not available" }, { 'Retry-After': '30' });
  try {
    const status = await processEvent(options.store, svixId, event, options.now);
    return json(200, { status });
  } catch (error) {
    if ((error as Error).name === 'PayloadError') return json(400, { error: (error as Error).message });
    if (isStoreUnavailable(error)) {
      log(
        `webhook ${event.type} (${svixId}) not applied, the members' store is unavailable: ${(error as Error).message}`,
      );
      return json(503, { error: "the members' store is not available" }, { 'Retry-After': '30' });
    }
    log(`webhook ${event.type} (${svixId}) failed: ${(error as Error).stack ?? String(error)}`);
    return json(500, { error: 'the event could not be applied; it will be retried' });
  }
}
