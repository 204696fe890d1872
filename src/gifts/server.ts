/**
 * Gift links on the server: the configuration read once from the environment (through astro:env), the
 * per-reader rate limit of link creation, and reading a `?gift=` token against the article it was opened on.
 */
import { CLERK_SECRET_KEY, GATEPOST_GIFT_LINK_DAYS, GATEPOST_GIFT_LINK_SECONDS, getSecret } from 'astro:env/server';
import type { GiftGrant } from '../gate/decision';
import { createRateLimiter } from './rate-limit';
import { giftConfigFromEnv, MAX_TOKEN_LENGTH, verifyGiftToken } from './token';

export const giftConfig = giftConfigFromEnv({
  GATEPOST_GIFT_LINK_KEY: getSecret('GATEPOST_GIFT_LINK_KEY'),
  GATEPOST_GIFT_LINK_DAYS,
  GATEPOST_GIFT_LINK_SECONDS,
  CLERK_SECRET_KEY,
});

let reported = false;
/** Logs once per process why gift links are off, or what was corrected. */
export function reportGiftConfig(): void {
  if (reported) return;
  reported = true;
  if (!giftConfig.enabled) console.warn(`[gatepost] ${giftConfig.reason}`);
  else for (const warning of giftConfig.warnings) console.warn(`[gatepost] ${warning}`);
}

/** Per reader (Clerk user id): 5 links at once, then one more every 2 minutes. Per process. */
export const giftLimiter = createRateLimiter({ burst: 5, refillMs: 120_000, maxKeys: 10_000 });

export type GiftState =
  { kind: 'none' } | { kind: 'valid'; grant: GiftGrant } | { kind: 'expired' } | { kind: 'invalid' };

/** What the `?gift=` parameter of a request for `slug` amounts to. Never throws. */
export function readGift(url: URL, slug: string): GiftState {
  const token = url.searchParams.get('gift');
  if (token === null) return { kind: 'none' };
  if (!giftConfig.enabled || token.length > MAX_TOKEN_LENGTH) return { kind: 'invalid' };
  const check = verifyGiftToken(giftConfig.key, slug, token);
  if (check.valid) return { kind: 'valid', grant: { slug, expiresAt: check.expiresAt } };
  return check.reason === 'expired' ? { kind: 'expired' } : { kind: 'invalid' };
}
