/**
 * Unsubscribe links (RFC 8058 one-click and the visible link in each email): `u1.<payload>.<mac>`, where
 * the payload is base64url of `<member id>\n<newsletter slug>` and the MAC is HMAC-SHA256 over the
 * version and the payload with a key that never leaves the server (src/security/server-key.ts: the key
 * is `GATEPOST_NEWSLETTER_KEY` when set, else derived from CLERK_SECRET_KEY). Links do not expire: an
 * email stays in an inbox for years and its unsubscribe link must keep working.
 *
 * Plain TypeScript on node:crypto; never throws on hostile input.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { chooseServerKey, MAC_KEY_BYTES } from '../security/server-key';

const VERSION = 'u1';
/** Longest token accepted: bounds the work done on hostile input before any MAC is computed. */
export const MAX_UNSUBSCRIBE_TOKEN_LENGTH = 400;
const TOKEN = /^u1\.([A-Za-z0-9_-]{4,300})\.([A-Za-z0-9_-]{43})$/;

export type UnsubscribeKey = { readonly bytes: Buffer; readonly source: string };

export type UnsubscribeKeyConfig = { enabled: true; key: UnsubscribeKey } | { enabled: false; reason: string };

/** The signing key from the environment, or why there is none (then nothing is sent). */
export function unsubscribeKeyFromEnv(env: {
  GATEPOST_NEWSLETTER_KEY?: string | undefined;
  CLERK_SECRET_KEY?: string | undefined;
}): UnsubscribeKeyConfig {
  const key = chooseServerKey(
    'unsubscribe-links',
    'GATEPOST_NEWSLETTER_KEY',
    env.GATEPOST_NEWSLETTER_KEY,
    env.CLERK_SECRET_KEY,
    'newsletter emails (their unsubscribe links need a key)',
  );
  return key.ok
    ? { enabled: true, key: { bytes: key.bytes, source: key.source } }
    : { enabled: false, reason: key.reason };
}

function mac(key: UnsubscribeKey, payload: string): Buffer {
  return createHmac('sha256', key.bytes).update(`${VERSION}\n${payload}`).digest();
}

/** The token for one member and one newsletter. */
export function createUnsubscribeToken(key: UnsubscribeKey, memberId: string, newsletter: string): string {
  const payload = Buffer.from(`${memberId}\n${newsletter}`, 'utf8').toString('base64url');
  return `${VERSION}.${payload}.${mac(key, payload).toString('base64url')}`;
}

/** The member and newsletter a genuine token names, or null (malformed, tampered, other key). */
export function verifyUnsubscribeToken(
  key: UnsubscribeKey,
  token: unknown,
): { memberId: string; newsletter: string } | null {
  if (typeof token !== 'string' || token.length > MAX_UNSUBSCRIBE_TOKEN_LENGTH) return null;
  const match = TOKEN.exec(token);
  if (!match) return null;
  const [, payload, signature] = match as unknown as [string, string, string];
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== MAC_KEY_BYTES || given.toString('base64url') !== signature) return null;
  if (!timingSafeEqual(given, mac(key, payload))) return null;
  const parts = Buffer.from(payload, 'base64url').toString('utf8').split('\n');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  return { memberId: parts[0], newsletter: parts[1] };
}
