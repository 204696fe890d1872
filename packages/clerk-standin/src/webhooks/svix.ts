/**
 * Svix's signing scheme, which Clerk's webhooks use and `verifyWebhook` (@clerk/astro/webhooks) checks:
 * `svix-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`, keyed with the base64 bytes
 * after `whsec_`. The stand-in signs what it sends with it, and tests sign forged or replayed events.
 */
import { createHmac, randomBytes } from 'node:crypto';

/** A signing secret as Clerk's dashboard shows it (`whsec_` and 24 random bytes in base64). */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** A message id in Svix's style; Clerk's retries of one event keep it, so receivers deduplicate on it. */
export const newMessageId = () => `msg_${randomBytes(12).toString('hex')}`;

/** The headers Svix sends with `body`, signed with `secret`. */
export function svixHeaders(
  secret: string,
  body: string,
  { id = newMessageId(), timestamp = Math.floor(Date.now() / 1000) } = {},
): Record<string, string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'svix-id': id,
    'svix-timestamp': String(timestamp),
    'svix-signature': `v1,${signature}`,
    'content-type': 'application/json',
  };
}

/** Clerk's event envelope (`WebhookEvent`): the payload is in `data`, the time in milliseconds. */
export interface ClerkEventEnvelope {
  object: 'event';
  type: string;
  data: Record<string, unknown>;
  timestamp: number;
  instance_id: string;
  event_attributes: { http_request: { client_ip: string; user_agent: string } };
}

export function clerkEvent(
  type: string,
  data: Record<string, unknown>,
  timestamp = Date.now(),
  instanceId = 'ins_standin',
): ClerkEventEnvelope {
  return {
    object: 'event',
    type,
    data,
    timestamp,
    instance_id: instanceId,
    event_attributes: { http_request: { client_ip: '127.0.0.1', user_agent: 'clerk-standin' } },
  };
}
