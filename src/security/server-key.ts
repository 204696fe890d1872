/**
 * Keys for the MACs the server signs (gift links, unsubscribe links): one rule for all of them. A key
 * comes from its own setting when set (so links survive a Clerk key rotation), otherwise it is derived
 * from the Clerk secret key; either way through HKDF with a label per use, so no secret is used as a MAC
 * key directly and one use's key never verifies another's tokens. Keys never leave the server.
 */
import { hkdfSync } from 'node:crypto';

export const MAC_KEY_BYTES = 32;
/** An explicitly set key must carry at least this many characters (about 192 bits of base64). */
export const MIN_KEY_LENGTH = 32;

/** HKDF-SHA256 of `secret` for `purpose` (e.g. `gift-links`), from an explicit setting or the Clerk key. */
export function deriveServerKey(secret: string, purpose: string, from: 'explicit' | 'clerk-secret'): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'gatepost', `${purpose}/v1/${from}`, MAC_KEY_BYTES));
}

export type ServerKeyChoice<Name extends string> =
  { ok: true; bytes: Buffer; source: Name | 'CLERK_SECRET_KEY' } | { ok: false; reason: string };

/**
 * The key for `purpose`: from `explicit` (the value of the setting `name`) when set and long enough,
 * else from CLERK_SECRET_KEY; `what` names the feature in the reason given when neither is usable.
 */
export function chooseServerKey<Name extends string>(
  purpose: string,
  name: Name,
  explicit: string | undefined,
  clerkSecret: string | undefined,
  what: string,
): ServerKeyChoice<Name> {
  const own = explicit?.trim();
  if (own) {
    if (own.length < MIN_KEY_LENGTH)
      return {
        ok: false,
        reason: `${name} is shorter than ${MIN_KEY_LENGTH} characters; ${what} are off until it is longer (e.g. \`openssl rand -base64 32\`).`,
      };
    return { ok: true, bytes: deriveServerKey(own, purpose, 'explicit'), source: name };
  }
  const clerk = clerkSecret?.trim();
  if (clerk) return { ok: true, bytes: deriveServerKey(clerk, purpose, 'clerk-secret'), source: 'CLERK_SECRET_KEY' };
  return { ok: false, reason: `${what[0]!.toUpperCase()}${what.slice(1)} are off: set CLERK_SECRET_KEY or ${name}.` };
}
