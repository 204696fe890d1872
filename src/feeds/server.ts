/**
 * Private feeds as Astro's pages see them: the keys and the flag threshold read once from the
 * environment (astro:env), the reason they are off reported once per process, and the feed's URL.
 */
import { CLERK_SECRET_KEY, GATEPOST_FEED_MAX_IPS_PER_DAY, getSecret } from 'astro:env/server';
import { authorizedParties } from '../clerk/server-config';
import { privateFeedPath } from '../site/paths';
import { createFeedToken, feedKeysFromEnv } from './token';

export const feedKeys = feedKeysFromEnv({ GATEPOST_FEED_KEY: getSecret('GATEPOST_FEED_KEY'), CLERK_SECRET_KEY });

/** More distinct addresses than this on one UTC day flags a feed to editors. */
export const maxAddressesPerDay: number = GATEPOST_FEED_MAX_IPS_PER_DAY ?? 5;

/** The origin feed URLs and the links inside feeds point to. */
export const siteOrigin = authorizedParties.siteOrigin;

let reported = false;
/** Why private feeds are off on this server (logged once), or null when they are on. */
export function feedsOff(): string | null {
  if (feedKeys.enabled) return null;
  if (!reported) {
    reported = true;
    console.warn(`[gatepost] ${feedKeys.reason}`);
  }
  return feedKeys.reason;
}

/** The absolute URL of one member's feed at `version` (RSS unless asked for Atom); null when feeds are off. */
export function privateFeedUrl(memberId: string, version: number, format: 'rss' | 'atom' = 'rss'): string | null {
  if (!feedKeys.enabled) return null;
  return new URL(privateFeedPath(createFeedToken(feedKeys.keys, memberId, version), format), siteOrigin).href;
}
