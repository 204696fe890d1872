/**
 * Gift links: a reader who may read a gated article shares it with anyone, for a limited time.
 *
 * A gift token is stateless: `g1.<expiry>.<mac>`, where the expiry is in unix seconds (base 36) and the
 * MAC is HMAC-SHA256 over the version, the article's slug and the expiry. The slug is in the link's path,
 * not in the token, so a token opened on another article's URL fails its MAC. Nothing about the issuer
 * is carried. The key never leaves the server (see `giftKeyFromEnv`).
 *
 * Plain TypeScript on node:crypto, no Astro imports: the gate and its tests use it directly.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { chooseServerKey, MAC_KEY_BYTES } from '../security/server-key';
import { NUMBER_SETTINGS } from '../server/number-settings';

const VERSION = 'g1';
/** Longest token accepted: bounds the work done on hostile input before any MAC is computed. */
export const MAX_TOKEN_LENGTH = 64;
const TOKEN = /^g1\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/;
const MAC_BYTES = MAC_KEY_BYTES;

export const DEFAULT_GIFT_DAYS = 14;
/** The longest lifetime the site can issue: `GATEPOST_GIFT_LINK_DAYS`/`_SECONDS` are bounded by it at start-up. */
const MAX_GIFT_SECONDS = NUMBER_SETTINGS.GATEPOST_GIFT_LINK_SECONDS.max;
/** How far ahead of this server's clock another server's clock may be when it issues a token. */
const CLOCK_SKEW_SECONDS = 300;

export type GiftKey = { readonly bytes: Buffer; readonly source: 'GATEPOST_GIFT_LINK_KEY' | 'CLERK_SECRET_KEY' };

export type GiftConfig =
  { enabled: true; key: GiftKey; lifetimeSeconds: number; warnings: string[] } | { enabled: false; reason: string };

export interface GiftEnv {
  GATEPOST_GIFT_LINK_KEY?: string | undefined;
  /** Whole days, within NUMBER_SETTINGS' bounds (astro:env checks them). */
  GATEPOST_GIFT_LINK_DAYS?: number | undefined;
  /** Whole seconds, within NUMBER_SETTINGS' bounds; in place of the days when set. */
  GATEPOST_GIFT_LINK_SECONDS?: number | undefined;
  CLERK_SECRET_KEY?: string | undefined;
}

/**
 * The signing key: `GATEPOST_GIFT_LINK_KEY` when set (so links survive a Clerk key rotation), otherwise
 * derived from the Clerk secret key with HKDF, so the Clerk key itself is never used as a MAC key.
 * Without either, gift links are off.
 */
export function giftConfigFromEnv(env: GiftEnv): GiftConfig {
  const warnings: string[] = [];
  const lifetimeSeconds = giftLifetime(env, warnings);
  const key = chooseServerKey(
    'gift-links',
    'GATEPOST_GIFT_LINK_KEY',
    env.GATEPOST_GIFT_LINK_KEY,
    env.CLERK_SECRET_KEY,
    'gift links',
  );
  if (!key.ok) return { enabled: false, reason: key.reason };
  return { enabled: true, key: { bytes: key.bytes, source: key.source }, lifetimeSeconds, warnings };
}

/** `GATEPOST_GIFT_LINK_SECONDS` when set (short links, e.g. for tests), else the days (default 14). */
function giftLifetime(env: GiftEnv, warnings: string[]): number {
  if (env.GATEPOST_GIFT_LINK_SECONDS !== undefined) {
    if (env.GATEPOST_GIFT_LINK_DAYS !== undefined) {
      warnings.push('GATEPOST_GIFT_LINK_SECONDS is set, so GATEPOST_GIFT_LINK_DAYS is ignored.');
    }
    return env.GATEPOST_GIFT_LINK_SECONDS;
  }
  return (env.GATEPOST_GIFT_LINK_DAYS ?? DEFAULT_GIFT_DAYS) * 86_400;
}

function mac(key: GiftKey, slug: string, expiry: string): Buffer {
  return createHmac('sha256', key.bytes).update(`${VERSION}\n${slug}\n${expiry}`).digest();
}

/** A token for `slug` that expires `lifetimeSeconds` after `now` (milliseconds, as Date.now()). */
export function createGiftToken(
  key: GiftKey,
  slug: string,
  lifetimeSeconds: number,
  now = Date.now(),
): {
  token: string;
  expiresAt: Date;
} {
  const expirySeconds = Math.floor(now / 1000) + lifetimeSeconds;
  const expiry = expirySeconds.toString(36);
  return {
    token: `${VERSION}.${expiry}.${mac(key, slug, expiry).toString('base64url')}`,
    expiresAt: new Date(expirySeconds * 1000),
  };
}

export type GiftCheck =
  | { valid: true; expiresAt: Date }
  | {
      valid: false;
      /** `malformed`: not a gift token at all; `invalid`: wrong key, slug or tampered; `expired`: genuine but past its expiry. */
      reason: 'malformed' | 'invalid' | 'expired';
    };

/** Checks a token from a link against the article it was opened on. Never throws. */
export function verifyGiftToken(key: GiftKey, slug: string, token: unknown, now = Date.now()): GiftCheck {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return { valid: false, reason: 'malformed' };
  const match = TOKEN.exec(token);
  if (!match) return { valid: false, reason: 'malformed' };
  const [, expiry, signature] = match as unknown as [string, string, string];
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== MAC_BYTES || given.toString('base64url') !== signature) {
    return { valid: false, reason: 'malformed' };
  }
  const expiresAt = new Date(parseInt(expiry, 36) * 1000);
  // No link the site issues ends further out than its longest lifetime: such a token was not made here.
  if (expiresAt.getTime() > now + (MAX_GIFT_SECONDS + CLOCK_SKEW_SECONDS) * 1000)
    return { valid: false, reason: 'invalid' };
  if (!timingSafeEqual(given, mac(key, slug, expiry))) return { valid: false, reason: 'invalid' };
  if (expiresAt.getTime() <= now) return { valid: false, reason: 'expired' };
  return { valid: true, expiresAt };
}
