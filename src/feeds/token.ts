/**
 * Private feed tokens: `f1.<payload>.<mac>` (src/security/signed-token.ts), the payload naming a member
 * and their feed's version in the members' store. A reset raises the version, so every older token stops
 * verifying against the store at once. The MAC is HMAC-SHA256 (256 bits) with a key that never leaves the
 * server: `GATEPOST_FEED_KEY` when set, else derived from CLERK_SECRET_KEY (src/security/server-key.ts).
 * The same secret, under another label, keys the hashes of the addresses a feed is fetched from, so no
 * address is stored in the clear.
 *
 * Plain TypeScript on node:crypto; never throws on hostile input.
 */
import { createHmac } from 'node:crypto';
import { chooseServerKey } from '../security/server-key';
import { signToken, verifyToken } from '../security/signed-token';

const VERSION = 'f1';

export interface FeedKeys {
  /** Signs feed tokens. */
  readonly token: Buffer;
  /** Hashes the addresses a feed is fetched from. */
  readonly address: Buffer;
  readonly source: string;
}

export type FeedKeyConfig = { enabled: true; keys: FeedKeys } | { enabled: false; reason: string };

/** The keys from the environment, or why there are none (then private feeds are off). */
export function feedKeysFromEnv(env: {
  GATEPOST_FEED_KEY?: string | undefined;
  CLERK_SECRET_KEY?: string | undefined;
}): FeedKeyConfig {
  const choose = (purpose: string) =>
    chooseServerKey(purpose, 'GATEPOST_FEED_KEY', env.GATEPOST_FEED_KEY, env.CLERK_SECRET_KEY, 'private feeds');
  const token = choose('private-feeds');
  const address = choose('private-feed-addresses');
  if (!token.ok) return { enabled: false, reason: token.reason };
  if (!address.ok) return { enabled: false, reason: address.reason };
  return { enabled: true, keys: { token: token.bytes, address: address.bytes, source: token.source } };
}

export interface FeedTokenClaim {
  memberId: string;
  version: number;
}

/** The token of one member's feed at `version` (a whole number from 1). */
export function createFeedToken(keys: FeedKeys, memberId: string, version: number): string {
  if (!Number.isSafeInteger(version) || version < 1) throw new Error(`feed version must be a whole number from 1`);
  return signToken(keys.token, VERSION, [memberId, String(version)]);
}

/**
 * The member and version a genuine token names, or null (malformed, tampered, another key). Whether
 * that version is still the member's current one is the store's answer, not the token's.
 */
export function verifyFeedToken(keys: FeedKeys, token: unknown): FeedTokenClaim | null {
  const fields = verifyToken(keys.token, VERSION, token, 2);
  if (!fields || !/^[1-9]\d{0,14}$/.test(fields[1]!)) return null;
  return { memberId: fields[0]!, version: Number(fields[1]) };
}

/** The address a feed was fetched from, as stored: a keyed hash, never the address itself. */
export function hashAddress(keys: FeedKeys, address: string): string {
  return createHmac('sha256', keys.address).update(address).digest('base64url').slice(0, 22);
}
