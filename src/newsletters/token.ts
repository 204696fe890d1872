/**
 * Unsubscribe links (RFC 8058 one-click and the visible link in each email): `u1.<payload>.<mac>`, where
 * the payload is base64url of `<member id>\n<newsletter slug>` and the MAC is HMAC-SHA256 over the
 * version and the payload (src/security/signed-token.ts) with a key that never leaves the server (the key
 * is `GATEPOST_NEWSLETTER_KEY` when set, else derived from CLERK_SECRET_KEY). Links do not expire: an
 * email stays in an inbox for years and its unsubscribe link must keep working.
 *
 * Plain TypeScript on node:crypto; never throws on hostile input.
 */
import { chooseServerKey } from '../security/server-key';
import { MAX_SIGNED_TOKEN_LENGTH, signToken, verifyToken } from '../security/signed-token';

const VERSION = 'u1';
/** Longest token accepted: bounds the work done on hostile input before any MAC is computed. */
export const MAX_UNSUBSCRIBE_TOKEN_LENGTH = MAX_SIGNED_TOKEN_LENGTH;

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

/** The token for one member and one newsletter. */
export function createUnsubscribeToken(key: UnsubscribeKey, memberId: string, newsletter: string): string {
  return signToken(key.bytes, VERSION, [memberId, newsletter]);
}

/** The member and newsletter a genuine token names, or null (malformed, tampered, other key). */
export function verifyUnsubscribeToken(
  key: UnsubscribeKey,
  token: unknown,
): { memberId: string; newsletter: string } | null {
  const fields = verifyToken(key.bytes, VERSION, token, 2);
  return fields ? { memberId: fields[0]!, newsletter: fields[1]! } : null;
}
