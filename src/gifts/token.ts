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
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

const VERSION = 'g1';
/** Longest token accepted: bounds the work done on hostile input before any MAC is computed. */
export const MAX_TOKEN_LENGTH = 64;
const TOKEN = /^g1\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{43})$/;
const MAC_BYTES = 32;

export const DEFAULT_GIFT_DAYS = 14;
const MAX_GIFT_DAYS = 365;
/** The longest lifetime the site can issue (`GATEPOST_GIFT_LINK_DAYS`/`_SECONDS` are capped at it). */
const MAX_GIFT_SECONDS = MAX_GIFT_DAYS * 86_400;
/** How far ahead of this server's clock another server's clock may be when it issues a token. */
const CLOCK_SKEW_SECONDS = 300;
/** An explicitly set key must carry at least this many characters (about 192 bits of base64). */
const MIN_KEY_LENGTH = 32;

export type GiftKey = { readonly bytes: Buffer; readonly source: 'GATEPOST_GIFT_LINK_KEY' | 'CLERK_SECRET_KEY' };

export type GiftConfig =
  { enabled: true; key: GiftKey; lifetimeSeconds: number; warnings: string[] } | { enabled: false; reason: string };

export interface GiftEnv {
  GATEPOST_GIFT_LINK_KEY?: string | undefined;
  GATEPOST_GIFT_LINK_DAYS?: string | undefined;
  GATEPOST_GIFT_LINK_SECONDS?: string | undefined;
  CLERK_SECRET_KEY?: string | undefined;
}

/**
 * The signing key: `GATEPOST_GIFT_LINK_KEY` when set (so links survive a Clerk key rotation), otherwise
 * derived from the Clerk secret key with HKDF, so the Clerk key itself is never used as a MAC key.
 * Without either, gift links are off.
 */
export function giftConfigFromEnv(env: GiftEnv): GiftConfig {
  const warnings: string[] = [];
  const lifetimeSeconds = parseLifetime(env, warnings);
  const explicit = env.GATEPOST_GIFT_LINK_KEY?.trim();
  if (explicit) {
    if (explicit.length < MIN_KEY_LENGTH) {
      return {
        enabled: false,
        reason: `GATEPOST_GIFT_LINK_KEY is shorter than ${MIN_KEY_LENGTH} characters; gift links are off until it is longer (e.g. \`openssl rand -base64 32\`).`,
      };
    }
    return {
      enabled: true,
      key: { bytes: derive(explicit, 'explicit'), source: 'GATEPOST_GIFT_LINK_KEY' },
      lifetimeSeconds,
      warnings,
    };
  }
  const clerkSecret = env.CLERK_SECRET_KEY?.trim();
  if (clerkSecret) {
    return {
      enabled: true,
      key: { bytes: derive(clerkSecret, 'clerk-secret'), source: 'CLERK_SECRET_KEY' },
      lifetimeSeconds,
      warnings,
    };
  }
  return { enabled: false, reason: 'Gift links are off: set CLERK_SECRET_KEY or GATEPOST_GIFT_LINK_KEY.' };
}

function derive(secret: string, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'gatepost', `gift-links/v1/${label}`, MAC_BYTES));
}

/** `GATEPOST_GIFT_LINK_SECONDS` when set and valid (short links, e.g. for tests), else the days. */
function parseLifetime(env: GiftEnv, warnings: string[]): number {
  const raw = env.GATEPOST_GIFT_LINK_SECONDS;
  if (raw !== undefined && raw.trim() !== '') {
    const seconds = Number(raw.trim());
    if (Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_GIFT_SECONDS) {
      if (env.GATEPOST_GIFT_LINK_DAYS?.trim()) {
        warnings.push('GATEPOST_GIFT_LINK_SECONDS is set, so GATEPOST_GIFT_LINK_DAYS is ignored.');
      }
      return seconds;
    }
    warnings.push(
      `GATEPOST_GIFT_LINK_SECONDS must be a whole number of seconds from 1 to ${MAX_GIFT_SECONDS} (got "${raw}"); ignoring it.`,
    );
  }
  return parseLifetimeDays(env.GATEPOST_GIFT_LINK_DAYS, warnings) * 86_400;
}

function parseLifetimeDays(raw: string | undefined, warnings: string[]): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_GIFT_DAYS;
  const days = Number(raw.trim());
  if (!Number.isInteger(days) || days < 1 || days > MAX_GIFT_DAYS) {
    warnings.push(
      `GATEPOST_GIFT_LINK_DAYS must be a whole number of days from 1 to ${MAX_GIFT_DAYS} (got "${raw}"); using ${DEFAULT_GIFT_DAYS}.`,
    );
    return DEFAULT_GIFT_DAYS;
  }
  return days;
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
